import { resolvePue } from "@wattprint/core";
import {
  CmdTask,
  type CO2FootprintImpl,
  type JsonObject,
  NodeId,
  readExtraData,
  Status,
  writeExtraData,
} from "@wattprint/messages";
import { failure } from "@wattprint/result";
import { describe, expect, it } from "vitest";
import {
  type MemoryDevice,
  MemoryMeasurer,
  type MemoryMeasurerOptions,
} from "../src/adapters/memory-measurer.ts";
import type { TaskOverrides } from "../src/client/task-client.ts";
import type { CarbonNodeSettings } from "../src/nodes/carbon-footprint.ts";
import type { NodeRuntimeOptions } from "../src/runtime/node-runtime.ts";
import { carbonNodeRig, spain } from "./support/carbon-node.test-support.ts";

const rig = carbonNodeRig();

const DEVICES: readonly MemoryDevice[] = [
  { id: "nvml:GPU-0", name: "Test GPU", component: "gpu", watts: 200, basis: "measured" },
  { id: "model:cpu", name: "Test CPU", component: "cpu", watts: 50, basis: "modelled" },
];

async function setup(
  measurerOptions: MemoryMeasurerOptions,
  settings: Partial<CarbonNodeSettings> = {},
  runtimeOptions: Partial<NodeRuntimeOptions> = {},
) {
  const measurer = new MemoryMeasurer({ devices: DEVICES, ...measurerOptions });
  const { definition, runtime, orchestrator } = await rig({
    settings,
    ports: { measurer },
    runtime: runtimeOptions,
  });
  // Status is KEEP_LAST 1: a reader that joins after the node sees its last status only.
  await orchestrator.waitFor(
    () => orchestrator.statuses.at(-1)?.node_status === Status.NODE_IDLE,
    "the node idle",
  );
  let iteration = 0;
  const send = async (overrides: TaskOverrides = {}) => {
    iteration += 1;
    await orchestrator.sendTask({ problem_id: 1, iteration_id: iteration }, overrides);
    return iteration;
  };
  const answer = async (overrides: TaskOverrides = {}) => {
    const sent = await send(overrides);
    await orchestrator.waitFor(
      () => orchestrator.outputs.some((o) => o.task_id.iteration_id === sent),
      `task ${sent}`,
    );
    const output = orchestrator.outputs.find(
      (o) => o.task_id.iteration_id === sent,
    ) as CO2FootprintImpl;
    return { output, extra: extraOf(output), status: orchestrator.statuses.at(-1) };
  };
  return { measurer, definition, runtime, orchestrator, send, answer };
}

function extraOf(output: CO2FootprintImpl): JsonObject {
  const extra = readExtraData(output.extra_data);
  if (!extra.ok) throw new Error(extra.error.message);
  return extra.value;
}

/** A task whose model is not an .onnx path: auto mode looks in the models folder. */
const tiny: TaskOverrides = { model: { model: "tiny-mlp", model_path: "hub/tiny-mlp" } };

describe("the measured (tracker) path", () => {
  it("measures a model found in the models folder: window energy / inferences, exactly", async () => {
    const { answer, measurer } = await setup(
      { models: { "tiny-mlp": "/models/tiny-mlp.onnx" }, inferencesPerSecond: 1000 },
      { measureSeconds: 2 },
    );
    const { output, extra, status } = await answer({
      ...tiny,
      userInput: { extra_data: writeExtraData({ num_outputs: 2, batch_size: 4 }) },
    });
    // 250 W x 2 s = 500 J over 2000 inferences = 0.25 J = 0.25 / 3.6e6 kWh each, PUE 1.
    const perInferenceKWh = 0.25 / 3.6e6;
    expect(output.energy_consumption).toBe(500 / 2000 / 3.6e6);
    expect(output.energy_consumption).toBeCloseTo(perInferenceKWh, 20);
    expect(output.carbon_intensity).toBe(spain());
    expect(output.carbon_footprint).toBe(output.energy_consumption * spain());
    expect(status?.node_status).toBe(Status.NODE_IDLE);
    expect(measurer.requests).toEqual([
      { modelFile: "/models/tiny-mlp.onnx", windowS: 2, batchSize: 4 },
    ]);
    expect(extra).toMatchObject({
      num_outputs: 2,
      model_restrains: ["tiny-mlp"],
      mode: "tracker",
      mode_reason: expect.stringMatching(/^mode auto: model "tiny-mlp" is in the models folder/),
      inferences: 2000,
      window_s: 2,
      window_energy_j: 500,
      measurement: {
        model_file: "/models/tiny-mlp.onnx",
        model_source: "models-folder",
        model_sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
        batch_size: 4,
        devices: [
          { id: "nvml:GPU-0", component: "gpu", energy_j: 400, basis: "measured" },
          { id: "model:cpu", component: "cpu", energy_j: 100, basis: "modelled" },
        ],
      },
      // 100 W x 0.01 h = 0.001 kWh from the HW node, beside the measured figure.
      estimate: { energy_consumption: expect.closeTo(0.001, 15), power_w: 100, latency: 0.01 },
    });
  });

  it("applies the configured PUE to the measured energy", async () => {
    const pue = resolvePue("google");
    if (!pue.ok) throw new Error(pue.error.message);
    const { answer } = await setup(
      { models: { "tiny-mlp": "/models/tiny-mlp.onnx" }, inferencesPerSecond: 100 },
      { pue: pue.value },
    );
    const { output, extra } = await answer(tiny);
    // 250 J over 100 inferences, x PUE 1.1
    expect(output.energy_consumption).toBe((250 / 100 / 3.6e6) * 1.1);
    expect(extra).toMatchObject({ pue: 1.1, window_energy_j: 250 });
  });

  it("keeps SustainML's auto routing: an .onnx model_path is estimated (onnx_hw_only), an unknown model too", async () => {
    const { answer, measurer } = await setup({ models: { "bert-base": "/models/bert.onnx" } });
    const hwOnly = await answer({ model: { model: "bert-base", model_path: "fpga/bert.onnx" } });
    expect(hwOnly.extra).toMatchObject({
      mode: "onnx_hw_only",
      mode_reason: expect.stringMatching(
        /model_path ending in \.onnx is a model for the selected hardware/,
      ),
    });
    expect(hwOnly.output.energy_consumption).toBeCloseTo(0.001, 15);
    const unknown = await answer({ model: { model: "gpt2", model_path: "hub/gpt2" } });
    expect(unknown.extra).toMatchObject({
      mode: "hw_only",
      mode_reason:
        'mode auto: model "gpt2" is not in the models folder (looked for memory:gpt2); estimated',
    });
    expect(measurer.requests).toHaveLength(0);
  });

  it("in measure mode runs a readable model_path too, and estimates what is not runnable", async () => {
    const { answer, measurer } = await setup(
      { runnablePaths: ["/data/resnet.onnx"] },
      { mode: "measure" },
    );
    const measured = await answer({ model: { model: "resnet", model_path: "/data/resnet.onnx" } });
    expect(measured.extra).toMatchObject({
      mode: "tracker",
      measurement: { model_source: "model-path", model_file: "/data/resnet.onnx" },
    });
    const notRunnable = await answer({ model: { model: "vit", model_path: "/data/vit.onnx" } });
    expect(notRunnable.extra).toMatchObject({
      mode: "onnx_hw_only",
      mode_reason: expect.stringMatching(
        /^mode measure: .*"\/data\/vit\.onnx" is not a readable local \.onnx file \(or lies outside the node's model path root, where one is set\); estimated instead$/,
      ),
    });
    expect(measurer.requests.map((r) => r.modelFile)).toEqual(["/data/resnet.onnx"]);
  });

  it("switches to estimate and sets the window through the configuration request", async () => {
    const { answer, orchestrator, measurer } = await setup({
      models: { "tiny-mlp": "/models/tiny-mlp.onnx" },
    });
    await orchestrator.configure({
      node_id: NodeId.CARBON_FOOTPRINT,
      transaction_id: 1,
      configuration: '{"mode":"estimate","measure_seconds":0.5}',
    });
    await orchestrator.waitFor(() => orchestrator.responses.length === 1, "response");
    expect(JSON.parse(orchestrator.responses[0]?.configuration ?? "")).toMatchObject({
      mode: "estimate",
      measure_seconds: 0.5,
    });
    const estimated = await answer(tiny);
    expect(estimated.extra).toMatchObject({
      mode: "hw_only",
      mode_reason: "mode is estimate: the model is never run here",
    });
    await orchestrator.configure({
      node_id: NodeId.CARBON_FOOTPRINT,
      transaction_id: 2,
      configuration: '{"mode":"auto"}',
    });
    await orchestrator.waitFor(() => orchestrator.responses.length === 2, "response");
    await answer(tiny);
    expect(measurer.requests).toEqual([{ modelFile: "/models/tiny-mlp.onnx", windowS: 0.5 }]);
    await orchestrator.configure({
      node_id: NodeId.CARBON_FOOTPRINT,
      transaction_id: 3,
      configuration: '{"mode":"sometimes"}',
    });
    await orchestrator.waitFor(() => orchestrator.responses.length === 3, "response");
    expect(orchestrator.responses[2]?.success).toBe(false);
  });

  it("refuses inputs over the core's limits before looking anything up or quoting them", async () => {
    // A name path normalisation could still turn into a model of the folder.
    const long = `${"x/../".repeat(120)}tiny-mlp`;
    let lookups = 0;
    const { answer, measurer } = await setup({ models: { [long]: "/models/tiny-mlp.onnx" } });
    const locate = measurer.locateModel.bind(measurer);
    measurer.locateModel = (name) => {
      lookups++;
      return locate(name);
    };
    const { output, extra } = await answer({ model: { model: long, model_path: "hub/x" } });
    expect(lookups).toBe(0);
    expect(measurer.requests).toEqual([]);
    expect(output.extra_data.byteLength).toBeLessThan(2_000);
    expect(String(extra.error)).toMatch(
      /MLModel\.model is 608 characters long, over the limit of 512 \(MAX_MODEL_NAME_CHARS\)/,
    );
    expect(JSON.stringify(extra)).not.toContain(long);
  });

  it("lets a configuration request narrow the mode, never widen it past the operator's", async () => {
    // Started in auto: a peer asking for measure would have the node run any model_path.
    const { answer, orchestrator, measurer } = await setup({
      models: { "tiny-mlp": "/models/tiny-mlp.onnx" },
      runnablePaths: ["/data/resnet.onnx"],
    });
    const configure = async (configuration: string) => {
      const before = orchestrator.responses.length;
      await orchestrator.configure({
        node_id: NodeId.CARBON_FOOTPRINT,
        transaction_id: before + 1,
        configuration,
      });
      await orchestrator.waitFor(() => orchestrator.responses.length === before + 1, "response");
      const response = orchestrator.responses[before];
      return { success: response?.success, body: JSON.parse(response?.configuration ?? "") };
    };
    expect(await configure('{"mode":"measure"}')).toEqual({
      success: false,
      body: {
        error: 'Unsupported configuration request: {"mode":"measure"}',
        reason:
          'mode: "measure" would let the node run more than it was started to (mode auto); only its operator can allow that (--mode measure)',
      },
    });
    const refused = await answer({ model: { model: "resnet", model_path: "/data/resnet.onnx" } });
    expect(refused.extra).toMatchObject({ mode: "onnx_hw_only" });
    expect(measurer.requests).toEqual([]);
    // Narrowing is fine, and so is coming back up to the mode the node started in.
    expect(await configure('{"mode":"estimate"}')).toMatchObject({
      success: true,
      body: { mode: "estimate" },
    });
    expect(await configure('{"mode":"measure"}')).toMatchObject({ success: false });
    expect(await configure('{"mode":"auto"}')).toMatchObject({
      success: true,
      body: { mode: "auto" },
    });
    // The window likewise: shorter than the operator's 1 s, and back, but never longer.
    expect(await configure('{"measure_seconds":300}')).toEqual({
      success: false,
      body: {
        error: 'Unsupported configuration request: {"measure_seconds":300}',
        reason:
          "measure_seconds: 300 s is longer than the 1 s the node was started with; only its operator can allow that (--measure-seconds)",
      },
    });
    expect(await configure('{"measure_seconds":0.25}')).toMatchObject({
      success: true,
      body: { measure_seconds: 0.25 },
    });
    expect(await configure('{"measure_seconds":1}')).toMatchObject({ success: true });
  });

  it("lets a node started in measure mode be switched down and back up by configuration", async () => {
    const { answer, orchestrator, measurer } = await setup(
      { runnablePaths: ["/data/resnet.onnx"] },
      { mode: "measure" },
    );
    for (const [id, mode] of [
      [1, "auto"],
      [2, "measure"],
    ] as const) {
      await orchestrator.configure({
        node_id: NodeId.CARBON_FOOTPRINT,
        transaction_id: id,
        configuration: JSON.stringify({ mode }),
      });
      await orchestrator.waitFor(() => orchestrator.responses.length === id, "response");
      expect(orchestrator.responses[id - 1]?.success).toBe(true);
    }
    await answer({ model: { model: "resnet", model_path: "/data/resnet.onnx" } });
    expect(measurer.requests.map((r) => r.modelFile)).toEqual(["/data/resnet.onnx"]);
  });

  it("answers a failed measurement with the estimate, the reason and ERROR, and measures the next task", async () => {
    const { answer } = await setup({
      models: { "tiny-mlp": "/models/tiny-mlp.onnx", broken: "/models/broken.onnx" },
      failures: {
        "/models/broken.onnx": failure(
          "model-not-loadable",
          "onnxruntime could not load /models/broken.onnx: protobuf parsing failed",
        ),
      },
    });
    const failed = await answer({ model: { model: "broken", model_path: "" } });
    expect(failed.output.energy_consumption).toBeCloseTo(0.001, 15);
    expect(failed.extra).toMatchObject({
      mode: "hw_only",
      error: expect.stringMatching(
        /^measuring \/models\/broken\.onnx failed \(model-not-loadable\): /,
      ),
      measure_error: { kind: "model-not-loadable", model_file: "/models/broken.onnx" },
      mode_reason: expect.stringMatching(/but measuring .* failed .*; estimated instead$/),
    });
    expect(failed.status).toMatchObject({
      node_status: Status.NODE_ERROR,
      error_description: failed.extra.error,
    });
    const next = await answer(tiny);
    expect(next.extra.mode).toBe("tracker");
    expect(next.status?.node_status).toBe(Status.NODE_IDLE);
  });

  it("refuses a bad batch_size from the user before measuring, with the field named", async () => {
    const { answer, measurer } = await setup({ models: { "tiny-mlp": "/models/tiny-mlp.onnx" } });
    const { extra } = await answer({
      ...tiny,
      userInput: { extra_data: writeExtraData({ batch_size: -3 }) },
    });
    expect(extra).toMatchObject({
      mode: "hw_only",
      measure_error: {
        kind: "invalid-request",
        message: expect.stringMatching(/^UserInput\.extra_data\.batch_size: /),
      },
    });
    expect(measurer.requests).toHaveLength(0);
  });

  it("says when there is nothing to measure on, and estimates", async () => {
    const { answer } = await setup({
      models: { "tiny-mlp": "/models/tiny-mlp.onnx" },
      readiness: { ready: false, reason: "no power reader and no simulated device" },
    });
    const { extra } = await answer(tiny);
    expect(extra).toMatchObject({
      mode: "hw_only",
      mode_reason: "nothing to measure on: no power reader and no simulated device",
    });
  });
});

describe("while a measurement runs", () => {
  it("is RUNNING, answers configuration at once, queues the next task and answers it after", async () => {
    const { measurer, orchestrator, send, runtime } = await setup({
      models: { "tiny-mlp": "/models/tiny-mlp.onnx" },
    });
    const release = measurer.hold();
    const first = await send(tiny);
    await orchestrator.waitFor(() => measurer.requests.length === 1, "measurement started");
    expect(orchestrator.statuses.at(-1)?.node_status).toBe(Status.NODE_RUNNING);
    const second = await send({ model: { model: "bert-base", model_path: "bert.onnx" } });
    await orchestrator.waitFor(() => runtime.queuedTasks() === 1, "second task queued");
    await orchestrator.configure({
      node_id: NodeId.CARBON_FOOTPRINT,
      transaction_id: 9,
      configuration: "{}",
    });
    await orchestrator.waitFor(() => orchestrator.responses.length === 1, "configuration answer");
    expect(orchestrator.outputs).toHaveLength(0);
    expect(orchestrator.statuses.at(-1)?.node_status).toBe(Status.NODE_RUNNING);
    release();
    await orchestrator.waitFor(() => orchestrator.outputs.length === 2, "both outputs");
    expect(orchestrator.outputs.map((o) => o.task_id.iteration_id)).toEqual([first, second]);
    expect(orchestrator.outputs.map((o) => extraOf(o).mode)).toEqual(["tracker", "onnx_hw_only"]);
    expect(orchestrator.statuses.at(-1)?.node_status).toBe(Status.NODE_IDLE);
  });

  it("bounds the queue of waiting tasks and lets STOP_TASK drop a queued one", async () => {
    const { measurer, orchestrator, send, runtime } = await setup(
      { models: { "tiny-mlp": "/models/tiny-mlp.onnx" } },
      {},
      { maxQueuedTasks: 2 },
    );
    const release = measurer.hold();
    await send(tiny);
    await orchestrator.waitFor(() => measurer.requests.length === 1, "measurement started");
    const queued = await send();
    await send();
    await send();
    await orchestrator.waitFor(
      () => runtime.counters.inputsDropped.queueFull === 1,
      "a task refused at the full queue",
    );
    expect(runtime.queuedTasks()).toBe(2);
    await orchestrator.control({
      cmd_task: CmdTask.STOP_TASK,
      target_node: "CARBON_FOOTPRINT",
      task_id: { problem_id: 1, iteration_id: queued },
    });
    await orchestrator.waitFor(() => runtime.queuedTasks() === 1, "queued task dropped");
    release();
    await orchestrator.waitFor(() => orchestrator.outputs.length === 2, "the two kept tasks");
    // 2 and 3 were queued, 4 refused at the full queue, 2 stopped.
    expect(orchestrator.outputs.map((o) => o.task_id.iteration_id)).toEqual([1, 3]);
  });
});
