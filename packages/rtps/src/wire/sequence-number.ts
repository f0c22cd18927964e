import { type ByteReader, type ByteWriter, fail } from "./cursor.ts";

/**
 * Sequence numbers are 64-bit on the wire; a JS number holds them exactly up to
 * 2^53, far beyond what a participant can write in its lifetime.
 */
export type SequenceNumber = number;

const TWO_32 = 0x1_0000_0000;

export function readSequenceNumber(r: ByteReader): SequenceNumber {
  const high = r.i32();
  const low = r.u32();
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
  if (numBits > MAX_SET_BITS) fail("bad-value", `numBits ${numBits} > 256`);
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
