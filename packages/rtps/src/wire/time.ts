import type { ByteReader, ByteWriter } from "./cursor.ts";

const FRACTION = 0x1_0000_0000;
/** A module constant: `Number.POSITIVE_INFINITY` is a property load V8 wants feedback for. */
const INFINITE_MS = Number.POSITIVE_INFINITY;

/** Duration_t/Time_t: seconds + fraction of 2^-32 s. `Infinity` maps to 7fffffff ffffffff. */
export function readDurationMs(r: ByteReader): number {
  const seconds = r.i32();
  const fraction = r.u32();
  // Both words compared on every call (0x7fffffff and 0xffffffff as int32 XOR to zero), and
  // no property read on the infinite path: the node's warm-up never reads an infinite
  // duration, and a real peer's first one had V8 deoptimise the function mid-run.
  if (((seconds ^ 0x7fffffff) | (fraction ^ 0xffffffff)) === 0) return INFINITE_MS;
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
