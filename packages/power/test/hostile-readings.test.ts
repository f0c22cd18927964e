import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DeviceAccumulator } from "../src/index.ts";
import { safeIntervalFix } from "../src/meter/accumulator.ts";
import { measuredDeviceForTests } from "./helpers/meter-fixtures.ts";

/** What a reader may hand the meter: good numbers, and the ones a broken reader gives. */
const hostileNumber = fc.oneof(
  fc.double({ min: -1e6, max: 1e6, noNaN: true }),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0, 0),
);
const step = fc.record({
  energyJ: hostileNumber,
  watts: hostileNumber,
  // Timestamps that stand still, go back, or are not numbers.
  atMs: fc.oneof(fc.double({ min: 0, max: 1e7, noNaN: true }), fc.constant(Number.NaN)),
});

function run(
  counter: boolean | number,
  steps: readonly { energyJ: number; watts: number; atMs: number }[],
  sampleIntervalS = Number.NaN,
) {
  const device = {
    ...measuredDeviceForTests("dev", "cpu"),
    // A number: a counter that wraps at that many joules.
    counter:
      counter === false ? null : { rangeJ: counter === true ? Number.POSITIVE_INFINITY : counter },
  };
  const acc = new DeviceAccumulator(device, 0, sampleIntervalS);
  for (const s of steps)
    acc.add({ energyJ: s.energyJ, watts: s.watts, utilisation: Number.NaN, problem: null }, s.atMs);
  return acc;
}

describe("the meter's accumulation of hostile readings", () => {
  it("never makes energy or uncounted time NaN, infinite or negative (property)", () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.boolean(), fc.constantFrom(100, 262_143.33)),
        fc.array(step, { maxLength: 30 }),
        (counter, steps) => {
          const acc = run(counter, steps);
          expect(Number.isFinite(acc.energyJ) && acc.energyJ >= 0).toBe(true);
          expect(Number.isFinite(acc.uncountedS) && acc.uncountedS >= 0).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });

  it("flags an infinite counter, a negative power and a timestamp going back", () => {
    const counter = run(true, [
      { energyJ: 5, watts: Number.NaN, atMs: 1000 },
      { energyJ: Number.POSITIVE_INFINITY, watts: Number.NaN, atMs: 2000 },
    ]);
    expect(counter.problem).toMatchObject({ kind: "out-of-range" });
    expect(counter.problem?.message).toMatch(/energy counter reads Infinity J/);

    const power = run(false, [
      { energyJ: Number.NaN, watts: 10, atMs: 1000 },
      { energyJ: Number.NaN, watts: -50, atMs: 2000 },
    ]);
    expect(power.energyJ).toBe(0);
    expect(power.problem?.message).toMatch(/power reads -50 W/);

    // Back in time then forward: the 1 s from 1000 to 2000 ms is counted once, not twice.
    const clock = run(false, [
      { energyJ: Number.NaN, watts: 10, atMs: 1000 },
      { energyJ: Number.NaN, watts: 10, atMs: 500 },
      { energyJ: Number.NaN, watts: 10, atMs: 2000 },
    ]);
    expect(clock.energyJ).toBeCloseTo(10, 9);
    expect(clock.skipped).toBe(1);
  });

  it("refuses a counter reading outside its own range instead of counting negative energy", () => {
    // 150 J is past a 100 J range: (10 − 150) + 100 was counted as −40 J.
    const acc = run(100, [
      { energyJ: 150, watts: Number.NaN, atMs: 0 },
      { energyJ: 10, watts: Number.NaN, atMs: 1000 },
      { energyJ: 30, watts: Number.NaN, atMs: 2000 },
    ]);
    expect(acc.energyJ).toBe(20);
    expect(acc.skipped).toBe(1);
    const negative = run(true, [
      { energyJ: -5, watts: Number.NaN, atMs: 0 },
      { energyJ: 10, watts: Number.NaN, atMs: 1000 },
    ]);
    expect(negative.energyJ).toBe(0);
    expect(negative.skipped).toBe(1);
    expect(run(100, [{ energyJ: 150, watts: Number.NaN, atMs: 0 }]).problem).toMatchObject({
      kind: "out-of-range",
      message: expect.stringMatching(/reads 150 J, outside its range \[0, 100 J\)/),
    });
  });

  it("refuses a power reading above what the device can draw, and bridges it", () => {
    // One glitched amdgpu power1_average of all ones (4,294,967 W) at 1000 W max.
    const acc = run(false, [
      { energyJ: Number.NaN, watts: 150, atMs: 0 },
      { energyJ: Number.NaN, watts: 4_294_967.295, atMs: 1000 },
      { energyJ: Number.NaN, watts: 150, atMs: 2000 },
    ]);
    expect(acc.energyJ).toBeCloseTo(300, 9);
    expect(acc.skipped).toBe(1);
    const glitch = run(false, [{ energyJ: Number.NaN, watts: 4_294_967.295, atMs: 0 }]);
    expect(glitch.problem?.message).toMatch(/more than the 1000 W this device can draw/);
  });

  it("flags power drawn as a line across a pause, still counting it, from the caller's interval", () => {
    const second = (atMs: number) => ({ energyJ: Number.NaN, watts: 100, atMs });
    // Every second, then nothing for ten minutes (SIGSTOP, a paused VM), then every second.
    const pause = [second(0), second(1000), second(2000), second(602_000)];
    const paused = run(false, pause, 1);
    expect(paused.problem?.kind).toBe("long-bridge");
    expect(paused.problem?.message).toMatch(
      /600\.0 s passed between two power readings sampled every 1\.0 s .* an estimate rather than a measurement/,
    );
    expect(paused.energyJ).toBeCloseTo(100 * 602, 6);
    expect(paused.samples).toBe(4);
    paused.add(
      { energyJ: Number.NaN, watts: 100, utilisation: Number.NaN, problem: null },
      603_000,
    );
    expect(paused.problem).toBeNull();
    // Ticks every 10 s with an epoch's end a second before one: the short interval it makes
    // does not turn the next tick into a pause. Nor is a steady minute at a minute's interval.
    const ticks = [second(0), second(9000), second(10_000), second(20_000), second(30_000)];
    expect(run(false, ticks, 10).problem).toBeNull();
    expect(run(false, [second(0), second(60_000), second(120_000)], 60).problem).toBeNull();
    // Under 10 s is never a pause, whatever the interval; a caller that gave none is not flagged.
    expect(run(false, [second(0), second(9_900)], 0.01).problem).toBeNull();
    expect(run(false, [second(0), second(10_000)], 0.01).problem?.message).toMatch(
      /sampled every 10 ms/,
    );
    expect(run(false, pause).problem).toBeNull();
    // A counter measures the gap itself.
    const counter = (energyJ: number, atMs: number) => ({ energyJ, watts: Number.NaN, atMs });
    const counted = run(true, [counter(0, 0), counter(100, 1000), counter(60_100, 601_000)], 1);
    expect(counted.problem).toBeNull();
    expect(counted.energyJ).toBe(60_100);
  });

  it("advises an interval the wrap check accepts", () => {
    // Intel's usual RAPL range at a 1000 W ceiling: "every 262 s" was flagged again at 262 s.
    const rangeJ = 262_143.328851;
    const acc = run(rangeJ, [
      { energyJ: 0, watts: Number.NaN, atMs: 0 },
      { energyJ: 30_000, watts: Number.NaN, atMs: 400_000 },
    ]);
    expect(acc.problem?.kind).toBe("ambiguous-wraps");
    const every = Number(/every (\d+) s/.exec(acc.problem?.fix ?? "")?.[1]);
    expect(every).toBe(209);
    const followed = run(rangeJ, [
      { energyJ: 0, watts: Number.NaN, atMs: 0 },
      { energyJ: 75 * every, watts: Number.NaN, atMs: every * 1000 },
    ]);
    expect(followed.problem).toBeNull();
    expect(safeIntervalFix(500, 50)).toBe("sample at least every 7 s");
    expect(safeIntervalFix(1000, 1000)).toBe("sample at least every 719 ms");
    // The check's 0.1 s of slack alone covers the range: no interval is safe.
    expect(safeIntervalFix(100, 1000)).toMatch(/wraps too fast/);
  });
});
