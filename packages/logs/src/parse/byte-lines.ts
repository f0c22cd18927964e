/**
 * Byte-level tests on one line of a log held in a `Buffer` (`start` to `end`, no line break),
 * for the hot path of the standard-log parser: the line's kind is decided from its bytes
 * before any string is made. Each function answers only for what it is sure of; the caller
 * hands any other line to the string parser, which is the reference.
 */

const isDigit = (code: number): boolean => code >= 48 && code <= 57;

/** A stamp's shape: `0` stands for any digit, every other character for itself. */
const STAMP_SHAPE = "0000-00-00 00:00:00";

/**
 * Where the message starts (an index into `buf`) when the line opens with the stamp
 * `YYYY-MM-DD HH:MM:SS - ` (or `YYYY-MM-DD HH:MM:SS,mmm - `); -1 for anything else, which
 * the caller reads as a string (`messageStart` decides it there).
 */
export function stampedMessageAt(buf: Uint8Array, start: number, end: number): number {
  if (end - start < 22) return -1;
  for (let k = 0; k < STAMP_SHAPE.length; k++) {
    const shape = STAMP_SHAPE.charCodeAt(k);
    const c = buf[start + k] as number;
    if (shape === 48 ? !isDigit(c) : c !== shape) return -1;
  }
  let i = start + STAMP_SHAPE.length;
  if (buf[i] === 44) {
    i++;
    while (i < end && isDigit(buf[i] as number)) i++;
  }
  return i + 2 < end && buf[i] === 32 && buf[i + 1] === 45 && buf[i + 2] === 32 ? i + 3 : -1;
}

/** `buf` holds the ASCII `prefix` at `at` (within `end`). */
export function startsWithAscii(buf: Uint8Array, at: number, end: number, prefix: string): boolean {
  if (end - at < prefix.length) return false;
  for (let k = 0; k < prefix.length; k++) if (buf[at + k] !== prefix.charCodeAt(k)) return false;
  return true;
}

/** Every byte from `start` to `end` is ASCII, so latin1 and UTF-8 decode it alike. */
export function isAscii(buf: Uint8Array, start: number, end: number): boolean {
  for (let k = start; k < end; k++) if ((buf[k] as number) > 127) return false;
  return true;
}

/** `start` to `end` is `\d+(\.\d+)?`, the plain decimal that writers print for a power. */
export function isPlainDecimal(buf: Uint8Array, start: number, end: number): boolean {
  let k = start;
  while (k < end && isDigit(buf[k] as number)) k++;
  if (k === start) return false;
  if (k === end) return true;
  if (buf[k] !== 46) return false;
  const fraction = ++k;
  while (k < end && isDigit(buf[k] as number)) k++;
  return k === end && k > fraction;
}

/** `Epoch {n}:` followed by nothing but ASCII whitespace, from `at` (the message's start). */
export function isEpochHeader(buf: Uint8Array, at: number, end: number): boolean {
  if (!startsWithAscii(buf, at, end, "Epoch ")) return false;
  let k = at + 6;
  const digits = k;
  while (k < end && isDigit(buf[k] as number)) k++;
  if (k === digits || buf[k] !== 58 || k >= end) return false;
  for (k++; k < end; k++) {
    const c = buf[k] as number;
    // \s in ASCII: TAB, LF, VT, FF, CR, space.
    if (c !== 32 && (c < 9 || c > 13)) return false;
  }
  return true;
}

/** Index of the first `: ` from `from` before `end`, or -1. */
export function indexOfColonSpace(buf: Uint8Array, from: number, end: number): number {
  for (let k = from; k + 1 < end; k++) if (buf[k] === 58 && buf[k + 1] === 32) return k;
  return -1;
}

const isSpace = (c: number): boolean => c === 32 || (c >= 9 && c <= 13);
/** Integers up to this are exact doubles, so `digits / 10 ** k` rounds as `Number()` does. */
const EXACT_DIGITS = 15;

/**
 * `\d+(\.\d+)?` from `start` to `end` as `Number()` reads it, without a string: the digits
 * as an integer over a power of ten, one correctly rounded division of two exact doubles.
 * Undefined past 15 digits (the caller decodes the text then), or for anything else.
 */
export function exactDecimalAt(buf: Uint8Array, start: number, end: number): number | undefined {
  let digits = 0;
  let count = 0;
  let fraction = -1;
  for (let k = start; k < end; k++) {
    const c = buf[k] as number;
    if (isDigit(c)) {
      digits = digits * 10 + (c - 48);
      count++;
    } else if (c === 46 && fraction < 0 && k > start && k + 1 < end) fraction = end - k - 1;
    else return undefined;
  }
  if (count === 0 || count > EXACT_DIGITS) return undefined;
  return fraction > 0 ? digits / 10 ** fraction : digits;
}

/**
 * `H:MM:SS` or `H:MM:SS.ss` between ASCII whitespace, as seconds, the same value
 * `parseClock` gives for the trimmed text; undefined for anything else (a sign, long
 * fields): the caller reads those as text.
 */
export function clockAt(buf: Uint8Array, start: number, end: number): number | undefined {
  let from = start;
  let to = end;
  while (from < to && isSpace(buf[from] as number)) from++;
  while (to > from && isSpace(buf[to - 1] as number)) to--;
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
  const seconds = exactDecimalAt(buf, secondsStart, to);
  if (seconds === undefined) return undefined;
  return hours * 3600 + ((m1 - 48) * 10 + (m2 - 48)) * 60 + seconds;
}
