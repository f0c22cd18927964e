import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeTestOnnxModel } from "@wattprint/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ModelMeasurer } from "../src/model-measurer.ts";

let dir: string;
let measurer: ModelMeasurer;

// Simulated devices draw constant power: the tracker integrates 50 W + 200 W exactly.
const SIMULATED = {
  simCpu: "Test CPU",
  simCpuTdp: 100,
  simCpuUtil: 0.5,
  simGpu: "Test GPU",
  simGpuWatts: 200,
  simGpuUtil: 1,
};
const WATTS = 100 * 0.5 + 200 * 1;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "wattprint-measurer-"));
  await writeTestOnnxModel(dir, "tiny-mlp.onnx", "matmul-relu", 32);
  const opened = await ModelMeasurer.open({ modelsDir: dir, tracker: SIMULATED });
  if (!opened.ok) throw new Error(opened.error.message);
  measurer = opened.value;
});
afterAll(async () => {
  await measurer?.close();
  await rm(dir, { recursive: true, force: true });
});

describe("ModelMeasurer on simulated devices", () => {
  it("is ready and names the devices it reads", () => {
    expect(measurer.readiness()).toEqual({
      ready: true,
      devices: ["sim_gpu:0 (gpu, simulated)", "sim_cpu:0 (cpu, simulated)"],
    });
  });

  it("measures a window: the simulated watts x the tracker's window, over the passes run", async () => {
    const located = await measurer.locateModel("tiny-mlp");
    if (located.file === undefined) throw new Error("not located");
    const measured = await measurer.measure({
      modelFile: located.file,
      windowS: 0.3,
      batchSize: 2,
    });
    if (!measured.ok) throw new Error(measured.error.message);
    const m = measured.value;
    expect(m.inferences).toBeGreaterThan(0);
    expect(m.windowS).toBeGreaterThanOrEqual(0.3);
    // The meter samples at the window's start and end, next to the tracker's own start and
    // stop times: the energy is the watts x the window. Within 2 %: on a loaded machine the
    // samples land a few ms from those times (0.5 % of this 0.3 s window once, beside two
    // busy loops), and the point here is which energy is counted, not the clock.
    const relative = (energyJ: number, watts: number) => energyJ / (watts * m.windowS);
    const near = (value: number) => expect(Math.abs(value - 1)).toBeLessThan(0.02);
    near(relative(m.energyJ, WATTS));
    expect(m.components.map((c) => [c.component, c.basis])).toEqual([
      ["gpu", "simulated"],
      ["cpu", "simulated"],
    ]);
    near(relative(m.components[0]?.energyJ ?? 0, 200));
    near(relative(m.components[1]?.energyJ ?? 0, 50));
    expect(m.devices.map((d) => [d.id, d.component, d.basis])).toEqual([
      ["sim_gpu:0", "gpu", "simulated"],
      ["sim_cpu:0", "cpu", "simulated"],
    ]);
    expect(m.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(m.batchSize).toBe(2);
    expect(m.inputs).toEqual([{ name: "x", type: "float32", dims: [2, 32] }]);
    expect(m.loadS).toBeGreaterThan(0);
    // The same model again is not loaded again.
    const again = await measurer.measure({ modelFile: located.file, windowS: 0.1, batchSize: 2 });
    expect(again.ok && again.value.loadS).toBe(0);
  });

  it("reports the batch fed: input_shapes' leading dimension, not the batch size asked", async () => {
    const measured = await measurer.measure({
      modelFile: join(dir, "tiny-mlp.onnx"),
      windowS: 0.05,
      inputShapes: { x: [3, 32] },
    });
    if (!measured.ok) throw new Error(measured.error.message);
    // It said 1: the per-item energy was that of three items.
    expect(measured.value.batchSize).toBe(3);
    expect(measured.value.inputs).toEqual([{ name: "x", type: "float32", dims: [3, 32] }]);
  });

  it("feeds a dimension the model declares as 0 as 0", async () => {
    // It was fed as 1, and onnxruntime refused every pass ("Got: 1 Expected: 0").
    const file = await writeTestOnnxModel(dir, "zero-dim.onnx", "zero-dim");
    const measured = await measurer.measure({ modelFile: file, windowS: 0.05 });
    if (!measured.ok) throw new Error(measured.error.message);
    expect(measured.value.inputs).toEqual([{ name: "x", type: "float32", dims: [0, 4] }]);
    expect(measured.value.inferences).toBeGreaterThan(0);
  });

  it("hashes and runs the same file for a relative path (the runner works in another folder)", async () => {
    const elsewhere = await mkdtemp(join(tmpdir(), "wattprint-measurer-cwd-"));
    const home = process.cwd();
    try {
      await writeTestOnnxModel(elsewhere, "relative.onnx", "matmul-relu", 8);
      process.chdir(elsewhere);
      const measured = await measurer.measure({ modelFile: "relative.onnx", windowS: 0.05 });
      if (!measured.ok) throw new Error(measured.error.message);
      // It hashed ./relative.onnx here and asked the runner, in the package folder, to load a
      // file of that name there: none, so model-not-loadable.
      expect(measured.value.inputs).toEqual([{ name: "x", type: "float32", dims: [1, 8] }]);
    } finally {
      process.chdir(home);
      await rm(elsewhere, { recursive: true, force: true });
    }
  });

  it("measures a model the runner's ceiling fits alone, when others loaded before it do not", async () => {
    // Each model holds 64 MiB of weights: one fits a 400 MiB runner, two do not. Switching
    // models failed every other task, blaming the model's own tensors.
    const weights = await mkdtemp(join(tmpdir(), "wattprint-measurer-weights-"));
    const opened = await ModelMeasurer.open({
      tracker: SIMULATED,
      runner: { maxRssBytes: 400 * 1024 * 1024 },
    });
    if (!opened.ok) throw new Error(opened.error.message);
    const small = opened.value;
    try {
      const files = [];
      for (const seed of [1, 2, 3]) {
        files.push(await writeTestOnnxModel(weights, `w${seed}.onnx`, "large-weights", 64, seed));
      }
      const [a, b, c] = files as [string, string, string];
      for (const file of [a, b, a, c]) {
        const measured = await small.measure({ modelFile: file, windowS: 0.05 });
        expect(measured.ok ? "ok" : measured.error.message).toBe("ok");
      }
      // The ceiling was passed (with another model in the runner), and tried again alone.
      expect(small.introspect().runner.killedOverMemory).toBeGreaterThan(0);
    } finally {
      await small.close();
      await rm(weights, { recursive: true, force: true });
    }
  }, 120_000);

  it("ends a measurement in flight at close, without waiting for its pass", async () => {
    // A stopping bus node waited for the load timeout (60 s) of a model whose pass never ends.
    const loops = await mkdtemp(join(tmpdir(), "wattprint-measurer-close-"));
    const opened = await ModelMeasurer.open({ tracker: SIMULATED });
    if (!opened.ok) throw new Error(opened.error.message);
    const closing = opened.value;
    try {
      const file = await writeTestOnnxModel(loops, "endless.onnx", "endless-loop");
      const measuring = closing.measure({ modelFile: file, windowS: 0.05 });
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      await closing.close();
      // Before, close waited for the load timeout, and the measurement ended as `timeout`.
      expect(await measuring).toMatchObject({ ok: false, error: { kind: "closed" } });
    } finally {
      await closing.close();
      await rm(loops, { recursive: true, force: true });
    }
  }, 60_000);

  it("fails a broken file, a missing one and a bad window with typed failures, and measures on", async () => {
    const broken = join(dir, "broken.onnx");
    await writeFile(broken, "not a model");
    expect(await measurer.measure({ modelFile: broken, windowS: 0.1 })).toMatchObject({
      ok: false,
      error: { kind: "model-not-loadable" },
    });
    expect(
      await measurer.measure({ modelFile: join(dir, "gone.onnx"), windowS: 0.1 }),
    ).toMatchObject({
      ok: false,
      error: { kind: "model-not-found" },
    });
    const seq = await writeTestOnnxModel(dir, "seq.onnx", "sequence-input");
    expect(await measurer.measure({ modelFile: seq, windowS: 0.1 })).toMatchObject({
      ok: false,
      error: { kind: "inputs-not-feedable" },
    });
    expect(
      await measurer.measure({ modelFile: join(dir, "tiny-mlp.onnx"), windowS: 0 }),
    ).toMatchObject({ ok: false, error: { kind: "invalid-request" } });
    expect(
      await measurer.measure({ modelFile: join(dir, "tiny-mlp.onnx"), windowS: 0.05 }),
    ).toMatchObject({ ok: true });
  });
});

describe("ModelMeasurer with nothing to measure on", () => {
  it("opens, says why it is not ready, and fails measurements with unavailable", async () => {
    const opened = await ModelMeasurer.open({
      power: {
        fallback: "none",
        powercapRoot: join(dir, "no-powercap"),
        hwmonRoot: join(dir, "no-hwmon"),
        nvmlLibrary: join(dir, "no-nvml.so"),
      },
    });
    if (!opened.ok) throw new Error(opened.error.message);
    const lonely = opened.value;
    try {
      const readiness = lonely.readiness();
      expect(readiness.ready).toBe(false);
      expect(
        await lonely.measure({ modelFile: join(dir, "tiny-mlp.onnx"), windowS: 0.1 }),
      ).toMatchObject({
        ok: false,
        error: { kind: "unavailable", message: expect.stringMatching(/^nothing to measure on: /) },
      });
    } finally {
      await lonely.close();
    }
  });
});

describe("ModelMeasurer's model_path lookup", () => {
  it("runs any readable .onnx by default, and only what resolves inside modelPathRoot when set", async () => {
    const root = join(dir, "shared-models");
    await mkdir(root, { recursive: true });
    await writeFile(join(root, "inside.onnx"), "x");
    await writeFile(join(dir, "outside.onnx"), "x");
    await symlink(join(dir, "outside.onnx"), join(root, "link-out.onnx"));
    const open = async (modelPathRoot?: string) => {
      const opened = await ModelMeasurer.open({
        tracker: SIMULATED,
        ...(modelPathRoot === undefined ? {} : { modelPathRoot }),
      });
      if (!opened.ok) throw new Error(opened.error.message);
      return opened.value;
    };
    const anyPath = await open();
    const rooted = await open(root);
    try {
      // SustainML's behaviour, unchanged without a root.
      expect(await anyPath.runnablePath(join(dir, "outside.onnx"))).toBe(join(dir, "outside.onnx"));
      expect(await rooted.runnablePath(join(root, "inside.onnx"))).toBe(join(root, "inside.onnx"));
      // Outside the folder, by path, by `..`, or by a link in the folder that leads out.
      for (const path of [
        join(dir, "outside.onnx"),
        join(root, "..", "outside.onnx"),
        join(root, "link-out.onnx"),
        "/nonexistent/x.onnx",
      ]) {
        expect(await rooted.runnablePath(path)).toBeUndefined();
      }
    } finally {
      await anyPath.close();
      await rooted.close();
    }
  });
});

describe("ModelMeasurer and the host's WATTPRINT_LOCATION", () => {
  it("measures although the variable names no known place (its CO2 is the caller's)", async () => {
    const before = process.env.WATTPRINT_LOCATION;
    process.env.WATTPRINT_LOCATION = "Atlantis";
    try {
      const opened = await ModelMeasurer.open({ tracker: SIMULATED });
      if (!opened.ok) throw new Error(opened.error.message);
      const m = opened.value;
      try {
        expect(m.readiness()).toMatchObject({ ready: true });
        const measured = await m.measure({ modelFile: join(dir, "tiny-mlp.onnx"), windowS: 0.05 });
        expect(measured).toMatchObject({ ok: true });
      } finally {
        await m.close();
      }
    } finally {
      if (before === undefined) delete process.env.WATTPRINT_LOCATION;
      else process.env.WATTPRINT_LOCATION = before;
    }
  });
});
