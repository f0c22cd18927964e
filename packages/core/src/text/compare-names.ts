/**
 * Orders names the same way on every machine: ASCII letters compared without case first, then
 * the UTF-16 code units (so "A100" and "a100" still have an order). For the hardware table's
 * names, all ASCII, it gives the order `localeCompare` gives in English
 * (compare-names.test.ts checks every row), without depending on the user's locale and
 * without ICU's collator, whose creation on the first `localeCompare` costs about 7 ms of CPU:
 * `wattprint track` on an unnamed CPU paid it for one sort of the table's EPYC rows.
 */
export function compareNames(a: string, b: string): number {
  const shared = Math.min(a.length, b.length);
  for (let i = 0; i < shared; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0x41 && x <= 0x5a) x += 0x20;
    if (y >= 0x41 && y <= 0x5a) y += 0x20;
    if (x !== y) return x - y;
  }
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}
