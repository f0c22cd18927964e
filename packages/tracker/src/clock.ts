import { dateTimeMs } from "@wattprint/core/units";
import type { TrackerClock } from "./options.ts";

/**
 * The real clock. Globals are looked up at each call, not captured at import, so a test's
 * fake timers (which replace them) drive the tracker and the power meter together.
 */
export const systemClock: TrackerClock = {
  now: () => new Date(),
  monotonicMs: () => globalThis.performance.now(),
  setInterval: (callback, ms) => {
    const handle = globalThis.setInterval(callback, ms);
    // A tracker never keeps the host process alive.
    if (typeof handle === "object" && handle !== null && "unref" in handle) handle.unref();
    return handle;
  },
  clearInterval: (handle) => globalThis.clearInterval(handle as NodeJS.Timeout),
};

/**
 * An injected clock made safe to call anywhere, timer callbacks included, where a throw would
 * end the host process. A `now()` that throws or gives an invalid Date is answered with the
 * system's wall time; a `monotonicMs()` that throws or gives a non-finite number, with the
 * last good reading (time stands still rather than jumping between two clocks, so no energy
 * is invented). Each such reading is counted, and `onFirstFailure` is told once (the tracker
 * warns). The system clock needs no guard and is returned as it is.
 */
export function guardedClock(
  clock: TrackerClock,
  onFirstFailure: (what: string) => void,
): { readonly clock: TrackerClock; failures(): number } {
  if (clock === systemClock) return { clock, failures: () => 0 };
  let failures = 0;
  let lastMonotonicMs = 0;
  const failed = (what: string): void => {
    if (failures++ === 0) onFirstFailure(what);
  };
  return {
    failures: () => failures,
    clock: {
      now: () => {
        let value: unknown;
        try {
          value = clock.now();
        } catch (error) {
          failed(`clock.now() threw (${error instanceof Error ? error.message : "a non-error"})`);
          return new Date();
        }
        const ms = dateTimeMs(value);
        if (ms !== undefined && !Number.isNaN(ms)) return new Date(ms);
        failed("clock.now() returned something other than a valid Date");
        return new Date();
      },
      monotonicMs: () => {
        let value: unknown;
        try {
          value = clock.monotonicMs();
        } catch (error) {
          failed(
            `clock.monotonicMs() threw (${error instanceof Error ? error.message : "a non-error"})`,
          );
          return lastMonotonicMs;
        }
        if (typeof value === "number" && Number.isFinite(value)) {
          lastMonotonicMs = value;
          return value;
        }
        failed("clock.monotonicMs() returned something other than a finite number");
        return lastMonotonicMs;
      },
      setInterval: (callback, ms) => clock.setInterval(callback, ms),
      clearInterval: (handle) => clock.clearInterval(handle),
    },
  };
}
