import { describe, expect, it } from "vitest";
import { decideRoute, type RouteTask, routeLookups } from "./task-route.ts";

const ready = { ready: true as const, devices: ["sim_cpu:0 (cpu, simulated)"] };
const task = (overrides: Partial<RouteTask>): RouteTask => ({
  mode: "auto",
  modelName: "tiny",
  modelPath: "",
  measurer: ready,
  stopping: false,
  ...overrides,
});

describe("routeLookups", () => {
  it("asks for no I/O where the answer is known without it", () => {
    const none = { modelsFolder: false, modelPath: false };
    expect(routeLookups(task({ mode: "estimate" }))).toEqual(none);
    expect(routeLookups(task({ measurer: undefined }))).toEqual(none);
    expect(routeLookups(task({ measurer: { ready: false, reason: "x" } }))).toEqual(none);
    expect(routeLookups(task({ modelName: "no_model" }))).toEqual(none);
    expect(routeLookups(task({ modelPath: "fpga/m.ONNX" }))).toEqual(none);
    expect(routeLookups(task({ modelPath: "hub/tiny" }))).toEqual({
      modelsFolder: true,
      modelPath: false,
    });
    expect(routeLookups(task({ mode: "measure", modelPath: "m.onnx" }))).toEqual({
      modelsFolder: true,
      modelPath: true,
    });
    expect(routeLookups(task({ mode: "measure" }))).toEqual({
      modelsFolder: true,
      modelPath: false,
    });
  });
});

describe("decideRoute", () => {
  it("measures a model the folder has, in auto and measure modes", () => {
    for (const mode of ["auto", "measure"] as const) {
      expect(decideRoute(task({ mode }), { folderFile: "/m/tiny.onnx" })).toMatchObject({
        kind: "measure",
        file: "/m/tiny.onnx",
        source: "models-folder",
      });
    }
  });

  it("keeps SustainML's onnx_hw_only in auto even when the folder has the model", () => {
    expect(
      decideRoute(task({ modelPath: "fpga/tiny.onnx" }), { folderFile: "/m/tiny.onnx" }),
    ).toMatchObject({ kind: "estimate", reason: expect.stringMatching(/onnx_hw_only/) });
  });

  it("measures a readable model_path in measure mode only", () => {
    const found = { pathFile: "/data/tiny.onnx", folderLookedFor: "/m/tiny.onnx" };
    expect(
      decideRoute(task({ mode: "measure", modelPath: "/data/tiny.onnx" }), found),
    ).toMatchObject({
      kind: "measure",
      source: "model-path",
      reason: expect.stringMatching(/not in the models folder \(looked for \/m\/tiny\.onnx\)/),
    });
    expect(decideRoute(task({ modelPath: "/data/tiny.onnx" }), found).kind).toBe("estimate");
  });

  it("says why every estimate was not measured", () => {
    expect(decideRoute(task({ mode: "estimate" }), {}).reason).toBe(
      "mode is estimate: the model is never run here",
    );
    expect(decideRoute(task({ measurer: undefined }), {}).reason).toMatch(/no measurer/);
    expect(decideRoute(task({ measurer: { ready: false, reason: "no RAPL" } }), {}).reason).toBe(
      "nothing to measure on: no RAPL",
    );
    expect(decideRoute(task({ modelName: "NO_MODEL" }), {}).reason).toMatch(/NO_MODEL/);
    expect(decideRoute(task({ mode: "measure" }), {}).reason).toBe(
      'mode measure: model "tiny" is not in the models folder, and model_path is empty; estimated instead',
    );
  });

  it("measures nothing while the node stops, and looks nothing up for it", () => {
    const stopping = task({ stopping: true, mode: "measure", modelPath: "/data/tiny.onnx" });
    expect(routeLookups(stopping)).toEqual({ modelsFolder: false, modelPath: false });
    expect(decideRoute(stopping, { folderFile: "/m/tiny.onnx" })).toEqual({
      kind: "estimate",
      reason:
        "the node is stopping: a task queued before the stop is estimated, not measured, so the stop waits for no measurement window",
    });
    // A task estimated anyway keeps its own reason.
    expect(decideRoute(task({ stopping: true, mode: "estimate" }), {}).reason).toBe(
      "mode is estimate: the model is never run here",
    );
  });
});
