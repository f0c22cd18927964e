import { type ByteReader, type ByteWriter, fail, failWith, prepareFailure } from "./cursor.ts";

/**
 * Sequence numbers are 64-bit on the wire and plain numbers here: every SN we accept is at
 * most MAX_SEQUENCE_NUMBER, so it, and it plus any window the code walks (a set's 256 bits,
 * a held-sample table), are exact integers, and `sn + 1 > sn` always holds.
 */
export type SequenceNumber = number;

/**
 * 2^52: the largest SN decoded. A writer sending a million samples a second reaches it after
 * 142 years; anything above (or negative, SEQUENCENUMBER_UNKNOWN included, which no
 * submessage field we decode may carry) is refused at decode as `out-of-range`.
 */
export const MAX_SEQUENCE_NUMBER = 2 ** 52;

const TWO_32 = 0x1_0000_0000;
/** The high word of MAX_SEQUENCE_NUMBER (its low word is 0). */
const MAX_HIGH = MAX_SEQUENCE_NUMBER / TWO_32;

const SN_OUT_OF_RANGE = prepareFailure("out-of-range", "sequence number outside [0, 2^52]");
const SET_OUT_OF_RANGE = prepareFailure("out-of-range", "sequence number set passes 2^52");

/** Reads an SN in [0, MAX_SEQUENCE_NUMBER]; fails with `out-of-range` otherwise. */
export function readSequenceNumber(r: ByteReader): SequenceNumber {
  const high = r.i32();
  const low = r.u32();
  // Comparisons on the high word: no float compare of a possibly inexact product.
  if (high < 0 || high > MAX_HIGH || (high === MAX_HIGH && low !== 0)) failWith(SN_OUT_OF_RANGE);
  return high * TWO_32 + low;
}

export function writeSequenceNumber(w: ByteWriter, sn: SequenceNumber): void {
  w.i32(Math.floor(sn / TWO_32));
  w.u32(sn >>> 0);
}

/** A window of up to 256 sequence numbers starting at `base` (SequenceNumberSet). */
export interface SequenceNumberSet {
  readonly base: SequenceNumber;
  readonly numBits: number;
  /** Members, ascending, all in [base, base + numBits). */
  readonly members: readonly SequenceNumber[];
}

export const MAX_SET_BITS = 256;

export function readSequenceNumberSet(r: ByteReader): SequenceNumberSet {
  const base = readSequenceNumber(r);
  const numBits = r.u32();
  if (numBits > MAX_SET_BITS) fail("invalid-value", `numBits ${numBits} > 256`);
  // Every member must be a countable SN too.
  if (base + numBits > MAX_SEQUENCE_NUMBER + 1) failWith(SET_OUT_OF_RANGE);
  // Integer arithmetic: a fractional quotient would make V8 drop the optimised reader.
  const words = (numBits + 31) >>> 5;
  const members: SequenceNumber[] = [];
  for (let w = 0; w < words; w++) {
    const word = r.u32();
    if (word === 0) continue;
    for (let bit = 0; bit < 32; bit++) {
      const i = w * 32 + bit;
      if (i >= numBits) break;
      // Bit 0 of the set is the most significant bit of the first word.
      if ((word >>> (31 - bit)) & 1) members.push(base + i);
    }
  }
  return { base, numBits, members };
}

export function writeSequenceNumberSet(w: ByteWriter, set: SequenceNumberSet): void {
  writeSequenceNumber(w, set.base);
  writeBitmap(w, set.base, set.numBits, set.members);
}

/** Writes numBits then the bitmap words; shared by SN sets and fragment number sets. */
export function writeBitmap(
  w: ByteWriter,
  base: number,
  numBits: number,
  members: readonly number[],
): void {
  w.u32(numBits);
  const words = new Uint32Array((numBits + 31) >>> 5);
  for (const m of members) {
    const i = m - base;
    if (i < 0 || i >= numBits) continue;
    const word = i >>> 5;
    words[word] = ((words[word] ?? 0) | (1 << (31 - (i & 31)))) >>> 0;
  }
  for (const x of words) w.u32(x);
}

/** Builds a set from arbitrary members, clipping to 256 bits from `base`. */
export function makeSequenceNumberSet(
  base: SequenceNumber,
  members: readonly SequenceNumber[],
): SequenceNumberSet {
  const inWindow = members.filter((m) => m >= base && m < base + MAX_SET_BITS);
  inWindow.sort((a, b) => a - b);
  const last = inWindow[inWindow.length - 1];
  const numBits = last === undefined ? 0 : last - base + 1;
  return { base, numBits, members: inWindow };
}
