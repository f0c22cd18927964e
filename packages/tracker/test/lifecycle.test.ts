import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  getConsumption,
  getEarlyStop,
  getEpochDurations,
  parseAllLogs,
  parseLogs,
} from "@wattprint/logs";
import { SimulatedSource } from "@wattprint/power";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  CarbonTracker,
  MAX_INTENSITY_G_PER_KWH,
  type TrackerOptions,
  trackerResultSchema,
} from "../src/index.ts";

/**
 * The lifecycle on simulated devices (carbontracker's sim_gpu/sim_cpu: watts × utilisation)
 * with fake timers, checked against carbontracker's own arithmetic and regexes
 * (carbontracker-compat.md §3, §5, §7, §8).
 */

const GPU_W = 240 * 0.5;
const CPU_W = 100 * 0.5;
const PUE = 1.58;
const INTENSITY = 143.3;
const EPOCH_S = 10;

// carbontracker 2.4.3's parser regexes (compat §5), ported as §5 says: (?i) -> i, \Z -> $.
const actualRe =
  /Actual consumption(?:\s*for\s+\d+\s+epochs)?[\s\S]*?Time:\s*(.*)\n\s*Energy:\s*(.*)\s+kWh[\s\S]*?CO2eq:\s*(.*)\s+g(?:\s*This is equivalent to:\s*([\s\S]*?))?(?=\d{4}-\d{2}-\d{2}|$)/i;
const predRe =
  /Predicted consumption for (\d*) epoch\(s\):[\s\S]*?Time:\s*(.*)\n\s*Energy:\s*(.*)\s+kWh[\s\S]*?CO2eq:\s*(.*)\s+g(?:\s*This is equivalent to:\s*([\s\S]*?))?(?=\d{4}-\d{2}-\d{2}|$)/i;

/** carbontracker's `_output_energy`, written from its description (compat §3), not from our writer. */
function carbontrackerBlock(description: string, timeS: number, kWh: number, g: number): string {
  const s = Math.round(timeS);
  const hms = `${Math.floor(s / 3600)}:${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}:${String(s % 60).padStart(2, "0")}`;
  return (
    `CarbonTracker: \n${description}\n\tTime:\t${hms}\n\tEnergy:\t${kWh.toFixed(12)} kWh\n` +
    `\tCO2eq:\t${g.toFixed(12)} g\n\tThis is equivalent to:\n\t${(g / 106.8).toFixed(12)} km travelled by car\n`
  );
}

/** carbontracker's energy for `epochs` epochs of EPOCH_S at the simulated power (compat §8). */
const ctEnergyKWh = (epochs: number) =>
  ((GPU_W * EPOCH_S) / 3_600_000 + (CPU_W * EPOCH_S) / 3_600_000) * PUE * epochs;

let dir: string;
let out: string[];

beforeEach(() => {
  vi.useFakeTimers({ now: new Date("2026-12-02T10:00:00Z") });
  dir = mkdtempSync(join(tmpdir(), "tracker-lifecycle-"));
  out = [];
});
afterEach(() => {
  vi.useRealTimers();
  rmSync(dir, { recursive: true, force: true });
});

function tracker(options: TrackerOptions): CarbonTracker {
  return new CarbonTracker({
    simGpu: "NVIDIA Sim",
    simGpuWatts: 240,
    simCpu: "Intel Xeon Test",
    simCpuTdp: 100,
    intensityGPerKWh: INTENSITY,
    logDir: dir,
    stdout: (text) => out.push(text),
    ...options,
  });
}

async function epoch(t: CarbonTracker) {
  await t.epochStart();
  await vi.advanceTimersByTimeAsync(EPOCH_S * 1000);
  return t.epochEnd();
}

/** The output log without the line stamps, as carbontracker's console shows it. */
const unstamped = (text: string) => text.replace(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} - /gm, "");

describe("carbontracker's lifecycle", () => {
  it("writes the prediction after epochsBeforePred and the actual at the last epoch, byte for byte", async () => {
    const t = tracker({ epochs: 5, epochsBeforePred: 2 });
    const reports = [];
    for (let i = 0; i < 5; i++) reports.push(await epoch(t));

    expect(reports.map((r) => r?.epoch)).toEqual([1, 2, 3, 4, 5]);
    expect(reports[1]?.prediction?.kind).toBe("predicted");
    expect(reports.filter((r) => r?.prediction !== null)).toHaveLength(1);
    expect(reports[4]?.actual?.status).toBe("complete");
    expect(reports[0]?.powerW.gpu).toBeCloseTo(GPU_W, 9);
    expect(reports[0]?.powerW.cpu).toBeCloseTo(CPU_W, 9);

    const files = t.logFiles;
    if (files === null) throw new Error("no logs");
    const output = readFileSync(files.output, "utf8");
    const pred = carbontrackerBlock(
      "Predicted consumption for 5 epoch(s):",
      50,
      ctEnergyKWh(5),
      ctEnergyKWh(5) * INTENSITY,
    );
    const actual = carbontrackerBlock(
      "Actual consumption for 5 epoch(s):",
      50,
      ctEnergyKWh(5),
      ctEnergyKWh(5) * INTENSITY,
    );
    expect(unstamped(output)).toBe(
      "CarbonTracker: The following components were found: GPU with device(s) NVIDIA Sim. CPU with device(s) Intel Xeon Test.\n" +
        pred +
        "CarbonTracker: Average carbon intensity during training was 143.30 gCO2eq/kWh. \n" +
        actual +
        "CarbonTracker: Finished monitoring.\n",
    );
    // The console shows the same messages (verbose 1).
    expect(out.join("")).toContain(pred);
    expect(out.join("")).toContain(actual);

    // carbontracker's own regexes find both blocks...
    const p = predRe.exec(output);
    expect(p?.[1]).toBe("5");
    expect(p?.[2]).toBe("0:00:50");
    expect(Number(p?.[3])).toBeCloseTo(ctEnergyKWh(5), 12);
    const a = actualRe.exec(output);
    expect(Number(a?.[3])).toBeCloseTo(ctEnergyKWh(5) * INTENSITY, 11);
    // ...and so does ours.
    const consumption = getConsumption(output);
    if (!consumption.ok) throw new Error(consumption.error.message);
    expect(consumption.value[0]?.epochs).toBe(5);
    expect(consumption.value[1]?.epochs).toBe(5);
    const std = readFileSync(files.standard, "utf8");
    expect(getEarlyStop(std)).toBe(false);
    const durations = getEpochDurations(std);
    expect(durations.ok && durations.value).toEqual([10, 10, 10, 10, 10]);
    const components = parseLogs(dir, files.standard, files.output);
    if (!components.ok) throw new Error(components.error.message);
    expect(components.value.gpu?.devices).toEqual(["NVIDIA Sim"]);
    expect(components.value.cpu?.["avg_power_usages (W)"]?.map((e) => e[0])).toEqual([
      50, 50, 50, 50, 50,
    ]);

    // The typed result says the same, and survives JSON.
    const result = await t.stop();
    expect(result).toBe(reports[4]?.actual);
    expect(result.energy.totalKWh).toBeCloseTo(ctEnergyKWh(5), 15);
    expect(result.co2G).toBeCloseTo(ctEnergyKWh(5) * INTENSITY, 12);
    expect(result.epochs).toEqual({ completed: 5, planned: 5, label: 5 });
    expect(result.components.map((c) => [c.component, c.basis, c.devices.length])).toEqual([
      ["gpu", "simulated", 1],
      ["cpu", "simulated", 1],
    ]);
    expect(result.components[0]?.energyJ).toBeCloseTo(GPU_W * 50, 6);
    expect(trackerResultSchema.parse(JSON.parse(JSON.stringify(result)))).toEqual(result);
  });

  it("labels an early stop with the epochs measured, flags it, and does not write a second actual", async () => {
    const t = tracker({ epochs: 5, epochsBeforePred: 2 });
    for (let i = 0; i < 3; i++) await epoch(t);
    const result = await t.stop();
    expect(result.status).toBe("early-stop");
    expect(result.epochs).toEqual({ completed: 3, planned: 5, label: 3 });
    expect(await t.stop()).toBe(result);
    const files = t.logFiles;
    if (files === null) throw new Error("no logs");
    const std = readFileSync(files.standard, "utf8");
    expect(std).toContain("Training was interrupted before all 5 epochs were monitored.");
    const output = readFileSync(files.output, "utf8");
    expect(output.match(/Actual consumption/g)).toHaveLength(1);
    const consumption = getConsumption(output);
    expect(consumption.ok && consumption.value[0]?.epochs).toBe(3);
    expect(result.energy.totalKWh).toBeCloseTo(ctEnergyKWh(3), 15);
  });

  it("stops at monitorEpochs and makes later calls no-ops while training goes on", async () => {
    const t = tracker({ epochs: 10, epochsBeforePred: 1, monitorEpochs: 2 });
    await epoch(t);
    const second = await epoch(t);
    expect(second?.actual?.epochs).toEqual({ completed: 2, planned: 10, label: 2 });
    expect(second?.actual?.status).toBe("complete");
    expect(await epoch(t)).toBeNull();
    expect(await t.stop()).toBe(second?.actual);
    const files = t.logFiles;
    if (files === null) throw new Error("no logs");
    expect(readFileSync(files.standard, "utf8")).not.toContain("interrupted");
    expect(readFileSync(files.standard, "utf8").match(/^.* - Epoch \d+:$/gm)).toHaveLength(2);
  });

  it("counts a stop during an epoch as that epoch, with its energy", async () => {
    const t = tracker({ epochs: 4, epochsBeforePred: 0 });
    await epoch(t);
    await t.epochStart();
    await vi.advanceTimersByTimeAsync(5000);
    const result = await t.stop();
    expect(result.epochs.label).toBe(2);
    expect(result.durationS).toBeCloseTo(15, 9);
    expect(result.energy.itJ).toBeCloseTo((GPU_W + CPU_W) * 15, 6);
    expect(result.status).toBe("early-stop");
  });

  it("refuses an intensityGPerKWh above what the logs hold, and writes a run at that limit", async () => {
    // 1e300 passed the option; the writer refused it at stop(), which rejected, and the output
    // log had no consumption.
    const over = tracker({ intensityGPerKWh: 1e21 });
    await expect(over.start()).rejects.toMatchObject({
      failure: { kind: "invalid-options", field: "intensityGPerKWh" },
    });
    // The writer's limit (MAX_RECORD_VALUE in @wattprint/logs), which the option copies.
    expect(MAX_INTENSITY_G_PER_KWH).toBe(1e20);
    const at = tracker({ intensityGPerKWh: 1e20 });
    await at.start();
    await vi.advanceTimersByTimeAsync(EPOCH_S * 1000);
    const result = await at.stop();
    expect(result.intensity.gPerKWh).toBe(1e20);
    expect(at.warnings.filter((w) => w.kind === "logs")).toEqual([]);
    const consumption = getConsumption(readFileSync(at.logFiles?.output ?? "", "utf8"));
    if (!consumption.ok) throw new Error(consumption.error.message);
    expect(consumption.value[0]?.["co2eq (g)"]).toBe(Number(result.co2G.toFixed(12)));
  });

  it("gives an overridden intensity no data year (it was the year the run was made)", async () => {
    const t = tracker({ epochs: 1, epochsBeforePred: 0 });
    await epoch(t);
    const result = await t.stop();
    expect(result.intensity).toMatchObject({ level: "override", gPerKWh: INTENSITY });
    expect(result.intensity).not.toHaveProperty("year");
    expect(trackerResultSchema.safeParse(result).success).toBe(true);
  });

  it("counts the epoch an epochEnd() is closing when a stop() arrives meanwhile", async () => {
    // A SIGINT handler or an `await using` scope exit racing the training loop's last epochEnd().
    const t = tracker({ epochs: 2, epochsBeforePred: 0 });
    await epoch(t);
    await t.epochStart();
    await vi.advanceTimersByTimeAsync(EPOCH_S * 1000);
    const [report, result] = await Promise.all([t.epochEnd(), t.stop()]);
    expect(report).toBeNull();
    expect(result.status).toBe("complete");
    expect(result.epochs).toEqual({ completed: 2, planned: 2, label: 2 });
    expect(result.durationS).toBeCloseTo(2 * EPOCH_S, 9);
    expect(result.energy.totalKWh).toBeCloseTo(ctEnergyKWh(2), 15);
    expect(t.warnings).toEqual([]);
    expect(t.introspect().logWriteFailures).toBe(0);
    const files = t.logFiles;
    if (files === null) throw new Error("no logs");
    const std = readFileSync(files.standard, "utf8");
    expect(std.match(/^.* - Epoch \d+:$/gm)).toHaveLength(2);
    expect(std).not.toContain("interrupted");
    expect(getEarlyStop(std)).toBe(false);
    const consumption = getConsumption(readFileSync(files.output, "utf8"));
    expect(consumption.ok && consumption.value[0]?.epochs).toBe(2);
  });

  it("writes None and warns for an epoch too short to measure, as carbontracker does", async () => {
    const t = tracker({ epochs: 2, epochsBeforePred: 0 });
    await t.epochStart();
    const report = await t.epochEnd();
    expect(report?.powerW).toEqual({});
    expect(t.warnings.map((w) => w.message)).toContain(
      "Epoch duration is too short for a measurement to be collected.",
    );
    await epoch(t);
    const std = readFileSync(t.logFiles?.standard ?? "", "utf8");
    expect(std).toMatch(
      /Epoch 1:\n.* - Duration: 0:00:00\.00\n.* - Average power usage \(W\) for gpu: None\n/,
    );
    const components = parseLogs(dir, t.logFiles?.standard, t.logFiles?.output);
    expect(components.ok && components.value.gpu?.["epoch_durations (s)"]).toEqual([0, 10]);
  });

  it("measures start()/stop() without epochs as carbontracker's wrapper does", async () => {
    const t = tracker({});
    await t.start();
    await vi.advanceTimersByTimeAsync(30_000);
    t.countInferences(3);
    const result = await t.stop();
    expect(result.epochs.label).toBeNull();
    expect(result.durationS).toBeCloseTo(30, 9);
    expect(result.inferences).toBe(3);
    expect(result.perInference?.energy.itJ).toBeCloseTo(((GPU_W + CPU_W) * 30) / 3, 6);
    expect(result.perInference?.co2G).toBeCloseTo(result.co2G / 3, 12);
    const output = readFileSync(t.logFiles?.output ?? "", "utf8");
    expect(output).toContain("\nActual consumption:\n");
    expect(output).not.toContain("Predicted");
  });
});

describe("runs that do not go as planned", () => {
  it("gives a prediction the per-inference figures measured, predicting the count as the energy", async () => {
    const t = tracker({ epochs: 5, epochsBeforePred: 2 });
    let prediction = null;
    for (let i = 0; i < 2; i++) {
      await t.epochStart();
      await vi.advanceTimersByTimeAsync(EPOCH_S * 1000);
      t.countInferences(10);
      prediction = (await t.epochEnd())?.prediction ?? null;
    }
    // 20 inferences in 2 epochs of 10 s at GPU_W + CPU_W: so many joules each, in 5 epochs too.
    expect(prediction?.inferences).toBe(50);
    expect(prediction?.perInference?.energy.itJ).toBeCloseTo(((GPU_W + CPU_W) * EPOCH_S) / 10, 6);
    expect(prediction?.perInference?.durationS).toBeCloseTo(EPOCH_S / 10, 9);
    expect(prediction && trackerResultSchema.safeParse(prediction).success).toBe(true);
    await t.stop();
  });

  it("is an early stop with 0 epochs when stopped before the first epoch, as the logs read back", async () => {
    const t = tracker({ epochs: 10 });
    await vi.advanceTimersByTimeAsync(30_000); // loading the data, which then failed
    const result = await t.stop();
    expect(result.status).toBe("early-stop");
    expect(result.epochs).toEqual({ completed: 0, planned: 10, label: 0 });
    expect(result.durationS).toBe(0);
    const std = readFileSync(t.logFiles?.standard ?? "", "utf8");
    expect(std).not.toMatch(/ - Epoch \d+:$/m);
    const parsed = await parseAllLogs(dir);
    if (!parsed.ok) throw new Error(parsed.error.message);
    expect(parsed.value.logs).toHaveLength(1);
    const pair = parsed.value.logs[0];
    expect(pair?.early_stop).toBe(true);
    expect(pair?.actual?.epochs).toBe(0);
    expect(pair?.components.cpu?.["epoch_durations (s)"] ?? []).toEqual([]);
  });

  it("measures a task before the first epoch on its own, and the epochs as the run", async () => {
    const t = tracker({ epochs: 2, epochsBeforePred: 0 });
    const loading = t.task("load-data", () => vi.advanceTimersByTimeAsync(5000));
    const { task } = await loading;
    expect(task.durationS).toBeCloseTo(5, 9);
    await epoch(t);
    const last = await epoch(t);
    const result = last?.actual;
    expect(result?.status).toBe("complete");
    expect(result?.epochs).toEqual({ completed: 2, planned: 2, label: 2 });
    expect(result?.durationS).toBeCloseTo(2 * EPOCH_S, 9);
    expect(result?.tasks.map((x) => x.name)).toEqual(["load-data"]);
  });

  it("writes a PUE the user gave as theirs, even carbontracker's 1.58", async () => {
    const t = tracker({ pue: 1.58 });
    await t.start();
    const result = await t.stop();
    expect(result.pue.source.id).toBe("user");
    const std = readFileSync(t.logFiles?.standard ?? "", "utf8");
    expect(std).toContain("multiplied by a PUE coefficient of 1.58 (user-supplied).");
  });

  /**
   * A 100 W simulated CPU whose readings are `utilisation(s)` (NaN: a failed reading), its
   * tracker open for 30 s before a 10 s run: the run's result.
   */
  async function tenSecondRun(utilisation: (s: number) => number) {
    const source = new SimulatedSource("cpu", [{ name: "cpu", watts: 100, utilisation }]);
    const t = new CarbonTracker({
      verbose: 0,
      logDir: null,
      intensityGPerKWh: INTENSITY,
      power: { inject: { sources: [source] }, fallback: "none" },
    });
    await vi.advanceTimersByTimeAsync(30_000);
    await t.start();
    await vi.advanceTimersByTimeAsync(10_000);
    const result = await t.stop();
    expect(result.durationS).toBeCloseTo(10, 9);
    return { result, uncountedS: result.components[0]?.devices[0]?.uncountedS ?? 0 };
  }

  it("counts in uncountedS only the run's seconds, not those before it began", async () => {
    // Readings fail for the first 20 s, before the run: the run counts every second.
    const { result, uncountedS } = await tenSecondRun((s) => (s < 20 ? Number.NaN : 1));
    expect(result.energy.itJ).toBeCloseTo(100 * 10, 6);
    expect(uncountedS).toBe(0);
  });

  it.each([
    ["from within the run to its end", 34],
    ["from before the run to its end (counted from the run's start)", 25],
  ])("counts in uncountedS a CPU whose readings fail %s", async (_when, failsAtS) => {
    const { result, uncountedS } = await tenSecondRun((s) => (s < failsAtS ? 1 : Number.NaN));
    // Every second of the run is either counted (at 100 W) or said not to be.
    expect(result.energy.itJ / 100 + uncountedS).toBeCloseTo(10, 6);
    expect(uncountedS).toBeGreaterThan(failsAtS < 30 ? 9.999 : 0);
  });
});

describe("errors", () => {
  it("rejects the call that failed, naming the option, without ignoreErrors", async () => {
    const t = new CarbonTracker({ epochs: 2, components: "tpu", stdout: () => {} });
    await expect(t.epochStart()).rejects.toMatchObject({
      name: "TrackerError",
      failure: { kind: "invalid-options", field: "components" },
    });
    await expect(t.stop()).rejects.toMatchObject({ failure: { kind: "invalid-options" } });
  });

  it("rejects a missing log folder, and with ignoreErrors measures without logs", async () => {
    const missing = join(dir, "nope");
    const strict = tracker({ epochs: 1, logDir: missing });
    await expect(strict.epochStart()).rejects.toMatchObject({
      failure: { kind: "logs", field: "logDir" },
    });
    const lenient = tracker({ epochs: 1, logDir: missing, ignoreErrors: true });
    const report = await epoch(lenient);
    expect(report?.actual?.status).toBe("complete");
    expect(report?.actual?.logs).toBeNull();
    expect(lenient.warnings.map((w) => w.kind)).toContain("ignored-error");
  });

  it("rejects out-of-order calls unless ignoreErrors, which warns and carries on", async () => {
    const strict = tracker({ epochs: 2 });
    await expect(strict.epochEnd()).rejects.toMatchObject({ failure: { kind: "invalid-state" } });
    await strict.stop();
    const lenient = tracker({ epochs: 2, ignoreErrors: true });
    expect(await lenient.epochEnd()).toBeNull();
    expect(lenient.warnings.at(-1)?.message).toContain("epochEnd() without epochStart()");
    await epoch(lenient);
    expect((await lenient.stop()).epochs.completed).toBe(1);
  });

  it("with ignoreErrors, measure() on a running tracker warns, runs the work and leaves the run going", async () => {
    const t = tracker({ epochs: 3, epochsBeforePred: 0, ignoreErrors: true });
    await epoch(t);
    let ran = 0;
    const measured = await t.measure(() => {
      ran++;
      return 42;
    });
    expect(ran).toBe(1);
    expect(measured.value).toBe(42);
    // Nothing of this call was measured, and none of the running tracker's run is claimed.
    expect(measured.result.status).toBe("failed");
    expect(measured.result.epochs.completed).toBe(0);
    expect(measured.result.energy.itJ).toBe(0);
    expect(trackerResultSchema.safeParse(measured.result).success).toBe(true);
    expect(t.warnings.map((w) => w.message)).toEqual([
      "Ignored error: measure() needs a fresh tracker; on one already running, use task(name, work)",
    ]);
    expect(t.result()).toBeNull();
    // The run goes on: its remaining epochs are measured and it completes.
    expect((await epoch(t))?.epoch).toBe(2);
    const last = await epoch(t);
    expect(last?.actual?.status).toBe("complete");
    expect(last?.actual?.epochs).toEqual({ completed: 3, planned: 3, label: 3 });
    expect(readFileSync(t.logFiles?.standard ?? "", "utf8")).not.toContain("interrupted");
  });

  it("with ignoreErrors and nothing to measure, stop() returns a failed result saying why", async () => {
    const t = new CarbonTracker({
      components: "gpu",
      ignoreErrors: true,
      power: { inject: { sources: [] } },
      stdout: () => {},
    });
    await t.start();
    const result = await t.stop();
    expect(result.status).toBe("failed");
    expect(result.energy.itJ).toBe(0);
    expect(result.warnings.some((w) => w.message.includes("No components were available"))).toBe(
      true,
    );
    expect(trackerResultSchema.parse(JSON.parse(JSON.stringify(result)))).toEqual(result);
  });

  it("with ignoreErrors and nothing to measure, the failed result names the location given", async () => {
    // It named the world's intensity, from nowhere, while the run's own warning named Denmark's.
    const failed = async (options: TrackerOptions) => {
      const t = new CarbonTracker({
        components: "gpu",
        ignoreErrors: true,
        power: { inject: { sources: [] } },
        stdout: () => {},
        ...options,
      });
      await t.start();
      return (await t.stop()).intensity;
    };
    expect(await failed({ location: "DK" })).toMatchObject({
      zone: "DK",
      gPerKWh: 143.3,
      locationFrom: "option",
      values: [{ gPerKWh: 143.3 }],
    });
    expect(await failed({ env: { WATTPRINT_LOCATION: "DE" } })).toMatchObject({
      zone: "DE",
      locationFrom: "env",
    });
    expect(await failed({ location: "DK", intensityGPerKWh: 50 })).toMatchObject({
      gPerKWh: 50,
      level: "override",
    });
    // None given (or one that cannot be resolved): the world's, from nowhere, as before.
    expect(await failed({ env: {} })).toMatchObject({ level: "world", locationFrom: "none" });
  });
});
