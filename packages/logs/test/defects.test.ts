import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  aggregateConsumption,
  getAvgPowerUsages,
  getConsumption,
  getDevices,
  parseAllLogs,
  parseLogs,
} from "../src/index.ts";
import {
  carbontrackerChooses,
  carbontrackerGetAvgPowerUsages,
  carbontrackerGetConsumption,
  carbontrackerGetDevices,
  carbontrackerGetEpochDurations,
  carbontrackerPairs,
  carbontrackerParseLogsRaises,
  carbontrackerTakesAsLog,
} from "./carbontracker-reads.test-support.ts";
import {
  outputLog,
  SAMPLE_ACTUAL,
  SAMPLE_PRED,
  samplePair,
  standardLog,
  writePair,
} from "./crafted-logs.test-support.ts";
import { fixture, useTempDirs } from "./helpers.test-support.ts";

/**
 * carbontracker 2.4.3's parser gets these logs wrong; this one does not. Each test states
 * (and computes, with carbontracker's own regexes) what carbontracker would have said.
 */
const newDir = useTempDirs();

const read = (dir: string, name: string): string => readFileSync(join(fixture(dir), name), "utf8");
const MULTI_SECOND = "second_1921.680835_2026-11-28T225336Z_carbontracker";

describe("carbontracker's parser defects, fixed", () => {
  it("reads the epoch count of `Actual consumption for N epoch(s):` (carbontracker: always 1)", () => {
    const output = read("v243-multi-run", `${MULTI_SECOND}_output.log`);
    const [theirs] = carbontrackerGetConsumption(output);
    expect(theirs?.epochs).toBe(1);
    const ours = getConsumption(output);
    if (!ours.ok) throw new Error(ours.error.message);
    expect(ours.value[0]?.epochs).toBe(3);
    expect(ours.value[1]?.epochs).toBe(3);
  });

  it("counts a completed run's actual consumption, not its prediction (carbontracker: the prediction)", async () => {
    // Both runs completed: actual and predicted epochs agree once the count is read.
    const dir = fixture("v243-multi-run");
    const theirs = ["1908.41821_2026-11-28T225334Z_carbontracker", MULTI_SECOND].map((stem) => {
      const [actual, pred] = carbontrackerGetConsumption(
        read("v243-multi-run", `${stem}_output.log`),
      );
      return carbontrackerChooses(actual, pred, false)?.["energy (kWh)"] ?? 0;
    });
    expect(theirs).toEqual([0.000076423947, 0.000019761015]); // the two predictions
    const ours = await aggregateConsumption(dir);
    if (!ours.ok) throw new Error(ours.error.message);
    expect(ours.value.energyKWh).toBeCloseTo(0.000076420791 + 0.000019760837, 18);
    expect(ours.value.energyKWh).not.toBeCloseTo(
      theirs.reduce((a, b) => a + b, 0),
      15,
    );
  });

  it("reads records without equivalents, interpretable=False (carbontracker: both None)", () => {
    const output = read(
      "v231-noninterp-e3",
      "1982.276056_2026-11-28T225342Z_carbontracker_output.log",
    );
    expect(carbontrackerGetConsumption(output)).toEqual([null, null]);
    const ours = getConsumption(output);
    if (!ours.ok) throw new Error(ours.error.message);
    expect(ours.value[0]).toMatchObject({
      epochs: 2,
      "energy (kWh)": 0.000114619655,
      equivalents: null,
    });
    expect(ours.value[1]).toMatchObject({
      epochs: 3,
      "energy (kWh)": 0.000114622538,
      equivalents: null,
    });
  });

  it("trims device names (carbontracker: ' dram:0')", () => {
    const std = standardLog({
      components:
        "GPU with device(s) NVIDIA A100-SXM4-40GB, NVIDIA A100-SXM4-40GB. CPU with device(s) cpu:0, dram:0.",
      epochs: [{ gpu: "480.0", cpu: "95.5" }],
    });
    expect(carbontrackerGetDevices(std)).toEqual({
      gpu: ["NVIDIA A100-SXM4-40GB", " NVIDIA A100-SXM4-40GB"],
      cpu: ["cpu:0", " dram:0"],
    });
    expect(getDevices(std)).toEqual({
      gpu: ["NVIDIA A100-SXM4-40GB", "NVIDIA A100-SXM4-40GB"],
      cpu: ["cpu:0", "dram:0"],
    });
  });

  it("keeps the dots in a device name (carbontracker: 'Intel(R) Xeon(R) CPU @ 2')", () => {
    const std = read("v243-cpu-only", "1823.993592_2026-11-28T225326Z_carbontracker.log");
    expect(carbontrackerGetDevices(std)).toEqual({ cpu: ["Intel(R) Xeon(R) CPU @ 2"] });
    expect(getDevices(std)).toEqual({ cpu: ["Intel(R) Xeon(R) CPU @ 2.20GHz"] });
  });

  it("reads scientific notation in a power line (carbontracker: 1.2e-05 W read as 1.2 W)", () => {
    const std = standardLog({ epochs: [{ gpu: "1.2e-05", cpu: "50.0" }] });
    expect(carbontrackerGetAvgPowerUsages(std).gpu).toEqual([[1.2]]);
    const ours = getAvgPowerUsages(std);
    expect(ours.ok && ours.value.gpu).toEqual([[1.2e-5]]);
  });

  it("keeps every value of an array (carbontracker: the first only)", () => {
    const std = standardLog({ epochs: [{ gpu: "[240.0 250.5]", cpu: "[20.25, 30.5]" }] });
    expect(carbontrackerGetAvgPowerUsages(std)).toEqual({ gpu: [[240]], cpu: [[20.25]] });
    const ours = getAvgPowerUsages(std);
    expect(ours.ok && ours.value).toEqual({ gpu: [[240, 250.5]], cpu: [[20.25, 30.5]] });
  });

  it("reads `[None]` as no sample, like `None` (carbontracker: skips the line, so epochs no longer line up)", () => {
    const std = standardLog({
      epochs: [
        { gpu: "[None]", cpu: "50.0" },
        { gpu: "240.0", cpu: "50.0" },
      ],
    });
    // Two epochs, but carbontracker sees one GPU power for them.
    expect(carbontrackerGetEpochDurations(std)).toHaveLength(2);
    expect(carbontrackerGetAvgPowerUsages(std).gpu).toEqual([[240]]);
    const ours = getAvgPowerUsages(std);
    expect(ours.ok && ours.value.gpu).toEqual([[0], [240]]);
  });

  it("takes only file names that end in the log suffix (carbontracker: also .bak and .old copies)", async () => {
    const dir = newDir();
    const { standard, output } = samplePair(dir, "run");
    // Backups of another run: carbontracker's patterns have no end anchor and an unescaped dot.
    writeFileSync(join(dir, "a_carbontracker.log.bak"), readFileSync(standard));
    writeFileSync(join(dir, "b_carbontracker_output.log.old"), readFileSync(output));
    writeFileSync(join(dir, "c_carbontrackerXlog"), "not a log\n");
    expect(carbontrackerTakesAsLog("a_carbontracker.log.bak")).toBe("standard");
    expect(carbontrackerTakesAsLog("b_carbontracker_output.log.old")).toBe("output");
    expect(carbontrackerTakesAsLog("c_carbontrackerXlog")).toBe("standard");
    const ours = await parseAllLogs(dir);
    if (!ours.ok) throw new Error(ours.error.message);
    expect(ours.value.logs.map((l) => l.output_filename)).toEqual([output]);
    expect(ours.value.counters.notLogs).toBe(3);
    expect(ours.value.skipped).toEqual([]);
  });

  it("pairs logs by stem (carbontracker: zips two sorted lists, pairing one run's output with another's standard log)", async () => {
    const dir = newDir();
    samplePair(dir, "1.1_2026-01-01T000000Z");
    // Run 2 lost its standard log, run 3 its output log: one of each, so carbontracker's
    // counts match and it zips run 2's output with run 3's standard log.
    const two = writePair(dir, "2.2_2026-01-02T000000Z", "x", outputLog({ actual: SAMPLE_ACTUAL }));
    const three = writePair(
      dir,
      "3.3_2026-01-03T000000Z",
      standardLog({ epochs: [{ gpu: "1.0", cpu: "1.0" }] }),
      "x",
    );
    rmSync(two.standard);
    rmSync(three.output);
    expect(carbontrackerPairs(readdirSync(dir))).toContainEqual([
      basename(two.output),
      basename(three.standard),
    ]);
    const ours = await parseAllLogs(dir);
    if (!ours.ok) throw new Error(ours.error.message);
    expect(ours.value.logs).toHaveLength(1);
    expect(ours.value.skipped.map((s) => [s.kind, s.path])).toEqual([
      ["unpaired", two.output],
      ["unpaired", three.standard],
    ]);
    expect(ours.value.skipped[0]?.message).toContain("has no standard log");
  });

  it("gives null power to a component with no power lines (carbontracker: KeyError)", () => {
    const dir = newDir();
    const std = standardLog({ epochs: [{ cpu: "50.0" }, { cpu: "55.0" }] });
    expect(carbontrackerParseLogsRaises(std)).toBe("KeyError: 'gpu'");
    const { standard, output } = writePair(
      dir,
      "run",
      std,
      outputLog({ actual: SAMPLE_ACTUAL, pred: SAMPLE_PRED }),
    );
    const components = parseLogs(dir, standard, output);
    if (!components.ok) throw new Error(components.error.message);
    expect(components.value).toEqual({
      gpu: {
        "avg_power_usages (W)": null,
        "avg_energy_usages (J)": null,
        "epoch_durations (s)": [10, 10],
        devices: ["NVIDIA Sim"],
      },
      cpu: {
        "avg_power_usages (W)": [[50], [55]],
        "avg_energy_usages (J)": [[500], [550]],
        "epoch_durations (s)": [10, 10],
        devices: ["Intel Xeon Test"],
      },
    });
  });
});
