import { CmdNode, Status } from "@wattprint/messages";
import { describe, expect, it } from "vitest";
import type { NodeRuntimeOptions } from "../src/runtime/node-runtime.ts";
import { carbonNodeRig } from "./support/carbon-node.test-support.ts";

const rig = carbonNodeRig();

/** The carbon node whose tasks wait for `open()` before they run. */
async function gatedNode(options: Pick<NodeRuntimeOptions, "nodeCommands"> = {}) {
  let open: () => void = () => {};
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  const { runtime, orchestrator } = await rig({
    runtime: options,
    wrap: (carbon) => ({
      ...carbon,
      handleTask: async (inputs, taskId) => {
        await gate;
        return carbon.handleTask(inputs, taskId);
      },
    }),
  });
  const control = (cmd_node: CmdNode) =>
    orchestrator.control({ cmd_node, target_node: "CARBON_FOOTPRINT_NODE" });
  return {
    runtime,
    orchestrator,
    control,
    open: () => open(),
  };
}

describe("STOP_NODE while a task runs", () => {
  it("lets the running task answer, holds the queued one until START_NODE, and never says IDLE while stopped", async () => {
    const { runtime, orchestrator, control, open } = await gatedNode();
    await orchestrator.sendTask({ problem_id: 1, iteration_id: 1 });
    await orchestrator.waitFor(() => runtime.currentStatus === Status.NODE_RUNNING, "running");
    await orchestrator.sendTask({ problem_id: 1, iteration_id: 2 });
    await orchestrator.waitFor(() => runtime.queuedTasks() === 1, "one task queued");
    await control(CmdNode.STOP_NODE);
    await orchestrator.waitFor(() => runtime.currentStatus === Status.NODE_INACTIVE, "stopped");
    open();
    await orchestrator.waitFor(
      () => orchestrator.outputs.length === 1,
      "the running task's answer",
    );
    // Give a queued task every chance to (wrongly) run.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(orchestrator.outputs.map((o) => o.task_id.iteration_id)).toEqual([1]);
    expect(runtime.currentStatus).toBe(Status.NODE_INACTIVE);
    expect(runtime.counters.tasksDeferred).toBe(1);
    await control(CmdNode.START_NODE);
    await orchestrator.waitFor(() => orchestrator.outputs.length === 2, "the held task's answer");
    await orchestrator.waitFor(() => runtime.currentStatus === Status.NODE_IDLE, "idle");
  });

  it("says RUNNING, not IDLE, on START_NODE or RESET_NODE while a task runs", async () => {
    const { runtime, orchestrator, control, open } = await gatedNode();
    await orchestrator.sendTask({ problem_id: 2, iteration_id: 1 });
    await orchestrator.waitFor(() => runtime.currentStatus === Status.NODE_RUNNING, "running");
    for (const command of [CmdNode.STOP_NODE, CmdNode.START_NODE]) await control(command);
    await orchestrator.waitFor(
      () => orchestrator.statuses.filter((s) => s.node_status === Status.NODE_INACTIVE).length > 0,
      "the stop seen",
    );
    await orchestrator.waitFor(
      () => runtime.currentStatus === Status.NODE_RUNNING,
      "running again",
    );
    await control(CmdNode.RESET_NODE);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(runtime.currentStatus).toBe(Status.NODE_RUNNING);
    open();
    await orchestrator.waitFor(() => orchestrator.outputs.length === 1, "the answer");
    await orchestrator.waitFor(() => runtime.currentStatus === Status.NODE_IDLE, "idle");
  });
});

describe("status around STOP_NODE and START_NODE (sustainml-wire.md §8.2, §9)", () => {
  it("stays INACTIVE after a task that fails while the node is stopped, its ERROR sent first", async () => {
    const { runtime, orchestrator, control, open } = await gatedNode();
    await orchestrator.sendTask(
      { problem_id: 4, iteration_id: 1 },
      { model: { model: "NO_MODEL" } },
    );
    await orchestrator.waitFor(() => runtime.currentStatus === Status.NODE_RUNNING, "running");
    await control(CmdNode.STOP_NODE);
    await orchestrator.waitFor(() => runtime.currentStatus === Status.NODE_INACTIVE, "stopped");
    open();
    await orchestrator.waitFor(() => orchestrator.outputs.length === 1, "the failed task's answer");
    await orchestrator.waitFor(
      () => orchestrator.statuses.at(-1)?.node_status === Status.NODE_INACTIVE,
      "inactive again",
      1_000,
    );
    expect(orchestrator.statuses.slice(-4).map((s) => s.node_status)).toEqual([
      Status.NODE_RUNNING,
      Status.NODE_INACTIVE,
      Status.NODE_ERROR,
      Status.NODE_INACTIVE,
    ]);
    expect(orchestrator.statuses.at(-2)?.error_description).toMatch(/NO_MODEL/);
    expect(runtime.currentStatus).toBe(Status.NODE_INACTIVE);
  });

  it("keeps an ERROR through START_NODE on a node that is not stopped", async () => {
    const { runtime, orchestrator, control, open } = await gatedNode();
    open();
    await orchestrator.sendTask(
      { problem_id: 5, iteration_id: 1 },
      { model: { model: "NO_MODEL" } },
    );
    await orchestrator.waitFor(() => orchestrator.outputs.length === 1, "the failed task's answer");
    expect(runtime.currentStatus).toBe(Status.NODE_ERROR);
    const published = orchestrator.statuses.length;
    await control(CmdNode.START_NODE);
    await orchestrator.waitFor(() => runtime.counters.controlCommands === 1, "the command");
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(runtime.currentStatus).toBe(Status.NODE_ERROR);
    expect(orchestrator.statuses).toHaveLength(published);
    // The error persists until the next task says RUNNING.
    await orchestrator.sendTask({ problem_id: 5, iteration_id: 2 });
    await orchestrator.waitFor(() => orchestrator.outputs.length === 2, "the next answer");
    expect(orchestrator.statuses.slice(-2).map((s) => s.node_status)).toEqual([
      Status.NODE_RUNNING,
      Status.NODE_IDLE,
    ]);
  });
});

describe("a node that takes no node commands from the bus", () => {
  it("stays up through TERMINATE_NODE and STOP_NODE, counting them, and answers tasks", async () => {
    const { runtime, orchestrator, control, open } = await gatedNode({ nodeCommands: "ignore" });
    open();
    await control(CmdNode.TERMINATE_NODE);
    await control(CmdNode.STOP_NODE);
    await orchestrator.waitFor(() => runtime.counters.nodeCommandsIgnored === 2, "both counted");
    await orchestrator.sendTask({ problem_id: 3, iteration_id: 1 });
    await orchestrator.waitFor(() => orchestrator.outputs.length === 1, "an answer");
    expect(runtime.currentStatus).toBe(Status.NODE_IDLE);
    expect(runtime.counters.controlCommands).toBe(2);
  });
});
