import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { resolveGridIntensity } from "@wattprint/core";
import { ModelMeasurer } from "@wattprint/measure";
import {
  type CO2FootprintImpl,
  type JsonObject,
  NodeId,
  readExtraData,
  Status,
} from "@wattprint/messages";
import {
  carbonFootprintNode,
  createMemoryLogger,
  defaultCarbonNodeSettings,
  MemoryDomain,
  NodeRuntime,
  startTaskClient,
  type TaskOverrides,
} from "@wattprint/node";
import { writeTestOnnxModel } from "@wattprint/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * The carbon node with the real measurer: onnxruntime-node in its runner process, the
 * tracker on simulated devices (200 W GPU + 50 W CPU, constant), a models folder in a temp
 * directory holding a MatMul+Relu model written with onnx-proto, a broken file and a model
 * whose input is a sequence.
 */
let dir: string;
let measurer: ModelMeasurer;
let runtime: NodeRuntime;
let orchestrator: Awaited<ReturnType<typeof startTaskClient>>;
const WATTS = 250;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "wattprint-measured-node-"));
  await writeTestOnnxModel(dir, "tiny-mlp.onnx", "matmul-relu", 32);
  await writeTestOnnxModel(dir, "sequence-model.onnx", "sequence-input");
  await writeFile(join(dir, "broken.onnx"), "not an onnx protobuf");
  const opened = await ModelMeasurer.open({
    modelsDir: dir,
    tracker: {
      simGpu: "Test GPU",
      simGpuWatts: 200,
      simGpuUtil: 1,
      simCpu: "Test CPU",
      simCpuTdp: 50,
      simCpuUtil: 1,
    },
  });
  if (!opened.ok) throw new Error(opened.error.message);
  measurer = opened.value;
  const domain = new MemoryDomain();
  runtime = await NodeRuntime.start(
    carbonFootprintNode({ ...defaultCarbonNodeSettings(), measureSeconds: 0.3 }, { measurer }),
    { bus: domain.connect("CARBON_FOOTPRINT_NODE"), logger: createMemoryLogger() },
  );
  orchestrator = await startTaskClient(domain.connect("ORCHESTRATOR_NODE"));
}, 60_000);

afterAll(async () => {
  await runtime?.stop("test over");
  await measurer?.close();
  await rm(dir, { recursive: true, force: true });
});

let iteration = 0;
async function send(model: string, overrides: TaskOverrides = {}): Promise<number> {
  iteration += 1;
  await orchestrator.sendTask(
    { problem_id: 3, iteration_id: iteration },
    { model: { model, model_path: `hub/${model}` }, ...overrides },
  );
  return iteration;
}

async function answered(sent: number): Promise<{ output: CO2FootprintImpl; extra: JsonObject }> {
  await orchestrator.waitFor(
    () => orchestrator.outputs.some((o) => o.task_id.iteration_id === sent),
    `task ${sent}`,
    60_000,
  );
  const output = orchestrator.outputs.find((o) => o.task_id.iteration_id === sent);
  if (!output) throw new Error("no output");
  const extra = readExtraData(output.extra_data);
  if (!extra.ok) throw new Error(extra.error.message);
  return { output, extra: extra.value };
}

const ES = resolveGridIntensity({ location: "ES" });
const spain = () => (ES.ok ? ES.value.intensity.value : Number.NaN);

describe("the carbon node measuring a real ONNX model", () => {
  it("answers per inference from the window's energy and the passes run", async () => {
    const { output, extra } = await answered(await send("tiny-mlp"));
    const inferences = extra.inferences as number;
    const windowS = extra.window_s as number;
    const windowJ = extra.window_energy_j as number;
    expect(extra).toMatchObject({ mode: "tracker", num_outputs: 1, model_restrains: ["tiny-mlp"] });
    expect(inferences).toBeGreaterThan(0);
    expect(windowS).toBeGreaterThanOrEqual(0.3);
    // The simulated devices draw 250 W: the window's energy is 250 W x its length, within 2 %
    // (the meter's samples land a few ms from the window's ends on a loaded machine).
    expect(Math.abs(windowJ / (WATTS * windowS) - 1)).toBeLessThan(0.02);
    // Per inference, exactly: window energy / inferences / 3.6e6 (PUE 1), x Spain's intensity.
    expect(output.energy_consumption).toBe(windowJ / inferences / 3.6e6);
    expect(output.carbon_intensity).toBe(spain());
    expect(output.carbon_footprint).toBe(output.energy_consumption * spain());
    expect(extra.measurement).toMatchObject({
      model_file: join(dir, "tiny-mlp.onnx"),
      model_sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      devices: [
        { id: "sim_gpu:0", component: "gpu", basis: "simulated" },
        { id: "sim_cpu:0", component: "cpu", basis: "simulated" },
      ],
    });
  });

  it("answers a broken model and an unfeedable one with an error output, and goes on", async () => {
    const broken = await answered(await send("broken"));
    expect(broken.extra).toMatchObject({
      mode: "hw_only",
      measure_error: { kind: "model-not-loadable" },
    });
    expect(broken.output.energy_consumption).toBeCloseTo(0.001, 15);
    expect(orchestrator.statuses.at(-1)?.node_status).toBe(Status.NODE_ERROR);
    const sequence = await answered(await send("sequence-model"));
    expect(sequence.extra).toMatchObject({
      measure_error: {
        kind: "inputs-not-feedable",
        message: expect.stringMatching(/"items" is not a tensor/),
      },
    });
    const next = await answered(await send("tiny-mlp"));
    expect(next.extra.mode).toBe("tracker");
    expect(orchestrator.statuses.at(-1)?.node_status).toBe(Status.NODE_IDLE);
  });

  it("is RUNNING while measuring, answers configuration at once, and answers a second task after", async () => {
    const before = orchestrator.responses.length;
    const measured = await send("tiny-mlp", {});
    await orchestrator.waitFor(
      () => orchestrator.statuses.at(-1)?.node_status === Status.NODE_RUNNING,
      "RUNNING",
    );
    const estimated = await send("bert-base", {
      model: { model: "bert-base", model_path: "bert.onnx" },
    });
    await orchestrator.configure({
      node_id: NodeId.CARBON_FOOTPRINT,
      transaction_id: 42,
      configuration: "{}",
    });
    await orchestrator.waitFor(
      () => orchestrator.responses.length > before,
      "configuration answer",
    );
    // Answered while the window still runs: neither output is there yet.
    const outputsWhenAnswered = orchestrator.outputs.filter(
      (o) => o.task_id.iteration_id >= measured,
    ).length;
    expect(outputsWhenAnswered).toBe(0);
    await answered(estimated);
    const order = orchestrator.outputs
      .filter((o) => o.task_id.iteration_id >= measured)
      .map((o) => o.task_id.iteration_id);
    expect(order).toEqual([measured, estimated]);
  });
});

describe("a stop while a model runs", () => {
  it("ends the measurement at once and answers the task on the estimate path, saying why", async () => {
    // serve.ts closes the measurer as the stop begins: the node waited for the runner's
    // 60 s load timeout on a model whose pass never ends, past a service manager's patience.
    const loops = await mkdtemp(join(tmpdir(), "wattprint-stop-measuring-"));
    await writeTestOnnxModel(loops, "endless.onnx", "endless-loop");
    const opened = await ModelMeasurer.open({
      modelsDir: loops,
      tracker: { simCpu: "Test CPU", simCpuTdp: 50, simCpuUtil: 1 },
    });
    if (!opened.ok) throw new Error(opened.error.message);
    const stopping = opened.value;
    const domain = new MemoryDomain();
    const node = await NodeRuntime.start(
      carbonFootprintNode(defaultCarbonNodeSettings(), { measurer: stopping }),
      { bus: domain.connect("CARBON_FOOTPRINT_NODE"), logger: createMemoryLogger() },
    );
    const client = await startTaskClient(domain.connect("ORCHESTRATOR_NODE"));
    try {
      await client.sendTask(
        { problem_id: 9, iteration_id: 1 },
        { model: { model: "endless", model_path: "hub/endless" } },
      );
      await client.waitFor(
        () => client.statuses.some((s) => s.node_status === Status.NODE_RUNNING),
        "RUNNING",
        30_000,
      );
      await new Promise((resolve) => setTimeout(resolve, 500));
      void node.stop("test stop");
      void stopping.close();
      await client.waitFor(() => client.outputs.length > 0, "the task's answer", 30_000);
      const output = client.outputs[0] as CO2FootprintImpl;
      expect(output.carbon_footprint).toBeGreaterThan(0);
      const extra = readExtraData(output.extra_data);
      expect(extra.ok && extra.value.mode_reason).toMatch(/failed \(closed\).*estimated instead/);
      await node.stopped;
    } finally {
      await node.stop("test over");
      await stopping.close();
      await rm(loops, { recursive: true, force: true });
    }
  }, 60_000);
});
