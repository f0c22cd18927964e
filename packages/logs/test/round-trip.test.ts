import { readFileSync } from "node:fs";
import { gramsCO2eq, gramsPerKWh, kilowattHours, seconds, watts } from "@wattprint/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { epochRecord, POWER_SIGNIFICANT_DIGITS } from "../src/format/records.ts";
import {
  carKm,
  fixedDecimal,
  formatEpochDuration,
  formatHms,
  parseAllLogs,
  parseClock,
  plainDecimal,
  startLogs,
} from "../src/index.ts";
import {
  carbontrackerGetAvgPowerUsages,
  carbontrackerGetConsumption,
  carbontrackerGetEpochDurations,
} from "./carbontracker-reads.test-support.ts";
import { useTempDirs } from "./helpers.test-support.ts";

const newDir = useTempDirs();

/** Powers from microwatts to kilowatts: the small ones are where scientific notation would appear. */
const power = fc.oneof(
  fc.double({ min: 0, max: 5000, noNaN: true }),
  fc.double({ min: 1e-12, max: 1e-3, noNaN: true }),
  fc.integer({ min: 0, max: 2000 }),
);
const componentPower = fc.oneof(
  power,
  fc.array(power, { minLength: 1, maxLength: 4 }),
  fc.constant(null),
);
const record = fc.record({
  durationS: fc.double({ min: 0, max: 1e6, noNaN: true }),
  energyKWh: fc.oneof(
    fc.double({ min: 0, max: 1e4, noNaN: true }),
    fc.double({ min: 1e-15, max: 1e-6, noNaN: true }),
  ),
  co2eqG: fc.double({ min: 0, max: 1e6, noNaN: true }),
});
const DEVICES = [
  "NVIDIA A100-SXM4-40GB",
  "Intel(R) Xeon(R) CPU @ 2.20GHz",
  "cpu:0",
  "dram:0",
  "Apple M2 Max",
];
const run = fc.record({
  components: fc.constantFrom(["gpu", "cpu"], ["cpu"], ["gpu"], ["gpu", "cpu", "ane"]),
  devices: fc.array(fc.constantFrom(...DEVICES), { minLength: 1, maxLength: 3 }),
  epochs: fc.array(
    fc.record({
      durationS: fc.oneof(
        fc.double({ min: 0, max: 200_000, noNaN: true }),
        fc.double({ min: 0, max: 2, noNaN: true }),
      ),
      powers: fc.array(componentPower, { minLength: 3, maxLength: 3 }),
    }),
    { maxLength: 6 },
  ),
  pred: fc.option(fc.record({ epochs: fc.integer({ min: 0, max: 1000 }), figures: record })),
  actual: fc.option(record),
  earlyStop: fc.boolean(),
  decimalPrecision: fc.integer({ min: 1, max: 15 }),
  interpretable: fc.boolean(),
});

const sum = (p: number | number[] | null): number | null =>
  p === null ? null : Array.isArray(p) ? p.reduce((a, b) => a + b, 0) : p;
/** A power as the writer prints it: `POWER_SIGNIFICANT_DIGITS` significant digits. */
const asPowerWritten = (watts: number): number =>
  Number(watts.toPrecision(POWER_SIGNIFICANT_DIGITS));
const asWritten = (value: number, decimals: number): number =>
  Number(fixedDecimal(value, decimals));

describe("round trip: what the writer writes parses back to the same numbers", () => {
  it("in this parser and in carbontracker's regexes", async () => {
    await fc.assert(
      fc.asyncProperty(run, async (r) => {
        const dir = newDir();
        const components = r.components.map((name) => ({ name, devices: r.devices }));
        const started = startLogs({
          logDir: dir,
          components,
          decimalPrecision: r.decimalPrecision,
          interpretable: r.interpretable,
        });
        if (!started.ok) throw new Error(started.error.message);
        const w = started.value;
        for (const epoch of r.epochs) {
          const power: Record<
            string,
            ReturnType<typeof watts> | ReturnType<typeof watts>[] | null
          > = {};
          r.components.forEach((name, i) => {
            const p = epoch.powers[i] ?? null;
            power[name] = p === null ? null : Array.isArray(p) ? p.map(watts) : watts(p);
          });
          expect(w.epochEnd({ duration: seconds(epoch.durationS), power }).ok).toBe(true);
        }
        if (r.pred !== null) {
          const { figures } = r.pred;
          expect(
            w.prediction({
              epochs: r.pred.epochs,
              duration: seconds(figures.durationS),
              energy: kilowattHours(figures.energyKWh),
              carbon: gramsCO2eq(figures.co2eqG),
            }).ok,
          ).toBe(true);
        }
        if (r.earlyStop) expect(w.earlyStop({ plannedEpochs: r.epochs.length + 1 }).ok).toBe(true);
        if (r.actual !== null) {
          expect(
            w.actual({
              duration: seconds(r.actual.durationS),
              energy: kilowattHours(r.actual.energyKWh),
              carbon: gramsCO2eq(r.actual.co2eqG),
              averageIntensity: gramsPerKWh(143.3),
            }).ok,
          ).toBe(true);
        }
        expect(w.end().ok).toBe(true);

        // What the writer put in the files, as numbers.
        const durations = r.epochs.map(
          (e) => parseClock(formatEpochDuration(e.durationS)) ?? Number.NaN,
        );
        const expectRecord = (
          figures: { durationS: number; energyKWh: number; co2eqG: number },
          epochs: number,
        ) => ({
          epochs,
          "duration (s)": parseClock(formatHms(figures.durationS)),
          "energy (kWh)": asWritten(figures.energyKWh, r.decimalPrecision),
          "co2eq (g)": asWritten(figures.co2eqG, r.decimalPrecision),
          equivalents: r.interpretable
            ? {
                "km travelled by car": asWritten(
                  carKm(figures.co2eqG, figures.energyKWh),
                  r.decimalPrecision,
                ),
              }
            : null,
        });
        const expectedPowers = (i: number) =>
          r.epochs.map((e) => [asPowerWritten(sum(e.powers[i] ?? null) ?? 0)]);

        const parsed = await parseAllLogs(dir);
        if (!parsed.ok) throw new Error(parsed.error.message);
        expect(parsed.value.skipped).toEqual([]);
        const [pair] = parsed.value.logs;
        expect(parsed.value.logs).toHaveLength(1);
        expect(pair?.early_stop).toBe(r.earlyStop);
        expect(pair?.pred).toEqual(
          r.pred === null ? null : expectRecord(r.pred.figures, r.pred.epochs),
        );
        expect(pair?.actual).toEqual(
          r.actual === null ? null : expectRecord(r.actual, r.epochs.length),
        );
        r.components.forEach((name, i) => {
          const measured = pair?.components[name];
          expect(measured?.devices).toEqual(r.devices);
          expect(measured?.["epoch_durations (s)"]).toEqual(
            r.epochs.length === 0 ? null : durations,
          );
          expect(measured?.["avg_power_usages (W)"]).toEqual(
            r.epochs.length === 0 ? null : expectedPowers(i),
          );
          expect(measured?.["avg_energy_usages (J)"]).toEqual(
            r.epochs.length === 0
              ? null
              : expectedPowers(i).map(([p], e) => [(p ?? 0) * (durations[e] ?? 0)]),
          );
        });

        // carbontracker's own regexes read the same numbers.
        const std = readFileSync(w.files.standard, "utf8");
        const output = readFileSync(w.files.output, "utf8");
        expect(carbontrackerGetEpochDurations(std)).toEqual(durations);
        const theirPowers = carbontrackerGetAvgPowerUsages(std);
        r.components.forEach((name, i) => {
          if (r.epochs.length > 0) expect(theirPowers[name]).toEqual(expectedPowers(i));
        });
        if (r.interpretable) {
          const [actual, pred] = carbontrackerGetConsumption(output);
          const { epochs: _a, ...actualFigures } = pair?.actual ?? { epochs: 0 };
          const { epochs: predEpochs, ...predFigures } = pair?.pred ?? { epochs: 0 };
          if (r.actual === null) expect(actual).toBeNull();
          else expect(actual).toEqual({ epochs: 1, ...actualFigures });
          if (r.pred === null) expect(pred).toBeNull();
          else expect(pred).toEqual({ epochs: predEpochs, ...predFigures });
        }
      }),
      { numRuns: 60 },
    );
  });

  it("prints a mean power without the noise of its division: 240 W for 1.1 s is 240.0", () => {
    const meanW = (240 * 1.1) / 1.1; // 239.99999999999997
    expect(meanW).not.toBe(240);
    const text = epochRecord("2026-11-28 22:53:24", 1, 1.1, [
      ["gpu", meanW],
      ["cpu", 49.98548759339903],
      ["dram", 1.2e-5],
    ]);
    expect(text).toContain("Average power usage (W) for gpu: 240.0\n");
    expect(text).toContain("Average power usage (W) for cpu: 49.9854875934\n");
    expect(text).toContain("Average power usage (W) for dram: 0.000012\n");
  });

  it("never writes scientific notation, and every plain decimal reads back as the same double", () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1e300, noNaN: true }), (value) => {
        const text = plainDecimal(value);
        expect(text).toMatch(/^\d+\.\d+$/);
        expect(Number(text)).toBe(value);
      }),
    );
    expect(plainDecimal(1.2e-5)).toBe("0.000012");
    expect(plainDecimal(240)).toBe("240.0");
    expect(plainDecimal(1e21)).toBe("1000000000000000000000.0");
  });
});
