import { describe, expect, it } from "vitest";
import { CarbonTracker, type TrackerClock, trackerResultSchema } from "../src/index.ts";

/** The system's clocks, with the wall clock moved by `offset.ms` (an NTP step, `date -s`). */
function steppedClock(offset: { ms: number }): TrackerClock {
  return {
    now: () => new Date(Date.now() + offset.ms),
    monotonicMs: () => performance.now(),
    setInterval: (callback: () => void, ms: number) => {
      const handle = setInterval(callback, ms);
      handle.unref();
      return handle;
    },
    clearInterval: (handle: unknown) => clearInterval(handle as NodeJS.Timeout),
  };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("a run across a wall-clock step", () => {
  it.each([
    ["back 5 minutes", -300_000],
    ["forward an hour", 3_600_000],
  ])(
    "ends its start plus its monotonic time after it, the clock stepped %s",
    async (_what, stepMs) => {
      const offset = { ms: 0 };
      const tracker = new CarbonTracker({
        epochs: 2,
        simCpu: "C",
        simCpuTdp: 100,
        intensityGPerKWh: 100,
        verbose: 0,
        clock: steppedClock(offset),
      });
      await tracker.epochStart();
      const task = tracker.task("step");
      await pause(100);
      offset.ms = stepMs;
      await pause(100);
      const taskResult = await task.end();
      await tracker.epochEnd();
      const result = await tracker.stop();
      const startedMs = Date.parse(result.startedAt);
      const endedMs = Date.parse(result.endedAt);
      // Before, the end was read from the stepped wall clock: 5 minutes before the start, and
      // the run server refused the result; an hour after it with a wallS of 0.2 s.
      expect(endedMs - startedMs).toBeCloseTo(result.wallS * 1000, -1);
      expect(endedMs).toBeGreaterThanOrEqual(startedMs);
      expect(trackerResultSchema.safeParse(JSON.parse(JSON.stringify(result))).success).toBe(true);
      const taskSpanMs = Date.parse(taskResult.endedAt) - Date.parse(taskResult.startedAt);
      expect(taskSpanMs).toBeGreaterThanOrEqual(150);
      expect(taskSpanMs).toBeLessThan(60_000);
    },
  );
});
