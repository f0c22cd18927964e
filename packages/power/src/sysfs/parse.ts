/**
 * Parses a sysfs integer attribute (`"123456\n"`) straight from the bytes, without making a
 * string: this runs once per zone per sample. Returns NaN for anything but optional spaces,
 * digits and a trailing newline, and Infinity for a number too large to hold exactly
 * (above 2^53 − 1), so callers can tell a malformed file from an out-of-range value.
 */
export function parseUnsignedAscii(buffer: Uint8Array, length: number): number {
  let i = 0;
  while (i < length && buffer[i] === 0x20) i++;
  let value = 0;
  let digits = 0;
  for (; i < length; i++) {
    const c = buffer[i] as number;
    if (c < 0x30 || c > 0x39) break;
    value = value * 10 + (c - 0x30);
    digits++;
  }
  for (; i < length; i++) {
    const c = buffer[i];
    if (c !== 0x0a && c !== 0x20 && c !== 0x00) return Number.NaN;
  }
  if (digits === 0) return Number.NaN;
  return value > Number.MAX_SAFE_INTEGER ? Number.POSITIVE_INFINITY : value;
}

/** The same rule for text read at detect time. */
export function parseUnsignedText(text: string): number {
  // Not `Buffer.from(text, "latin1")`: that keeps only the low byte of each character, so
  // "İ" (U+0130) would read as the digit "0". A character beyond ASCII is malformed.
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    bytes[i] = c > 0x7f ? 0xff : c;
  }
  return parseUnsignedAscii(bytes, bytes.length);
}
