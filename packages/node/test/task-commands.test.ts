import { CmdNode, CmdTask, type TaskIdImpl } from "@wattprint/messages";
import { describe, expect, it } from "vitest";
import { startTaskClient, taskParts } from "../src/client/task-client.ts";
import { carbonNodeRig } from "./support/carbon-node.test-support.ts";

/* STOP_TASK, RESET_TASK and RESET_NODE as sustainml-wire.md §9 says, on the real runtime. */
const rig = carbonNodeRig();

async function setup(options: Parameters<typeof rig>[0] = {}) {
  const { runtime, orchestrator, logger, domain } = await rig(options);
  let commands = 0;
  /** Sends one command and waits until the node has acted on it. */
  const command = async (
    fields: { cmd_task?: CmdTask; cmd_node?: CmdNode },
    task_id: TaskIdImpl = { problem_id: 0, iteration_id: 0 },
  ) => {
    commands += 1;
    await orchestrator.control({ ...fields, target_node: "CARBON_FOOTPRINT", task_id });
    await orchestrator.waitFor(() => runtime.counters.controlCommands === commands, "the command");
  };
  /** Sends the task and waits for its answer or for the node to refuse its three inputs. */
  const sendAndSettle = async (taskId: TaskIdImpl) => {
    const answered = orchestrator.outputs.length;
    const refused = runtime.counters.cancelledTaskInputs;
    await orchestrator.sendTask(taskId);
    await orchestrator.waitFor(
      () =>
        orchestrator.outputs.length > answered ||
        runtime.counters.cancelledTaskInputs === refused + 3,
      "an answer or a refusal",
    );
  };
  return { runtime, orchestrator, logger, domain, command, sendAndSettle };
}

describe("a task stopped, then reset", () => {
  const task = { problem_id: 9, iteration_id: 1 };

  it("runs again after RESET_TASK: later inputs are accepted again", async () => {
    const { runtime, orchestrator, command, sendAndSettle } = await setup();
    // A stop acts on a task the node holds: here, one input waiting for the other two.
    await orchestrator.send("model", taskParts(task).model);
    await orchestrator.waitFor(() => runtime.pending().model === 1, "the model input held");
    await command({ cmd_task: CmdTask.STOP_TASK }, task);
    await sendAndSettle(task);
    expect(orchestrator.outputs).toHaveLength(0);
    const refusedWhileStopped = runtime.counters.cancelledTaskInputs;
    expect(refusedWhileStopped).toBe(3);
    await command({ cmd_task: CmdTask.RESET_TASK }, task);
    await sendAndSettle(task);
    expect(runtime.counters.cancelledTaskInputs).toBe(refusedWhileStopped);
    expect(orchestrator.outputs.map((o) => o.task_id)).toEqual([task]);
  });

  it("runs again after RESET_NODE, which resets every task", async () => {
    const { runtime, orchestrator, command, sendAndSettle } = await setup();
    const other = { problem_id: 9, iteration_id: 2 };
    await command({ cmd_task: CmdTask.STOP_TASK }, task);
    await command({ cmd_task: CmdTask.TERMINATE_TASK }, other);
    await command({ cmd_node: CmdNode.RESET_NODE });
    await sendAndSettle(task);
    await sendAndSettle(other);
    expect(runtime.counters.cancelledTaskInputs).toBe(0);
    expect(orchestrator.outputs.map((o) => o.task_id)).toEqual([task, other]);
  });
});

describe("STOP_TASK of a task held more than once", () => {
  it("counts and logs one drop per copy", async () => {
    // A completed id is remembered for the age limit: past it, the id runs again.
    let now = 0;
    const { runtime, orchestrator, logger, command } = await setup({
      runtime: { now: () => now, maxPendingAgeMs: 1_000 },
    });
    const task = { problem_id: 7, iteration_id: 1 };
    await command({ cmd_node: CmdNode.STOP_NODE });
    // The same task's inputs sent again once its completion was forgotten: each is deferred.
    for (let copy = 1; copy <= 3; copy += 1) {
      now += 2_000;
      await orchestrator.sendTask(task);
      await orchestrator.waitFor(() => runtime.counters.tasksDeferred === copy, `copy ${copy}`);
    }
    await command({ cmd_task: CmdTask.STOP_TASK }, task);
    expect(runtime.counters.inputsDropped.cancelled).toBe(3);
    const lines = logger.records.filter(
      (r) => r.message === "pending input dropped" && r.fields.reason === "cancelled",
    );
    expect(lines).toHaveLength(3);
    await command({ cmd_node: CmdNode.START_NODE });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(orchestrator.outputs).toHaveLength(0);
  });
});

describe("a stop for a task the node does not hold", () => {
  it("is counted and forgotten: a peer stopping ids 1..1000 blocks no later task", async () => {
    const { runtime, orchestrator, domain } = await rig();
    const peer = await startTaskClient(domain.connect("PEER"));
    for (let problem = 1; problem <= 1_000; problem += 1) {
      await peer.control({
        cmd_task: CmdTask.STOP_TASK,
        target_node: "CARBON_FOOTPRINT",
        task_id: { problem_id: problem, iteration_id: 1 },
      });
    }
    await peer.waitFor(() => runtime.counters.controlCommands === 1_000, "the stops");
    expect(runtime.counters.taskCommandsNotHeld).toBe(1_000);
    for (let problem = 1; problem <= 5; problem += 1)
      await orchestrator.sendTask({ problem_id: problem, iteration_id: 1 });
    await orchestrator.waitFor(() => orchestrator.outputs.length === 5, "five answers");
    expect(runtime.counters.cancelledTaskInputs).toBe(0);
  });

  it("with node commands ignored, a stop of a held task is ignored too", async () => {
    const { runtime, orchestrator } = await rig({ runtime: { nodeCommands: "ignore" } });
    const task = { problem_id: 4, iteration_id: 1 };
    await orchestrator.send("model", taskParts(task).model);
    await orchestrator.waitFor(() => runtime.pending().model === 1, "the model input held");
    await orchestrator.control({
      cmd_task: CmdTask.STOP_TASK,
      target_node: "CARBON_FOOTPRINT",
      task_id: task,
    });
    await orchestrator.waitFor(() => runtime.counters.nodeCommandsIgnored === 1, "ignored");
    await orchestrator.sendTask(task);
    await orchestrator.waitFor(() => orchestrator.outputs.length === 1, "the task answered");
  });
});

describe("an input arriving after its task completed", () => {
  it("is refused, so it cannot answer the next run of the id; RESET_TASK lets it run again", async () => {
    const { runtime, orchestrator, command } = await setup();
    const task = { problem_id: 5, iteration_id: 1 };
    await orchestrator.sendTask(task, { hw: { power_consumption: 100 } });
    await orchestrator.waitFor(() => orchestrator.outputs.length === 1, "the first answer");
    await orchestrator.send("hw", taskParts(task, { hw: { power_consumption: 999_999 } }).hw);
    await orchestrator.waitFor(() => runtime.counters.completedTaskInputs === 1, "refused");
    expect(runtime.pending()).toEqual({ model: 0, userInput: 0, hw: 0 });
    await command({ cmd_task: CmdTask.RESET_TASK }, task);
    const rerun = taskParts(task, { hw: { power_consumption: 10 } });
    await orchestrator.send("model", rerun.model);
    await orchestrator.send("userInput", rerun.userInput);
    await orchestrator.send("hw", rerun.hw);
    await orchestrator.waitFor(() => orchestrator.outputs.length === 2, "the second answer");
    const [first, second] = orchestrator.outputs;
    expect(second?.energy_consumption).toBeCloseTo((first?.energy_consumption ?? 0) / 10);
  });
});
