import type { ByteReader, ByteWriter } from "./cursor.ts";

const FRACTION = 0x1_0000_0000;

/** Duration_t/Time_t: seconds + fraction of 2^-32 s. `Infinity` maps to 7fffffff ffffffff. */
export function readDurationMs(r: ByteReader): number {
  const seconds = r.i32();
  const fraction = r.u32();
  if (seconds === 0x7fffffff && fraction === 0xffffffff) return Number.POSITIVE_INFINITY;
  return seconds * 1000 + (fraction / FRACTION) * 1000;
}

export function writeDurationMs(w: ByteWriter, ms: number): void {
  if (!Number.isFinite(ms)) {
    w.i32(0x7fffffff);
    w.u32(0xffffffff);
    return;
  }
  const seconds = Math.floor(ms / 1000);
  const fraction = Math.floor(((ms - seconds * 1000) / 1000) * FRACTION);
  w.i32(seconds);
  w.u32(fraction >>> 0);
}

/** Timestamps as milliseconds since the Unix epoch (RTPS Time_t uses the same epoch). */
export const readTimeMs = readDurationMs;
export const writeTimeMs = writeDurationMs;
