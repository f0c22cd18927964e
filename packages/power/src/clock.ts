import { performance } from "node:perf_hooks";

/** Milliseconds on a monotonic clock: never jumps with the wall clock (NTP, DST, the user). */
export function monotonicMs(): number {
  return performance.now();
}
