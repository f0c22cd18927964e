import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DeviceAccumulator } from "../src/index.ts";
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

function run(counter: boolean, steps: readonly { energyJ: number; watts: number; atMs: number }[]) {
  const device = {
    ...measuredDeviceForTests("dev", "cpu"),
    counter: counter ? { rangeJ: Number.POSITIVE_INFINITY } : null,
  };
  const acc = new DeviceAccumulator(device, 0);
  for (const s of steps)
    acc.add({ energyJ: s.energyJ, watts: s.watts, utilisation: Number.NaN, problem: null }, s.atMs);
  return acc;
}

describe("the meter's accumulation of hostile readings", () => {
  it("never makes energy or uncounted time NaN, infinite or negative (property)", () => {
    fc.assert(
      fc.property(fc.boolean(), fc.array(step, { maxLength: 30 }), (counter, steps) => {
        const acc = run(counter, steps);
        expect(Number.isFinite(acc.energyJ) && acc.energyJ >= 0).toBe(true);
        expect(Number.isFinite(acc.uncountedS) && acc.uncountedS >= 0).toBe(true);
      }),
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
});
