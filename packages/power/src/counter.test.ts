import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type CounterStep, counterStep } from "./counter.ts";
import { measuredDevice } from "./device.ts";
import { DeviceAccumulator } from "./meter/accumulator.ts";
import { reading } from "./source.ts";

const step = (): CounterStep => ({ joules: 0, verdict: "ok" });

describe("counterStep", () => {
  it("tells a forward move, one wrap, possible extra wraps, an implausible jump and a reset apart", () => {
    expect(counterStep(10, 15, 100, 50, step())).toEqual({ joules: 5, verdict: "ok" });
    expect(counterStep(95, 5, 100, 50, step())).toEqual({ joules: 10, verdict: "wrapped" });
    // 10 J visible, but 110 J (one more lap) fits under the 120 J the device could draw.
    expect(counterStep(95, 5, 100, 120, step())).toEqual({
      joules: 10,
      verdict: "ambiguous-wraps",
    });
    expect(counterStep(10, 90, 100, 50, step())).toEqual({
      joules: 0,
      verdict: "implausible-delta",
    });
    expect(counterStep(10, 5, Number.POSITIVE_INFINITY, 50, step())).toEqual({
      joules: 0,
      verdict: "counter-reset",
    });
    expect(counterStep(10, 500, Number.POSITIVE_INFINITY, 50, step())).toEqual({
      joules: 0,
      verdict: "implausible-delta",
    });
    // Readings past the range are not the counter's: never a negative energy.
    expect(counterStep(150, 10, 100, 1e9, step())).toEqual({
      joules: 0,
      verdict: "implausible-delta",
    });
  });

  it("recovers every joule of any sequence sampled often enough, whatever the wraps", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1, max: 1e6, noNaN: true }),
        fc.double({ min: 0, max: 0.999, noNaN: true }),
        // Energies stay 0.1% under maxJ, and maxJ at least a millionth of the range: the
        // counter's own rounding (an ulp of rangeJ) can then never push a delta past maxJ, as
        // it could with subnormal shares (seed -1666020400 once drew maxJ = 1.8e-188 J).
        fc.array(fc.double({ min: 0, max: 0.999, noNaN: true }), { maxLength: 200 }),
        fc.double({ min: 1e-6, max: 0.49, noNaN: true }),
        (rangeJ, start, fractions, maxShare) => {
          // Each interval's energy is under maxJ, and maxJ < rangeJ / 2: one wrap at most, and never ambiguous.
          const maxJ = rangeJ * maxShare;
          let counter = start * rangeJ;
          let truth = 0;
          let counted = 0;
          const into = step();
          for (const f of fractions) {
            const e = f * maxJ;
            const next = (counter + e) % rangeJ;
            const s = counterStep(counter, next, rangeJ, maxJ, into);
            expect(s.joules).toBeGreaterThanOrEqual(0);
            expect(["ok", "wrapped"]).toContain(s.verdict);
            truth += e;
            counted += s.joules;
            counter = next;
          }
          expect(Math.abs(counted - truth)).toBeLessThanOrEqual(
            1e-9 * rangeJ * (fractions.length + 1),
          );
        },
      ),
    );
  });

  it("never counts negative energy for any readings at all, and counts either nothing or the visible delta", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1e-3, max: 1e9, noNaN: true }),
        fc.array(
          fc.tuple(
            fc.double({ min: 0, max: 1, noNaN: true }),
            fc.double({ min: 0, max: 1e10, noNaN: true }),
          ),
          {
            minLength: 2,
            maxLength: 100,
          },
        ),
        (rangeJ, points) => {
          const into = step();
          let previous = (points[0]?.[0] ?? 0) * rangeJ;
          for (const [f, maxJ] of points.slice(1)) {
            const next = f * rangeJ;
            const s = counterStep(previous, next, rangeJ, maxJ, into);
            const visible = next >= previous ? next - previous : next - previous + rangeJ;
            expect(s.joules).toBeGreaterThanOrEqual(0);
            expect([0, visible]).toContain(s.joules);
            previous = next;
          }
        },
      ),
    );
  });
});

describe("DeviceAccumulator", () => {
  const zone = measuredDevice({
    id: "rapl:intel-rapl:0",
    name: "package-0",
    kind: "cpu",
    reader: "rapl",
    counter: { rangeJ: 1000 },
    maxWatts: 100,
  });

  it("sums the deltas of any sampled sequence with wraps, and flags a long gap as a lower bound", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(fc.integer({ min: 1, max: 5000 }), fc.double({ min: 0, max: 1, noNaN: true })),
          { maxLength: 100 },
        ),
        (steps) => {
          const acc = new DeviceAccumulator(zone, 0);
          let atMs = 0;
          let counter = 123;
          acc.add(reading(counter, Number.NaN, Number.NaN, null), atMs);
          let truth = 0;
          for (const [dtMs, load] of steps) {
            const e = load * zone.maxWatts * (dtMs / 1000);
            truth += e;
            counter = (counter + e) % 1000;
            atMs += dtMs;
            acc.add(reading(counter, Number.NaN, Number.NaN, null), atMs);
            expect(acc.energyJ).toBeGreaterThanOrEqual(0);
          }
          // At 100 W a 1000 J range allows gaps up to ~7.9 s with the plausibility slack: all under 5 s here.
          expect(acc.lowerBound).toBe(false);
          expect(Math.abs(acc.energyJ - truth)).toBeLessThan(1e-6 * (steps.length + 1));
        },
      ),
    );
    const acc = new DeviceAccumulator(zone, 0);
    acc.add(reading(100, Number.NaN, Number.NaN, null), 0);
    acc.add(reading(200, Number.NaN, Number.NaN, null), 1000);
    acc.add(reading(300, Number.NaN, Number.NaN, null), 61_000);
    expect(acc.energyJ).toBe(200);
    expect(acc.lowerBound).toBe(true);
    expect(acc.problem).toMatchObject({
      kind: "ambiguous-wraps",
      // (1000 J / 100 W − 0.1 s) / 1.25 = 7.92 s; "every 10 s" (range ÷ power) was flagged too.
      fix: "sample at least every 7 s",
    });
  });

  it("integrates power by trapezoids and bridges a failed reading", () => {
    const gpu = measuredDevice({
      id: "nvml:GPU-1",
      name: "T4",
      kind: "gpu",
      reader: "nvml",
      counter: null,
      maxWatts: 140,
    });
    const acc = new DeviceAccumulator(gpu, 0);
    acc.add(reading(Number.NaN, 50, Number.NaN, null), 0);
    acc.add(reading(Number.NaN, 70, Number.NaN, null), 2000);
    acc.add(
      reading(Number.NaN, Number.NaN, Number.NaN, {
        kind: "driver-error",
        message: "x",
        device: gpu.id,
      }),
      3000,
    );
    acc.add(reading(Number.NaN, 30, Number.NaN, null), 4000);
    expect(acc.energyJ).toBeCloseTo(120 + 100, 9);
    expect(acc.samples).toBe(3);
    expect(acc.skipped).toBe(1);
    expect(acc.watts).toBe(30);
  });
});
