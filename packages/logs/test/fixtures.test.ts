import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  aggregateConsumption,
  type ConsumptionRecord,
  parseAllLogs,
  parsedLogPairSchema,
} from "../src/index.ts";
import {
  carbontrackerChooses,
  carbontrackerGetConsumption,
  carbontrackerGetEarlyStop,
} from "./carbontracker-reads.test-support.ts";
import { fixture } from "./helpers.test-support.ts";

const KM = "km travelled by car";

function record(
  epochs: number,
  durationS: number,
  kWh: number,
  g: number,
  km: number | null,
): ConsumptionRecord {
  return {
    epochs,
    "duration (s)": durationS,
    "energy (kWh)": kWh,
    "co2eq (g)": g,
    equivalents: km === null ? null : { [KM]: km },
  };
}

function component(watts: number, epochs: number, devices: string[]) {
  return {
    "avg_power_usages (W)": Array.from({ length: epochs }, () => [watts]),
    "avg_energy_usages (J)": Array.from({ length: epochs }, () => [watts * 0.3]),
    "epoch_durations (s)": Array.from({ length: epochs }, () => 0.3),
    devices,
  };
}

async function parsedFixture(name: string) {
  const parsed = await parseAllLogs(fixture(name));
  if (!parsed.ok) throw new Error(parsed.error.message);
  expect(parsed.value.skipped).toEqual([]);
  for (const pair of parsed.value.logs) expect(parsedLogPairSchema.parse(pair)).toEqual(pair);
  return parsed.value;
}

/** What carbontracker's aggregate would count for a fixture's pair, from its own regexes. */
function carbontrackerEnergy(dir: string, stem: string): number | undefined {
  const output = readFileSync(join(fixture(dir), `${stem}_carbontracker_output.log`), "utf8");
  const std = readFileSync(join(fixture(dir), `${stem}_carbontracker.log`), "utf8");
  const [actual, pred] = carbontrackerGetConsumption(output);
  return carbontrackerChooses(actual, pred, carbontrackerGetEarlyStop(std))?.["energy (kWh)"];
}

describe("every fixture folder parses to the corrected values", () => {
  it("v243-pred2-stop3-e5: an interrupted 2.4.3 run, its actual labelled 2 epochs after 3 measured", async () => {
    const { logs, counters } = await parsedFixture("v243-pred2-stop3-e5");
    expect(counters).toMatchObject({ pairsParsed: 1, errorLogs: 1, notLogs: 0 });
    expect(logs).toEqual([
      {
        output_filename: join(
          fixture("v243-pred2-stop3-e5"),
          "1795.279208_2026-11-28T225323Z_carbontracker_output.log",
        ),
        standard_filename: join(
          fixture("v243-pred2-stop3-e5"),
          "1795.279208_2026-11-28T225323Z_carbontracker.log",
        ),
        components: {
          gpu: component(240, 3, ["NVIDIA Sim"]),
          cpu: component(50, 3, ["Intel Xeon Test"]),
        },
        early_stop: true,
        // The label says 2 (carbontracker's stop() takes one off); 3 epochs are in the standard log.
        actual: record(2, 1, 0.000114616893, 0.016424648959, 0.000153788848),
        pred: record(5, 2, 0.000191030735, 0.027374784555, 0.000256318207),
      },
    ]);
    const total = await aggregateConsumption(fixture("v243-pred2-stop3-e5"));
    expect(total.ok && total.value.energyKWh).toBe(0.000114616893);
  });

  it("v231-pred1-e3: 2.3.1 wording, every run reported as interrupted", async () => {
    const { logs } = await parsedFixture("v231-pred1-e3");
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatchObject({
      components: {
        gpu: component(240, 3, ["NVIDIA Sim"]),
        cpu: component(50, 3, ["Intel Xeon Test"]),
      },
      early_stop: true,
      actual: record(2, 1, 0.000114629942, 0.017383665076, 0.000161708512),
      pred: record(3, 1, 0.000114626725, 0.017383177276, 0.000161703975),
    });
  });

  it("v243-cpu-only: one component whose device name holds a dot", async () => {
    const { logs } = await parsedFixture("v243-cpu-only");
    expect(logs[0]?.components).toEqual({
      cpu: component(30, 2, ["Intel(R) Xeon(R) CPU @ 2.20GHz"]),
    });
    expect(logs[0]).toMatchObject({
      early_stop: false,
      actual: record(2, 1, 0.000007905015, 0.001132791991, 0.000010606667),
      pred: record(2, 1, 0.000007905593, 0.001132874763, 0.000010607442),
    });
    // A completed run counts its actual consumption; carbontracker, reading its epochs as 1,
    // counts the prediction.
    const total = await aggregateConsumption(fixture("v243-cpu-only"));
    expect(total.ok && total.value.energyKWh).toBe(0.000007905015);
    expect(carbontrackerEnergy("v243-cpu-only", "1823.993592_2026-11-28T225326Z")).toBe(
      0.000007905593,
    );
  });

  it("v231-noninterp-e3: records without equivalents are read", async () => {
    const { logs } = await parsedFixture("v231-noninterp-e3");
    expect(logs[0]).toMatchObject({
      early_stop: true,
      actual: record(2, 1, 0.000114619655, 0.017382105036, null),
      pred: record(3, 1, 0.000114622538, 0.017382542216, null),
    });
    const total = await aggregateConsumption(fixture("v231-noninterp-e3"));
    if (!total.ok) throw new Error(total.error.message);
    expect(total.value.energyKWh).toBe(0.000114619655);
    // The total's equivalent is computed from the CO2 of a record that has none.
    expect(total.value.equivalents).toEqual({ [KM]: 0.017382105036 / 106.8 });
    expect(total.value.runsWithComputedEquivalents).toBe(1);
    // carbontracker reads neither record, so the run counts for nothing.
    expect(carbontrackerEnergy("v231-noninterp-e3", "1982.276056_2026-11-28T225342Z")).toBe(
      undefined,
    );
  });

  it("v243-multi-run: two runs paired by stem, sorted by output name", async () => {
    const { logs, counters } = await parsedFixture("v243-multi-run");
    expect(counters).toMatchObject({ pairsParsed: 2, errorLogs: 2 });
    expect(logs.map((l) => l.output_filename)).toEqual([
      join(fixture("v243-multi-run"), "1908.41821_2026-11-28T225334Z_carbontracker_output.log"),
      join(
        fixture("v243-multi-run"),
        "second_1921.680835_2026-11-28T225336Z_carbontracker_output.log",
      ),
    ]);
    expect(logs[0]).toMatchObject({
      components: {
        gpu: component(240, 2, ["NVIDIA Sim"]),
        cpu: component(50, 2, ["Intel Xeon Test"]),
      },
      early_stop: false,
      actual: record(2, 1, 0.000076420791, 0.010951131404, 0.000102538684),
      pred: record(2, 1, 0.000076423947, 0.010951583649, 0.000102542918),
    });
    expect(logs[1]).toMatchObject({
      components: { cpu: component(50, 3, ["Intel Xeon Test"]) },
      early_stop: false,
      actual: record(3, 1, 0.000019760837, 0.002831736312, 0.000026514385),
      pred: record(3, 1, 0.000019761015, 0.002831761803, 0.000026514624),
    });
    const total = await aggregateConsumption(fixture("v243-multi-run"));
    if (!total.ok) throw new Error(total.error.message);
    expect(total.value.energyKWh).toBeCloseTo(0.000076420791 + 0.000019760837, 18);
    expect(total.value.co2eqG).toBeCloseTo(0.010951131404 + 0.002831736312, 18);
    expect(total.value.equivalents[KM]).toBeCloseTo(0.000102538684 + 0.000026514385, 18);
    expect(total.value.runsCounted).toBe(2);
  });

  it("covers every folder of the fixtures", () => {
    const folders = readdirSync(fixture("."), { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
    expect(folders).toEqual([
      "v231-noninterp-e3",
      "v231-pred1-e3",
      "v243-cpu-only",
      "v243-multi-run",
      "v243-pred2-stop3-e5",
    ]);
  });
});
