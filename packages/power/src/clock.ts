/**
 * Milliseconds on a monotonic clock: never jumps with the wall clock (NTP, DST, the user).
 * Read through the global `performance` (the same object as `node:perf_hooks`'s), so that a
 * test's fake timers move it together with `Date` and `setInterval`.
 */
export function monotonicMs(): number {
  return globalThis.performance.now();
}
