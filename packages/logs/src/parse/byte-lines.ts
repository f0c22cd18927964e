/**
 * Byte-level tests on one line of a log held in a `Buffer` (`start` to `end`, no line break),
 * for the hot paths of the line parsers: the line's kind is decided from its bytes before any
 * string is made. Each function answers only for what it is sure of; the caller hands any
 * other line to the string parser, which is the reference. Written as plain loops over
 * fixed positions: they run on every line of every file of a folder, and a call into
 * Node's native `Buffer` methods costs more than the few bytes each one looks at.
 */

const isDigit = (code: number): boolean => code >= 48 && code <= 57;
/** ASCII whitespace, what `\s` and `trim()` take below 128: TAB, LF, VT, FF, CR, space. */
export const isAsciiSpace = (c: number): boolean => c === 32 || (c >= 9 && c <= 13);

/**
 * Where the message starts (an index into `buf`) when the line opens with the stamp
 * `YYYY-MM-DD HH:MM:SS - ` (or `YYYY-MM-DD HH:MM:SS,mmm - `); -1 for anything else, which
 * the caller reads as a string (`messageStart` decides it there).
 */
export function stampedMessageAt(buf: Uint8Array, start: number, end: number): number {
  const s = start;
  if (
    end - s < 22 ||
    buf[s + 4] !== 45 ||
    buf[s + 7] !== 45 ||
    buf[s + 10] !== 32 ||
    buf[s + 13] !== 58 ||
    buf[s + 16] !== 58
  ) {
    return -1;
  }
  for (let k = 0; k < 19; k++) {
    // Positions 4, 7, 10, 13 and 16 are the separators tested above.
    if (k === 4 || k === 7 || k === 10 || k === 13 || k === 16) continue;
    if (!isDigit(buf[s + k] as number)) return -1;
  }
  let i = s + 19;
  if (buf[i] === 44) {
    i++;
    while (i < end && isDigit(buf[i] as number)) i++;
  }
  return i + 2 < end && buf[i] === 32 && buf[i + 1] === 45 && buf[i + 2] === 32 ? i + 3 : -1;
}

/**
 * Whether the line starts with a date `YYYY-MM-DD`, what makes it a record's first line
 * (`messageStart` >= 0). Bytes 0 to 9 are ASCII whenever they match, so the decoded
 * line's first ten characters match exactly when its first ten bytes do.
 */
export function startsWithDate(buf: Uint8Array, start: number, end: number): boolean {
  if (end - start < 10 || buf[start + 4] !== 45 || buf[start + 7] !== 45) return false;
  for (let k = 0; k < 10; k++) {
    if (k !== 4 && k !== 7 && !isDigit(buf[start + k] as number)) return false;
  }
  return true;
}

/** `buf` holds the ASCII `prefix` at `at` (within `end`). */
export function startsWithAscii(buf: Uint8Array, at: number, end: number, prefix: string): boolean {
  if (end - at < prefix.length) return false;
  for (let k = 0; k < prefix.length; k++) if (buf[at + k] !== prefix.charCodeAt(k)) return false;
  return true;
}

/**
 * `buf` holds the ASCII `prefix` (lower-case letters and other characters) at `at`, its
 * letters in any case: what a `/i` regular expression without `u` matches (it never folds a
 * non-ASCII character to an ASCII one).
 */
export function startsWithAsciiIgnoringCase(
  buf: Uint8Array,
  at: number,
  end: number,
  prefix: string,
): boolean {
  if (end - at < prefix.length) return false;
  for (let k = 0; k < prefix.length; k++) {
    const c = prefix.charCodeAt(k);
    const b = buf[at + k] as number;
    // Setting bit 0x20 lower-cases A-Z and leaves a-z; no other byte lands on a letter. Any
    // other character must be itself (0x20 | 0x20 is also NUL's fold).
    if (c >= 97 && c <= 122 ? (b | 0x20) !== c : b !== c) return false;
  }
  return true;
}

/**
 * `start` to `end` holds `needle` (lower-case ASCII letters and spaces) in any case, as
 * `/needle/i` finds it in the decoded line: without the `u` flag a regular expression never
 * folds a non-ASCII character to an ASCII one, and an ASCII character is one byte in UTF-8.
 */
export function containsAsciiIgnoringCase(
  buf: Uint8Array,
  start: number,
  end: number,
  needle: string,
): boolean {
  const first = needle.charCodeAt(0);
  for (let k = start; k + needle.length <= end; k++) {
    if (((buf[k] as number) | 0x20) !== first) continue;
    let j = 1;
    for (; j < needle.length; j++) {
      const c = needle.charCodeAt(j);
      const b = buf[k + j] as number;
      // Only letters are folded: a space must be a space (0x20 | 0x20 is also NUL's fold).
      if (c === 32 ? b !== 32 : (b | 0x20) !== c) break;
    }
    if (j === needle.length) return true;
  }
  return false;
}

/** `start` to `end` holds exactly the ASCII `text`. */
export function equalsAscii(buf: Uint8Array, start: number, end: number, text: string): boolean {
  return end - start === text.length && startsWithAscii(buf, start, end, text);
}

/**
 * Index of the first `: ` from `from` before `end`; -1 when there is none or a byte before
 * it is not ASCII (the name it ends would decode differently as latin1 and UTF-8).
 */
export function asciiUpToColonSpace(buf: Uint8Array, from: number, end: number): number {
  for (let k = from; k + 1 < end; k++) {
    const c = buf[k] as number;
    if (c > 127) return -1;
    if (c === 58 && buf[k + 1] === 32) return k;
  }
  return -1;
}

/**
 * `Epoch {n}:` followed by nothing but ASCII whitespace, from `at` (the message's start): its
 * `n` as `Number()` reads the digits; -1 when the line is not such a header.
 */
export function epochHeaderNumber(buf: Buffer, at: number, end: number): number {
  if (!startsWithAscii(buf, at, end, "Epoch ")) return -1;
  let k = at + 6;
  const digits = k;
  while (k < end && isDigit(buf[k] as number)) k++;
  if (k === digits || buf[k] !== 58 || k >= end) return -1;
  const colon = k;
  for (k++; k < end; k++) {
    // \s in ASCII: TAB, LF, VT, FF, CR, space.
    if (!isAsciiSpace(buf[k] as number)) return -1;
  }
  return plainDecimalAt(buf, digits, colon);
}

/** First index from `from` that is not ASCII whitespace (`end` if none). */
export function skipSpaces(buf: Uint8Array, from: number, end: number): number {
  let k = from;
  while (k < end && isAsciiSpace(buf[k] as number)) k++;
  return k;
}

/** Index after the last byte before `end` that is not ASCII whitespace (`from` if none). */
export function trimSpacesEnd(buf: Uint8Array, from: number, end: number): number {
  let k = end;
  while (k > from && isAsciiSpace(buf[k - 1] as number)) k--;
  return k;
}

/** Exact powers of ten: every 10^k up to 10^22 is a double. */
const POW10 = [
  1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17,
  1e18, 1e19, 1e20, 1e21, 1e22,
];
/** Integers below this are exact doubles. */
const EXACT_INTEGER = 2 ** 53;

/**
 * `\d+(\.\d+)?` from `start` to `end` as `Number()` reads it; -1 for anything else (no
 * sign, exponent, spaces). With fewer than 2^53 as digits and at most 22 decimals the value
 * is one correctly rounded division of two exact doubles, the double `Number()` gives
 * without a string; past that (17 digits, say) the digits are decoded and read by `Number`.
 */
export function plainDecimalAt(buf: Buffer, start: number, end: number): number {
  let mantissa = 0;
  let k = start;
  while (k < end) {
    const d = (buf[k] as number) - 48;
    if (d < 0 || d > 9) break;
    // Past 2^53 the sum rounds, but never back below 2^53: the test at the end still holds.
    mantissa = mantissa * 10 + d;
    k++;
  }
  if (k === start) return -1;
  let decimals = 0;
  if (k < end) {
    if (buf[k] !== 46) return -1;
    const first = ++k;
    while (k < end) {
      const d = (buf[k] as number) - 48;
      if (d < 0 || d > 9) return -1;
      mantissa = mantissa * 10 + d;
      k++;
    }
    decimals = k - first;
    if (decimals === 0) return -1;
  }
  if (mantissa < EXACT_INTEGER && decimals < POW10.length) {
    return mantissa / (POW10[decimals] as number);
  }
  return Number(buf.toString("latin1", start, end));
}

/**
 * `H:MM:SS` or `H:MM:SS.ss` between ASCII whitespace, as seconds, the same value
 * `parseClock` gives for the trimmed text; undefined for anything else (a sign, long
 * fields): the caller reads those as text.
 */
export function clockAt(buf: Buffer, start: number, end: number): number | undefined {
  const from = skipSpaces(buf, start, end);
  const to = trimSpacesEnd(buf, from, end);
  let hours = 0;
  let k = from;
  while (k < to && isDigit(buf[k] as number)) hours = hours * 10 + ((buf[k++] as number) - 48);
  if (k === from || k - from > 12 || buf[k] !== 58 || k + 4 > to) return undefined;
  const m1 = buf[k + 1] as number;
  const m2 = buf[k + 2] as number;
  if (!isDigit(m1) || !isDigit(m2) || buf[k + 3] !== 58) return undefined;
  const secondsStart = k + 4;
  // parseClock's seconds field: one or two digits, then an optional fraction.
  let wholeEnd = secondsStart;
  while (wholeEnd < to && isDigit(buf[wholeEnd] as number)) wholeEnd++;
  if (wholeEnd === secondsStart || wholeEnd - secondsStart > 2) return undefined;
  const seconds = plainDecimalAt(buf, secondsStart, to);
  if (seconds < 0) return undefined;
  return hours * 3600 + ((m1 - 48) * 10 + (m2 - 48)) * 60 + seconds;
}
