import { CmdNode, CmdTask, NodeId, readExtraData, Status } from "@wattprint/messages";
import { describe, expect, it } from "vitest";
import { taskParts } from "../src/client/task-client.ts";
import {
  type CarbonNodeRigOptions,
  carbonNodeRig,
  spain,
} from "./support/carbon-node.test-support.ts";

const rig = carbonNodeRig();
/** This file's orchestrator joins before the node, so it sees every status the node sends. */
const setup = (options: CarbonNodeRigOptions = {}) => rig({ orchestratorFirst: true, ...options });

describe("the carbon footprint node on a bus", () => {
  it("keeps only the last status for a late status reader (one instance, KEEP_LAST 1)", async () => {
    // The rig's default order: the node starts, then the orchestrator joins, late.
    const { orchestrator: late } = await rig();
    await late.waitFor(() => late.statuses.length === 1, "replayed status");
    expect(late.statuses[0]?.node_status).toBe(Status.NODE_IDLE);
  });

  it("publishes INITIALIZING, IDLE, then RUNNING and IDLE before each output", async () => {
    const { orchestrator, runtime } = await setup();
    await orchestrator.waitFor(() => orchestrator.statuses.length >= 2, "start statuses");
    await orchestrator.sendTask({ problem_id: 1, iteration_id: 1 });
    await orchestrator.waitFor(() => orchestrator.outputs.length === 1, "first output");
    // The status reader sees every status; the output must come after IDLE.
    expect(orchestrator.statuses.map((s) => s.node_status)).toEqual([
      Status.NODE_INITIALIZING,
      Status.NODE_IDLE,
      Status.NODE_RUNNING,
      Status.NODE_IDLE,
    ]);
    for (const status of orchestrator.statuses) {
      expect(status).toMatchObject({
        node_name: "CARBON_FOOTPRINT_NODE",
        task_id: { problem_id: 0, iteration_id: 0 },
      });
    }
    const [output] = orchestrator.outputs;
    expect(output?.task_id).toEqual({ problem_id: 1, iteration_id: 1 });
    // 100 W x 0.01 h = 1 Wh = 0.001 kWh at Spain's intensity, PUE 1
    expect(output?.energy_consumption).toBeCloseTo(0.001, 15);
    expect(output?.carbon_intensity).toBe(spain());
    expect(output?.carbon_footprint).toBeCloseTo(0.001 * spain(), 12);
    const extra = readExtraData(output?.extra_data ?? new Uint8Array());
    expect(extra.ok && extra.value).toMatchObject({
      num_outputs: 1,
      model_restrains: ["bert-base"],
      mode: "onnx_hw_only",
    });
    expect(runtime.counters.tasksCompleted).toBe(1);
  });

  it("answers tasks whatever the order of their inputs, and stamps each output with its task id", async () => {
    const { orchestrator } = await setup();
    const a = taskParts({ problem_id: 2, iteration_id: 1 }, { hw: { power_consumption: 200 } });
    const b = taskParts({ problem_id: 3, iteration_id: 1 }, { hw: { power_consumption: 300 } });
    await orchestrator.send("hw", b.hw);
    await orchestrator.send("userInput", a.userInput);
    await orchestrator.send("model", b.model);
    await orchestrator.send("hw", a.hw);
    await orchestrator.send("model", a.model);
    await orchestrator.send("userInput", b.userInput);
    await orchestrator.waitFor(() => orchestrator.outputs.length === 2, "two outputs");
    const byProblem = new Map(
      orchestrator.outputs.map((o) => [o.task_id.problem_id, o.energy_consumption]),
    );
    expect(byProblem.get(2)).toBeCloseTo(0.002, 15);
    expect(byProblem.get(3)).toBeCloseTo(0.003, 15);
  });

  it("receives tasks written before it started (TRANSIENT_LOCAL)", async () => {
    const { orchestrator } = await setup({
      beforeNode: async (early) => {
        await early.sendTask({ problem_id: 4, iteration_id: 1 });
        await early.sendTask({ problem_id: 4, iteration_id: 2 });
      },
    });
    await orchestrator.waitFor(() => orchestrator.outputs.length === 2, "late-join outputs");
    expect(orchestrator.outputs.map((o) => o.task_id.iteration_id).sort()).toEqual([1, 2]);
  });

  it("publishes ERROR before a NO_MODEL output, with the reference keys, and recovers", async () => {
    const { orchestrator } = await setup();
    await orchestrator.sendTask(
      { problem_id: 5, iteration_id: 1 },
      { model: { model: "NO_MODEL" } },
    );
    await orchestrator.waitFor(() => orchestrator.outputs.length === 1, "NO_MODEL output");
    expect(orchestrator.statuses.at(-1)).toMatchObject({
      node_status: Status.NODE_ERROR,
      error_code: 1,
    });
    expect(orchestrator.statuses.at(-1)?.error_description).toMatch(/NO_MODEL/);
    const output = orchestrator.outputs[0];
    expect(output).toMatchObject({
      carbon_footprint: 0,
      energy_consumption: 0,
      carbon_intensity: 0,
    });
    const extra = readExtraData(output?.extra_data ?? new Uint8Array());
    expect(extra.ok && extra.value).toMatchObject({ mode: "no_model", num_outputs: 1 });
    await orchestrator.sendTask({ problem_id: 5, iteration_id: 2 });
    await orchestrator.waitFor(() => orchestrator.outputs.length === 2, "recovery");
    expect(orchestrator.statuses.slice(-2).map((s) => s.node_status)).toEqual([
      Status.NODE_RUNNING,
      Status.NODE_IDLE,
    ]);
  });

  it("refuses (0,0), replaces duplicates, and counts undecodable samples without crashing", async () => {
    const { orchestrator, runtime, logger } = await setup();
    await orchestrator.sendTask({ problem_id: 0, iteration_id: 0 });
    const first = taskParts({ problem_id: 6, iteration_id: 1 }, { hw: { power_consumption: 1 } });
    const second = taskParts(
      { problem_id: 6, iteration_id: 1 },
      { hw: { power_consumption: 400 } },
    );
    await orchestrator.send("hw", first.hw);
    await orchestrator.send("hw", second.hw);
    await orchestrator.sendRaw("model", Uint8Array.from([0, 1, 0, 0, 9, 9]));
    await orchestrator.sendRaw("userInput", Uint8Array.from([0x52, 0x54, 0x50, 0x53]));
    await orchestrator.send("model", first.model);
    await orchestrator.send("userInput", first.userInput);
    await orchestrator.waitFor(() => orchestrator.outputs.length === 1, "output after duplicates");
    expect(orchestrator.outputs[0]?.energy_consumption).toBeCloseTo(0.004, 15);
    expect(runtime.counters).toMatchObject({
      invalidTaskIds: 3,
      duplicateInputsReplaced: 1,
      decodeErrors: 2,
      tasksCompleted: 1,
    });
    expect(logger.records.some((r) => r.message === "undecodable sample dropped")).toBe(true);
  });

  it("bounds each input queue and drops the oldest pending task, logged and counted", async () => {
    const { orchestrator, runtime, logger } = await setup({ runtime: { maxPendingPerInput: 3 } });
    for (let i = 1; i <= 5; i += 1) {
      await orchestrator.send("hw", taskParts({ problem_id: 7, iteration_id: i }).hw);
    }
    await orchestrator.waitFor(
      () => (runtime.counters.inputsDropped.queueFull ?? 0) === 2,
      "queue-full drops",
    );
    expect(runtime.pending()).toEqual({ model: 0, userInput: 0, hw: 3 });
    const drops = logger.records.filter((r) => r.message === "pending input dropped");
    expect(drops.map((d) => d.fields.task)).toEqual(["7/1", "7/2"]);
  });

  it("drops inputs that waited longer than the age limit", async () => {
    let now = 0;
    const { orchestrator, runtime } = await setup({
      runtime: { maxPendingAgeMs: 1_000, now: () => now },
    });
    await orchestrator.send("hw", taskParts({ problem_id: 8, iteration_id: 1 }).hw);
    await orchestrator.waitFor(() => runtime.pending().hw === 1, "pending input");
    now = 5_000;
    await orchestrator.send("hw", taskParts({ problem_id: 8, iteration_id: 2 }).hw);
    await orchestrator.waitFor(() => runtime.counters.inputsDropped.expired === 1, "expiry");
    expect(runtime.pending().hw).toBe(1);
  });
});

describe("configuration service", () => {
  it("answers node 1 only, copying node_id and transaction_id", async () => {
    const { orchestrator, definition } = await setup();
    await orchestrator.configure({
      node_id: NodeId.HW_RESOURCES,
      transaction_id: 1,
      configuration: "{}",
    });
    await orchestrator.configure({
      node_id: NodeId.CARBON_FOOTPRINT,
      transaction_id: 2,
      configuration: "TestConfig",
    });
    await orchestrator.configure({
      node_id: NodeId.CARBON_FOOTPRINT,
      transaction_id: 3,
      configuration: '{"latency_unit":"ms","pue":"google"}',
    });
    await orchestrator.waitFor(() => orchestrator.responses.length === 2, "two responses");
    const [refused, accepted] = orchestrator.responses;
    expect(refused).toMatchObject({ node_id: 1, transaction_id: 2, success: false, err_code: 1 });
    expect(JSON.parse(refused?.configuration ?? "")).toEqual({
      error: "Unsupported configuration request: TestConfig",
    });
    expect(accepted).toMatchObject({ node_id: 1, transaction_id: 3, success: true, err_code: 0 });
    expect(JSON.parse(accepted?.configuration ?? "")).toEqual({
      latency_unit: "ms",
      pue: 1.1,
      grid_ci: null,
      mode: "auto",
      measure_seconds: 1,
    });
    expect(definition.settings().latencyUnit).toBe("ms");
  });
});

describe("node control", () => {
  it("defers tasks while stopped and runs them on START_NODE", async () => {
    const { orchestrator, runtime } = await setup();
    await orchestrator.control({ cmd_node: CmdNode.STOP_NODE, target_node: "CARBON_FOOTPRINT" });
    await orchestrator.waitFor(() => runtime.currentStatus === Status.NODE_INACTIVE, "stopped");
    await orchestrator.sendTask({ problem_id: 9, iteration_id: 1 });
    await orchestrator.waitFor(() => runtime.counters.tasksDeferred === 1, "deferred task");
    expect(orchestrator.outputs).toHaveLength(0);
    await orchestrator.control({
      cmd_node: CmdNode.START_NODE,
      target_node: "CARBON_FOOTPRINT_NODE",
    });
    await orchestrator.waitFor(() => orchestrator.outputs.length === 1, "output after start");
  });

  it("drops a stopped task's inputs and refuses its late ones; ignores commands for other nodes", async () => {
    const { orchestrator, runtime } = await setup();
    const parts = taskParts({ problem_id: 10, iteration_id: 1 });
    await orchestrator.send("model", parts.model);
    await orchestrator.control({
      cmd_task: CmdTask.STOP_TASK,
      target_node: "ML_MODEL",
      task_id: parts.model.task_id,
    });
    await orchestrator.control({
      cmd_task: CmdTask.STOP_TASK,
      target_node: "CARBON_FOOTPRINT",
      task_id: parts.model.task_id,
    });
    await orchestrator.waitFor(() => runtime.counters.inputsDropped.cancelled === 1, "cancel");
    await orchestrator.send("userInput", parts.userInput);
    await orchestrator.send("hw", parts.hw);
    await orchestrator.waitFor(
      () => runtime.counters.cancelledTaskInputs === 2,
      "late inputs refused",
    );
    expect(runtime.counters.controlCommands).toBe(1);
    expect(orchestrator.outputs).toHaveLength(0);
  });

  it("terminates on TERMINATE_NODE, publishing NODE_TERMINATING last", async () => {
    const { orchestrator, runtime } = await setup();
    await orchestrator.control({
      cmd_node: CmdNode.TERMINATE_NODE,
      target_node: "CARBON_FOOTPRINT",
    });
    await runtime.stopped;
    await orchestrator.waitFor(
      () => orchestrator.statuses.at(-1)?.node_status === Status.NODE_TERMINATING,
      "terminating",
    );
  });
});
