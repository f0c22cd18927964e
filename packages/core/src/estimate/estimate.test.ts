import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { userSupplied } from "../provenance.ts";
import { resolvePue } from "../pue.ts";
import { gramsPerKWh, hours, milliseconds, watts } from "../units/quantity.ts";
import { type EstimateInput, estimate, type IntensityInput } from "./estimate.ts";

const intensity: IntensityInput = {
  zone: "DE",
  intensity: gramsPerKWh(400),
  provenance: userSupplied("test intensity"),
};

function pue(value: number) {
  const result = resolvePue(value);
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

function input(overrides: Partial<EstimateInput> = {}): EstimateInput {
  return {
    components: [
      { name: "GPU", kind: "gpu", power: watts(250), count: 2, provenance: userSupplied("gpu") },
      { name: "CPU", kind: "cpu", power: watts(100), count: 1, provenance: userSupplied("cpu") },
    ],
    work: { kind: "duration", duration: hours(2) },
    intensity,
    pue: pue(1.5),
    ...overrides,
  };
}

describe("estimate", () => {
  it("computes energy = sum(P x n) x t x PUE and carbon = energy x intensity", () => {
    const result = estimate(input());
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    // (2 x 250 + 100) W x 2 h = 1.2 kWh IT; x 1.5 = 1.8 kWh; x 400 g/kWh = 720 g
    expect(result.value.itEnergy.value).toBeCloseTo(1.2, 12);
    expect(result.value.energy).toEqual({ value: expect.closeTo(1.8, 12), unit: "kWh" });
    expect(result.value.carbon.value).toBeCloseTo(720, 9);
    expect(result.value.duration).toEqual({ value: 7200, unit: "s" });
  });

  it("returns a breakdown that adds up to the totals, facility overhead included", () => {
    const result = estimate(input());
    if (!result.ok) throw new Error(result.error.message);
    const rows = result.value.breakdown;
    expect(rows.map((row) => row.kind)).toEqual(["gpu", "cpu", "facility"]);
    expect(rows[0]?.power).toEqual({ value: 500, unit: "W" });
    expect(rows[0]?.energy.value).toBeCloseTo(1.0, 12);
    expect(rows[2]?.energy.value).toBeCloseTo(0.6, 12);
    const energySum = rows.reduce((sum, row) => sum + row.energy.value, 0);
    const carbonSum = rows.reduce((sum, row) => sum + row.carbon.value, 0);
    expect(energySum).toBeCloseTo(result.value.energy.value, 12);
    expect(carbonSum).toBeCloseTo(result.value.carbon.value, 9);
    expect(rows[2]?.provenance.source.id).toBe("user");
  });

  it("handles inference work as latency x count", () => {
    const result = estimate(
      input({
        components: [
          { name: "A", kind: "gpu", power: watts(300), count: 1, provenance: userSupplied("a") },
        ],
        work: { kind: "inferences", latency: milliseconds(120), count: 1000 },
        pue: pue(1),
      }),
    );
    if (!result.ok) throw new Error(result.error.message);
    // 300 W x 0.12 s x 1000 = 36 kJ = 0.01 kWh -> 4 g
    expect(result.value.duration.value).toBeCloseTo(120, 12);
    expect(result.value.energy.value).toBeCloseTo(0.01, 12);
    expect(result.value.carbon.value).toBeCloseTo(4, 9);
    expect(result.value.breakdown[1]?.energy.value).toBe(0);
  });

  it.each([
    [{ components: [] }, /at least one hardware component/],
    [{ work: { kind: "duration" as const, duration: hours(-1) } }, /duration must not be negative/],
    [
      {
        components: [
          {
            name: "X",
            kind: "cpu" as const,
            power: watts(Number.NaN),
            count: 1,
            provenance: userSupplied("x"),
          },
        ],
      },
      /power/,
    ],
    [
      {
        components: [
          {
            name: "X",
            kind: "cpu" as const,
            power: watts(10),
            count: 0,
            provenance: userSupplied("x"),
          },
        ],
      },
      /count must be at least 1/,
    ],
    [
      { work: { kind: "inferences" as const, latency: milliseconds(5), count: 1.5 } },
      /whole number/,
    ],
    [
      { work: { kind: "inferences" as const, latency: milliseconds(Infinity), count: 1 } },
      /^work\.latency\.value: latency must be finite$/,
    ],
    [
      { intensity: { ...intensity, intensity: gramsPerKWh(-1) } },
      /^intensity\.intensity\.value: grid intensity must not be negative$/,
    ],
    [{ pue: { ...pue(1.5), value: 0.9 } }, /^pue\.value: PUE must be at least 1$/],
    [
      {
        components: [
          {
            name: "",
            kind: "cpu" as const,
            power: watts(1),
            count: 1,
            provenance: userSupplied("x"),
          },
        ],
      },
      /^components\.0\.name: component name must not be empty$/,
    ],
  ])("rejects bad input %#", (overrides, message) => {
    const result = estimate(input(overrides));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toMatch(message);
  });

  const one = (power: number, count = 1) => [
    { name: "X", kind: "cpu" as const, power: watts(power), count, provenance: userSupplied("x") },
  ];
  it.each([
    ["power x time", { components: one(1e308) }],
    ["many devices", { components: one(1e308, 3) }],
    [
      "latency x count",
      { work: { kind: "inferences" as const, latency: hours(1e305), count: 10 } },
    ],
    [
      // Nothing runs, but the facility's share of 1e308 W at PUE 5 is 4e308 W.
      "the PUE",
      {
        components: one(1e308),
        pue: { ...pue(1.5), value: 5 },
        work: { kind: "duration" as const, duration: hours(0) },
      },
    ],
    ["the intensity", { intensity: { ...intensity, intensity: gramsPerKWh(1e308) } }],
  ])(
    "refuses finite inputs whose result overflows (%s) instead of returning Infinity",
    (_, overrides) => {
      const result = estimate(input(overrides));
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.error.kind).toBe("result-out-of-range");
        expect(result.error.message).toMatch(
          /^result out of range: the (duration|power|energy|carbon) for .* W over .* s at PUE .* gCO2eq\/kWh is beyond the largest number \(about 1\.8e308 (s|W|J|gCO2eq)\)$/,
        );
      }
    },
  );

  it("still computes results just below the overflow", () => {
    // 1e300 W for two hours is 7.2e303 J = 2e297 kWh: huge, finite, and reported as such.
    const result = estimate(input({ components: one(1e300), pue: pue(1) }));
    if (!result.ok) throw new Error(result.error.message);
    expect(result.value.energy.value / 2e297).toBeCloseTo(1, 12);
    expect(result.value.carbon.value / (2e297 * 400)).toBeCloseTo(1, 12);
  });
});

describe("estimate overflow", () => {
  const one = (power: number, count = 1) => [
    {
      name: "x",
      kind: "accelerator" as const,
      power: watts(power),
      count,
      provenance: userSupplied("x"),
    },
  ];

  it.each([
    ["duration", { work: { kind: "inferences" as const, latency: hours(1e306), count: 1 } }],
    ["power", { components: one(1e308, 2) }],
    [
      "power",
      {
        components: one(1.5e308),
        work: { kind: "duration" as const, duration: milliseconds(1) },
        pue: pue(1.5),
      },
    ],
    [
      "energy",
      { components: one(1e200), work: { kind: "duration" as const, duration: hours(1e200) } },
    ],
    [
      "energy",
      {
        components: one(1e200),
        work: { kind: "duration" as const, duration: hours(1e200) },
        pue: pue(1),
      },
    ],
    [
      "carbon",
      { components: one(1000), intensity: { ...intensity, intensity: gramsPerKWh(1e308) } },
    ],
  ] as const)(
    "names %s when finite inputs multiply past the largest double",
    (quantity, overrides) => {
      const result = estimate(input(overrides));
      expect(result).toMatchObject({
        ok: false,
        error: { kind: "result-out-of-range", quantity },
      });
      if (!result.ok)
        expect(result.error.message).toMatch(
          new RegExp(
            `^result out of range: the ${quantity} for .* is beyond the largest number \\(about 1\\.8e308 ${{ duration: "s", power: "W", energy: "J", carbon: "gCO2eq" }[quantity]}\\)$`,
          ),
        );
    },
  );

  it("answers finite numbers or an overflow error for any finite non-negative inputs, never NaN", () => {
    const big = fc.double({ min: 0, max: Number.MAX_VALUE, noNaN: true });
    fc.assert(
      fc.property(
        big,
        big,
        big,
        fc.double({ min: 1, max: 5, noNaN: true }),
        (power, latency, ci, pueValue) => {
          const result = estimate(
            input({
              components: one(power),
              work: { kind: "inferences", latency: hours(latency), count: 1 },
              intensity: { ...intensity, intensity: gramsPerKWh(ci) },
              pue: { ...pue(1.5), value: pueValue },
            }),
          );
          if (!result.ok) {
            expect(result.error.kind).toBe("result-out-of-range");
            return;
          }
          const numbers = [
            result.value.duration.value,
            result.value.energy.value,
            result.value.itEnergy.value,
            result.value.carbon.value,
            ...result.value.breakdown.flatMap((row) => [
              row.power.value,
              row.energy.value,
              row.carbon.value,
            ]),
          ];
          for (const value of numbers) expect(Number.isFinite(value)).toBe(true);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
