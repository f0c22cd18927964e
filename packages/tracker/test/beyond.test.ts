import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gramsPerKWh, type IntensityProvider } from "@wattprint/core";
import type { PowerDevice } from "@wattprint/power";
import { ok } from "@wattprint/result";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { descendants, meterOptionsFor, selectDevices } from "../src/devices.ts";
import {
  CarbonTracker,
  MAX_TASK_NAME_CHARS,
  measure,
  type TrackerOptions,
  trackerOptionsSchema,
  trackerResultSchema,
} from "../src/index.ts";
import { MAX_TASKS } from "../src/limits.ts";
import { providerForKeys } from "../src/providers.ts";

/** What carbontracker never had: tasks, inferences, measure(), disposal, typed results. */

const SIM: TrackerOptions = {
  simGpu: "NVIDIA Sim",
  simGpuWatts: 200,
  simGpuUtil: 1,
  simCpu: "Xeon Sim",
  simCpuTdp: 100,
  simCpuUtil: 1,
  intensityGPerKWh: 400,
  verbose: 0,
};
const W = 300;

/** A live provider answering 100 g/kWh now, and `forecast` for what is to come. */
function fakeProvider(forecast: NonNullable<IntensityProvider["forecast"]>): IntensityProvider {
  return {
    id: "fake",
    title: "Fake",
    supports: () => true,
    current: async (zone) =>
      ok({
        zone,
        intensity: gramsPerKWh(100),
        at: new Date().toISOString(),
        providerId: "fake",
        source: { id: "fake", title: "Fake", url: "", year: 2026 },
        basis: "test",
        estimated: false,
      }),
    forecast,
  };
}

/** A live provider answering `gPerKWh` now, whatever it is (a port's caller may be wrong). */
function answering(gPerKWh: number): IntensityProvider {
  return {
    ...fakeProvider(async () => ok([])),
    current: async (zone) =>
      ok({
        zone,
        intensity: { value: gPerKWh, unit: "gCO2eq/kWh" },
        at: new Date().toISOString(),
        providerId: "fake",
        source: { id: "fake", title: "Fake", url: "", year: 2026 },
        basis: "test",
        estimated: false,
      }),
  };
}

beforeEach(() => {
  vi.useFakeTimers({ now: new Date("2026-12-02T12:00:00Z") });
});
afterEach(() => {
  vi.useRealTimers();
});

describe("tasks and inferences", () => {
  it("gives each named task its own footprint and a per-inference figure", async () => {
    const tracker = new CarbonTracker(SIM);
    await tracker.start();
    const pre = tracker.task("preprocess");
    await vi.advanceTimersByTimeAsync(4000);
    const preprocess = await pre.end();
    const inference = tracker.task("inference");
    await vi.advanceTimersByTimeAsync(6000);
    inference.countInferences(12);
    const infer = await inference.end();
    const result = await tracker.stop();

    expect(preprocess.durationS).toBeCloseTo(4, 9);
    expect(preprocess.energy.itJ).toBeCloseTo(W * 4, 6);
    expect(preprocess.inferences).toBe(0);
    expect(preprocess.perInference).toBeNull();
    expect(infer.energy.itJ).toBeCloseTo(W * 6, 6);
    expect(infer.perInference?.energy.itJ).toBeCloseTo((W * 6) / 12, 6);
    expect(infer.co2G).toBeCloseTo(((W * 6) / 3_600_000) * 1.58 * 400, 9);
    expect(infer.components.map((c) => c.component)).toEqual(["gpu", "cpu"]);
    expect(result.tasks.map((t) => t.name)).toEqual(["preprocess", "inference"]);
    expect(result.inferences).toBe(12);
    expect(result.perInference?.co2G).toBeCloseTo(result.co2G / 12, 12);
    expect(await pre.end()).toBe(preprocess);
  });

  it("runs a function as a task and ends the task when it throws", async () => {
    const tracker = new CarbonTracker(SIM);
    const loading = tracker.task("load", async () => {
      await new Promise((resolve) => setTimeout(resolve, 2000));
      return 42;
    });
    await vi.advanceTimersByTimeAsync(2000);
    const { value, task } = await loading;
    expect(value).toBe(42);
    expect(task.durationS).toBeCloseTo(2, 9);
    const boom = tracker.task("broken", () => {
      throw new Error("model missing");
    });
    await expect(boom).rejects.toThrow("model missing");
    const result = await tracker.stop();
    expect(result.tasks.map((t) => t.name)).toEqual(["load", "broken"]);
  });

  it("measures synchronous work from the task's own first line, and the run with it", async () => {
    const tracker = new CarbonTracker(SIM);
    await tracker.ready();
    // The fake clock moved synchronously stands for work that never awaits (a training step,
    // a busy loop): before, the task's first reading came after it, and the task had ~0 J.
    const handle = tracker.task("handle");
    vi.advanceTimersByTime(2000);
    expect((await handle.end()).energy.itJ).toBeCloseTo(W * 2, 6);
    const { task } = await tracker.task("function", () => {
      vi.advanceTimersByTime(3000);
    });
    expect(task.energy.itJ).toBeCloseTo(W * 3, 6);
    // The first task started the run: both tasks are in it.
    expect((await tracker.stop()).energy.itJ).toBeCloseTo(W * 5, 6);

    // On a tracker still opening, the work waits for the task's first reading.
    const opening = new CarbonTracker(SIM);
    const early = await opening.task("while opening", () => {
      vi.advanceTimersByTime(1000);
      return "done";
    });
    expect(early.value).toBe("done");
    expect(early.task.energy.itJ).toBeCloseTo(W, 6);
    await opening.stop();
  });

  it("disposes a task with await using", async () => {
    const tracker = new CarbonTracker(SIM);
    {
      await using step = tracker.task("step");
      step.countInferences();
      await vi.advanceTimersByTimeAsync(1000);
    }
    const result = await tracker.stop();
    expect(result.tasks[0]?.name).toBe("step");
    expect(result.tasks[0]?.inferences).toBe(1);
  });
});

describe("what tasks and inference counts accept", () => {
  it("refuses a count that is not a whole number >= 0, counting nothing", async () => {
    const tracker = new CarbonTracker(SIM);
    await tracker.start();
    const step = tracker.task("step");
    for (const n of [-1, 0.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53]) {
      expect(() => tracker.countInferences(n)).toThrow(RangeError);
      expect(() => step.countInferences(n)).toThrow(/n must be a whole number >= 0/);
    }
    expect((await step.end()).inferences).toBe(0);
    expect((await tracker.stop()).inferences).toBe(0);
  });

  it("keeps the last exact total instead of passing Number.MAX_SAFE_INTEGER, and says so once", async () => {
    const tracker = new CarbonTracker(SIM);
    await tracker.start();
    const step = tracker.task("step");
    tracker.countInferences(Number.MAX_SAFE_INTEGER - 10);
    step.countInferences(10); // exactly the largest safe total: accepted
    step.countInferences(1); // one more: refused, for the run and for the task
    tracker.countInferences(Number.MAX_SAFE_INTEGER);
    tracker.countInferences(); // the default 1
    const task = await step.end();
    const result = await tracker.stop();
    expect(result.inferences).toBe(Number.MAX_SAFE_INTEGER);
    expect(task.inferences).toBe(10);
    expect(tracker.introspect().inferencesRefused).toBe(3);
    const notices = result.warnings.filter((w) => /MAX_SAFE_INTEGER/.test(w.message));
    expect(notices).toHaveLength(1);
    expect(notices[0]?.message).toContain(`stays at ${Number.MAX_SAFE_INTEGER}`);
    // Still a valid wattprint.tracker/v1 result (its counts are safe integers).
    expect(trackerResultSchema.safeParse(JSON.parse(JSON.stringify(result))).success).toBe(true);
  });

  it(`refuses a task name longer than ${MAX_TASK_NAME_CHARS} characters, naming the limit`, async () => {
    const tracker = new CarbonTracker(SIM);
    await tracker.start();
    const long = "n".repeat(MAX_TASK_NAME_CHARS + 1);
    expect(() => tracker.task(long)).toThrow(
      expect.objectContaining({
        name: "TrackerError",
        failure: expect.objectContaining({
          kind: "invalid-value",
          field: "name",
          message: expect.stringContaining(
            `a task name is at most ${MAX_TASK_NAME_CHARS} characters, and this one has ${MAX_TASK_NAME_CHARS + 1}`,
          ),
        }),
      }),
    );
    let ran = false;
    await expect(
      tracker.task(long, () => {
        ran = true;
      }),
    ).rejects.toMatchObject({ failure: { kind: "invalid-value", field: "name" } });
    expect(ran).toBe(false);
    expect(() => tracker.task(42 as unknown as string)).toThrow(/a task name is a string/);
    const longest = "m".repeat(MAX_TASK_NAME_CHARS);
    await tracker.task(longest).end();
    const result = await tracker.stop();
    expect(result.tasks.map((t) => t.name)).toEqual([longest]);
  });

  it("under ignoreErrors measures a too-long task name cut to the limit, with a warning", async () => {
    const tracker = new CarbonTracker({ ...SIM, ignoreErrors: true });
    await tracker.start();
    // A pair of surrogates across the limit is not split.
    const long = `${"a".repeat(MAX_TASK_NAME_CHARS - 1)}😀${"b".repeat(500)}`;
    const task = await tracker.task(long).end();
    expect(task.name).toBe("a".repeat(MAX_TASK_NAME_CHARS - 1));
    const result = await tracker.stop();
    expect(result.warnings).toContainEqual(
      expect.objectContaining({
        kind: "ignored-error",
        message: expect.stringContaining(
          `the task is measured under its first ${MAX_TASK_NAME_CHARS} characters`,
        ),
      }),
    );
  });

  it(`keeps at most ${MAX_TASKS} tasks in a result and counts the rest`, async () => {
    const tracker = new CarbonTracker(SIM);
    await tracker.start();
    for (let i = 0; i < MAX_TASKS + 3; i++) await tracker.task(`t${i}`).end();
    const result = await tracker.stop();
    expect(result.tasks).toHaveLength(MAX_TASKS);
    expect(result.tasks.at(-1)?.name).toBe(`t${MAX_TASKS - 1}`);
    expect(result.tasksDropped).toBe(3);
  });
});

describe("live()", () => {
  it("gives the run so far from the timer's samples, for a status line", async () => {
    const tracker = new CarbonTracker(SIM);
    expect(tracker.live()).toBeNull();
    await tracker.start();
    await vi.advanceTimersByTimeAsync(10_000);
    const now = tracker.live();
    expect(now?.elapsedS).toBeCloseTo(10, 6);
    expect(now?.powerW).toEqual({ gpu: 200, cpu: 100 });
    expect(now?.energyJ).toBeCloseTo(W * 10, 6);
    expect(now?.co2G).toBeCloseTo(((W * 10) / 3_600_000) * 1.58 * 400, 12);
    expect(now?.basis).toBe("simulated");
    await tracker.stop();
  });

  it("survives host callbacks that throw", async () => {
    const tracker = new CarbonTracker({
      ...SIM,
      verbose: 1,
      stdout: () => {
        throw new Error("stdout closed");
      },
      onWarning: () => {
        throw new Error("host bug");
      },
    });
    await tracker.start();
    await tracker.epochEnd().catch(() => {});
    await vi.advanceTimersByTimeAsync(2000);
    expect((await tracker.stop()).durationS).toBeCloseTo(2, 6);
  });
});

describe("measure()", () => {
  it("measures a function from call to settle, with inferences it counts", async () => {
    const running = measure(async (tracker) => {
      for (let i = 0; i < 5; i++) {
        await new Promise((resolve) => setTimeout(resolve, 1000));
        tracker.countInferences();
      }
      return "done";
    }, SIM);
    await vi.advanceTimersByTimeAsync(5000);
    const measured = await running;
    expect(measured.value).toBe("done");
    expect(measured.result.durationS).toBeCloseTo(5, 9);
    expect(measured.result.inferences).toBe(5);
    expect(measured.result.perInference?.durationS).toBeCloseTo(1, 9);
    expect(measured.result.energy.itJ).toBeCloseTo(W * 5, 6);
  });

  it("measures a promise already running, and passes a rejection on after stopping", async () => {
    const work = new Promise<number>((resolve) => setTimeout(() => resolve(7), 3000));
    const running = measure(work, SIM);
    await vi.advanceTimersByTimeAsync(3000);
    const measured = await running;
    expect(measured.value).toBe(7);
    expect(measured.result.durationS).toBeCloseTo(3, 9);

    const tracker = new CarbonTracker(SIM);
    const failing = tracker.measure(async () => {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      throw new Error("inference failed");
    });
    const settled = expect(failing).rejects.toThrow("inference failed");
    await vi.advanceTimersByTimeAsync(1000);
    await settled;
    expect(tracker.result()?.durationS).toBeCloseTo(1, 9);
  });

  it("refuses measure() on a tracker already running", async () => {
    const tracker = new CarbonTracker(SIM);
    await tracker.start();
    await expect(tracker.measure(() => 1)).rejects.toMatchObject({
      failure: { kind: "invalid-state" },
    });
    await tracker.stop();
  });
});

describe("disposal", () => {
  it("stops on await using, and never throws from dispose", async () => {
    let tracker: CarbonTracker;
    {
      await using t = new CarbonTracker(SIM);
      tracker = t;
      await t.start();
      await vi.advanceTimersByTimeAsync(2000);
    }
    expect(tracker.result()?.durationS).toBeCloseTo(2, 9);
    {
      // Invalid options: stop() rejects, disposal swallows it as a warning.
      await using bad = new CarbonTracker({ ...SIM, epochs: -1 });
      expect(bad.options).toBeNull();
    }
  });
});

describe("intensity", () => {
  it("takes the location from the option, else WATTPRINT_LOCATION, never from the network", async () => {
    const { intensityGPerKWh: _, ...sim } = SIM;
    const fromEnv = await measure(() => 0, { ...sim, env: { WATTPRINT_LOCATION: "FR" } });
    expect(fromEnv.result.intensity).toMatchObject({ zone: "FR", locationFrom: "env" });
    const fromOption = await measure(() => 0, {
      ...sim,
      location: "DE",
      env: { WATTPRINT_LOCATION: "FR" },
    });
    expect(fromOption.result.intensity).toMatchObject({ zone: "DE", locationFrom: "option" });
    const none = await measure(() => 0, { ...sim, env: {} });
    expect(none.result.intensity).toMatchObject({ level: "world", locationFrom: "none" });
    expect(none.result.warnings.map((w) => w.message).join()).toContain("no location given");
  });

  it("selects live providers from apiKeys without touching the network", () => {
    expect(providerForKeys(null)).toBeUndefined();
    expect(providerForKeys({})).toBeUndefined();
    const provider = providerForKeys({ ElectricityMaps: "k" });
    expect(provider?.supports("DK")).toBe(true);
    expect(provider?.supports("GB")).toBe(true);
    expect(provider?.supports("DE")).toBe(true);
    expect(provider?.supports("Atlantis")).toBe(false);
  });

  it("checks setApiKeys and keeps an explicit provider", async () => {
    const tracker = new CarbonTracker({ ...SIM, intensityProvider: undefined });
    const bad = tracker.setApiKeys({ wattTime: "k" });
    expect(!bad.ok && bad.error).toMatchObject({
      kind: "invalid-options",
      field: "apiKeys.wattTime",
    });
    const fixed = new CarbonTracker({
      ...SIM,
      intensityProvider: {
        id: "x",
        title: "X",
        supports: () => false,
        current: async () => ({ ok: false, error: undefined as never }),
      },
    });
    expect(fixed.setApiKeys({ electricitymaps: "k" }).ok).toBe(true);
    expect(fixed.warnings.at(-1)?.message).toContain("intensityProvider was given");
    await tracker.stop();
    await fixed.stop();
  });

  it("names an unknown location", async () => {
    const { intensityGPerKWh: _, ...sim } = SIM;
    const tracker = new CarbonTracker({ ...sim, location: "Atlantis" });
    await expect(tracker.start()).rejects.toMatchObject({
      failure: { kind: "intensity", field: "location" },
    });
  });

  it("predicts CO2 with carbontracker's mix of fetched values and the forecast", async () => {
    const { intensityGPerKWh: _, ...sim } = SIM;
    const provider = fakeProvider(async () =>
      ok([
        { at: new Date().toISOString(), intensity: gramsPerKWh(200) },
        { at: new Date().toISOString(), intensity: gramsPerKWh(400) },
      ]),
    );
    const tracker = new CarbonTracker({
      ...sim,
      location: "DK",
      intensityProvider: provider,
      epochs: 10,
      epochsBeforePred: 1,
    });
    await tracker.epochStart();
    await vi.advanceTimersByTimeAsync(200_000);
    const report = await tracker.epochEnd();
    // Predicted 2000 s: [100] + f + f x floor(2000 / 900), f = mean forecast 300.
    const expected = (100 + 300 * 3) / 4;
    expect(report?.prediction?.intensity.gPerKWh).toBeCloseTo(expected, 9);
    expect(report?.prediction?.durationS).toBeCloseTo(2000, 6);
    expect(report?.prediction?.co2G).toBeCloseTo(
      (report?.prediction?.energy.totalKWh ?? 0) * expected,
      9,
    );
    await tracker.stop();
  });

  it("describes the predicted mix in the prediction's intensity block: values, forecast, weights", async () => {
    // The block was the run's actual one with only gPerKWh replaced: its values and method
    // described the mean of the values fetched (100), not the mix it carried.
    const { intensityGPerKWh: _, ...sim } = SIM;
    const provider = fakeProvider(async () =>
      ok([{ at: new Date().toISOString(), intensity: gramsPerKWh(300) }]),
    );
    const tracker = new CarbonTracker({
      ...sim,
      location: "DK",
      intensityProvider: provider,
      epochs: 10,
    });
    await tracker.epochStart();
    await vi.advanceTimersByTimeAsync(200_000);
    const prediction = (await tracker.epochEnd())?.prediction;
    expect(trackerResultSchema.safeParse(prediction).success).toBe(true);
    const predicted = prediction?.intensity;
    // Predicted 2000 s: ([100] + 300 x 3) / (1 + 3).
    expect(predicted?.gPerKWh).toBeCloseTo((100 + 300 * 3) / 4, 9);
    expect(predicted?.values.map((v) => [v.gPerKWh, v.level])).toEqual([
      [100, "live"],
      [300, "live"],
    ]);
    expect(predicted?.source.method).toContain("carbontracker's predicted mix for 2000 s");
    expect(predicted?.source.method).toContain("f x 3) / (1 + 3)");
    expect(predicted?.source.method).toContain(
      "f = 300 gCO2eq/kWh is the mean of 1 forecast point(s) from Fake",
    );
    expect(predicted?.source.note).toContain("the values fetched: mean of 1 live value(s)");
    // The run's own block is still the values fetched.
    const actual = (await tracker.stop()).intensity;
    expect(actual.gPerKWh).toBe(100);
    expect(actual.values.map((v) => v.gPerKWh)).toEqual([100]);
    expect(actual.source.method).toMatch(/^mean of 1 live value\(s\)/);

    // Without a provider, f is the embedded value, and the block says so.
    const offline = new CarbonTracker({ ...sim, location: "DK", epochs: 10 });
    await offline.epochStart();
    await vi.advanceTimersByTimeAsync(10_000);
    const embedded = (await offline.epochEnd())?.prediction?.intensity;
    expect(embedded?.gPerKWh).toBeCloseTo(143.3, 9);
    expect(embedded?.values.map((v) => v.gPerKWh)).toEqual([143.3]);
    expect(embedded?.source.method).toContain("is the embedded value for Denmark");
    await offline.stop();
  });

  it("counts the forecast once per 900 s of the prediction, whatever intensityRefreshS is", async () => {
    const { intensityGPerKWh: _, ...sim } = SIM;
    const provider = fakeProvider(async () =>
      ok([{ at: new Date().toISOString(), intensity: gramsPerKWh(300) }]),
    );
    const tracker = new CarbonTracker({
      ...sim,
      location: "DK",
      intensityProvider: provider,
      intensityRefreshS: 100,
      epochs: 10,
    });
    await tracker.epochStart();
    await vi.advanceTimersByTimeAsync(200_000);
    const report = await tracker.epochEnd();
    // k values of 100 fetched every 100 s; predicted 2000 s: f + f x floor(2000 / 900), f = 300.
    // The prediction's values are the k fetched, then f.
    const values = report?.prediction?.intensity.values ?? [];
    expect(values.at(-1)?.gPerKWh).toBe(300);
    const k = values.length - 1;
    expect(k).toBeGreaterThan(1);
    expect(report?.prediction?.intensity.gPerKWh).toBeCloseTo((100 * k + 300 * 3) / (k + 3), 9);
    await tracker.stop();
  });
});

describe("live values no grid has", () => {
  it("are failed fetches with a warning: the CO2 and the logs use the embedded value", async () => {
    const { intensityGPerKWh: _, ...sim } = SIM;
    for (const bad of [-100, Number.NaN, Number.POSITIVE_INFINITY]) {
      const logDir = await mkdtemp(join(tmpdir(), "wattprint-bad-intensity-"));
      try {
        const tracker = new CarbonTracker({
          ...sim,
          location: "DK",
          intensityProvider: answering(bad),
          logDir,
        });
        await tracker.start();
        await vi.advanceTimersByTimeAsync(1000);
        const result = await tracker.stop();
        expect(result.intensity).toMatchObject({
          gPerKWh: 143.3,
          zone: "DK",
          values: [{ gPerKWh: 143.3 }],
        });
        expect(result.co2G).toBeCloseTo(result.energy.totalKWh * result.intensity.gPerKWh, 12);
        // The fetch at open, and carbontracker's one more at reporting when none succeeded.
        const why = [
          "intensity",
          expect.stringContaining(`returned ${bad} gCO2eq/kWh, not a number >= 0`),
        ];
        expect(result.warnings.map((w) => [w.kind, w.message])).toEqual([why, why]);
        expect(tracker.introspect()).toMatchObject({ intensityFailures: 2, logWriteFailures: 0 });
        expect(readFileSync(tracker.logFiles?.output ?? "", "utf8")).toContain(
          "Actual consumption",
        );
      } finally {
        await rm(logDir, { recursive: true, force: true });
      }
    }
  });

  it("in a forecast leave the prediction to the latest value fetched, with a warning", async () => {
    const { intensityGPerKWh: _, ...sim } = SIM;
    const provider = fakeProvider(async () =>
      ok([{ at: new Date().toISOString(), intensity: { value: Number.NaN, unit: "gCO2eq/kWh" } }]),
    );
    const tracker = new CarbonTracker({
      ...sim,
      location: "DK",
      intensityProvider: provider,
      epochs: 10,
    });
    await tracker.epochStart();
    await vi.advanceTimersByTimeAsync(200_000);
    const report = await tracker.epochEnd();
    expect(report?.prediction?.intensity.gPerKWh).toBe(100);
    expect(tracker.warnings.map((w) => w.message)).toEqual([
      expect.stringContaining("forecast holds NaN gCO2eq/kWh"),
    ]);
    await tracker.stop();
  });
});

describe("a stop() while an epochEnd() waits for its forecast", () => {
  it("waits for the prediction, so its record is in the output log", async () => {
    // The prediction was written after stop() had closed the logs: a warning, and an output
    // log without it.
    const { intensityGPerKWh: _, ...sim } = SIM;
    const logDir = await mkdtemp(join(tmpdir(), "wattprint-forecast-race-"));
    let asked: () => void = () => {};
    const forecastAsked = new Promise<void>((resolve) => {
      asked = resolve;
    });
    let answer: () => void = () => {};
    // A forecast that answers only when the test says: the stop() comes while it waits.
    const provider = fakeProvider(() => {
      asked();
      return new Promise((resolve) => {
        answer = () => resolve(ok([{ at: new Date().toISOString(), intensity: gramsPerKWh(200) }]));
      });
    });
    try {
      const tracker = new CarbonTracker({
        ...sim,
        location: "DK",
        intensityProvider: provider,
        epochs: 10,
        epochsBeforePred: 1,
        logDir,
      });
      await tracker.epochStart();
      await vi.advanceTimersByTimeAsync(200_000);
      const ending = tracker.epochEnd();
      await forecastAsked;
      const stopping = tracker.stop();
      // Time for the stop to run as far as it goes before the forecast answers.
      await vi.advanceTimersByTimeAsync(1000);
      answer();
      const [report, result] = await Promise.all([ending, stopping]);
      expect(report?.prediction?.intensity.gPerKWh).toBeCloseTo((100 + 200 * 3) / 4, 9);
      expect(result.status).toBe("early-stop");
      expect(tracker.warnings).toEqual([]);
      expect(tracker.introspect().logWriteFailures).toBe(0);
      const output = readFileSync(tracker.logFiles?.output ?? "", "utf8");
      expect(output).toMatch(/Predicted consumption for 10 epoch\(s\):/);
    } finally {
      await rm(logDir, { recursive: true, force: true });
    }
  });
});

describe("the meter's options", () => {
  it("tell the meter the sampling interval, so a power reading after a pause is flagged", () => {
    const resolved = trackerOptionsSchema.parse({ updateInterval: 10, components: ["gpu"] });
    expect(meterOptionsFor(resolved)).toMatchObject({ sampleIntervalS: 10, components: "all" });
  });
});

describe("devicesByPid", () => {
  it("finds this process's descendants in /proc", async () => {
    vi.useRealTimers();
    const child = spawn("sleep", ["5"]);
    try {
      await new Promise((resolve) => child.once("spawn", resolve));
      const { pids, cut } = await descendants(process.pid);
      expect(pids.has(process.pid)).toBe(true);
      expect(pids.has(child.pid as number)).toBe(process.platform === "linux");
      expect(cut).toBe(false);
    } finally {
      child.kill();
    }
  });
});

describe("devicesByPid on a fake /proc", () => {
  const roots: string[] = [];
  beforeEach(() => {
    vi.useRealTimers();
  });
  afterEach(async () => {
    for (const root of roots.splice(0)) await rm(root, { recursive: true, force: true });
  });

  /** `tree`: pid -> its threads' `children` files (each a list of child pids). */
  async function fakeProc(tree: Record<number, readonly (readonly number[])[]>): Promise<string> {
    const root = await mkdtemp(join(tmpdir(), "wattprint-proc-"));
    roots.push(root);
    for (const [pid, threads] of Object.entries(tree)) {
      for (const [i, children] of threads.entries()) {
        const dir = join(root, pid, "task", String(Number(pid) + i));
        await mkdir(dir, { recursive: true });
        await writeFile(
          join(dir, "children"),
          children.length === 0 ? "" : `${children.join(" ")} `,
        );
      }
    }
    return root;
  }

  it("follows children of every thread, ignores junk and loops, and is not cut", async () => {
    const root = await fakeProc({
      100: [[200], [300, 300]],
      200: [[400, Number.NaN, 100]],
      300: [[]],
      400: [[]],
    });
    const { pids, cut } = await descendants(100, root);
    expect([...pids].sort()).toEqual([100, 200, 300, 400]);
    expect(cut).toBe(false);
  });

  it("stops at its limits and says so", async () => {
    const root = await fakeProc({ 1: [[2, 3, 4, 5]], 2: [[]], 3: [[]], 4: [[]], 5: [[]] });
    const byPids = await descendants(1, root, { pids: 3, taskFiles: 100 });
    expect(byPids).toEqual({ pids: new Set([1, 2, 3]), cut: true });
    // One process with six threads, two of whose files may be read.
    const threads = await fakeProc({ 10: [[], [], [], [], [], [11]], 11: [[]] });
    const byFiles = await descendants(10, threads, { pids: 100, taskFiles: 2 });
    expect(byFiles.cut).toBe(true);
    expect(byFiles.pids.has(10)).toBe(true);
  });
});

describe("results", () => {
  it("are valid JSON documents of the schema", async () => {
    const { result } = await measure(() => 0, SIM);
    expect(trackerResultSchema.parse(JSON.parse(JSON.stringify(result)))).toEqual(result);
    expect(result.pue).toMatchObject({ value: 1.58, applied: true });
    expect(result.pue.source.id).toBe("uptime-gdcs-2023");
  });
});

describe("selectDevices", () => {
  const device = (id: string, kind: "cpu" | "dram" | "gpu" | "psys", reader: string) =>
    ({
      id,
      name: `${id}, rev. 2`,
      kind,
      reader,
      basis: "measured",
      confidence: "measured",
      counter: null,
      maxWatts: 100,
      notes: [],
      provenance: [],
    }) as PowerDevice;
  const all = [
    device("rapl:0", "cpu", "rapl"),
    device("rapl:0:dram", "dram", "rapl"),
    device("rapl:psys", "psys", "rapl"),
    device("nvml:GPU-a", "gpu", "nvml"),
    device("nvml:GPU-b", "gpu", "nvml"),
    device("sim_gpu:0", "gpu", "sim_gpu"),
  ];

  it("groups DRAM under cpu, leaves psys out, lists GPUs first, and keeps names a log can hold", () => {
    const picked = selectDevices(all, ["gpu", "cpu"], null);
    expect(picked.map((d) => [d.device.id, d.component])).toEqual([
      ["nvml:GPU-a", "gpu"],
      ["nvml:GPU-b", "gpu"],
      ["sim_gpu:0", "gpu"],
      ["rapl:0", "cpu"],
      ["rapl:0:dram", "cpu"],
    ]);
    expect(picked[0]?.logName).toBe("nvml:GPU-a rev. 2");
    expect(selectDevices(all, ["cpu"], null).map((d) => d.component)).toEqual(["cpu", "cpu"]);
  });

  it("names a device so that the components line reads it back as one device", () => {
    const odd = { ...device("sim_cpu:0", "cpu", "sim_cpu"), name: "Acme X with device(s) Y" };
    const [picked] = selectDevices([odd], ["cpu"], null);
    expect(picked?.logName).toBe("Acme X with devices Y");
  });

  it("with devicesByPid keeps only the NVML GPUs running the process", () => {
    const picked = selectDevices(all, ["gpu"], new Set(["nvml:GPU-b"]));
    expect(picked.map((d) => d.device.id)).toEqual(["nvml:GPU-b", "sim_gpu:0"]);
  });
});
