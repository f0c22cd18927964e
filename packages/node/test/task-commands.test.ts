import { CmdNode, CmdTask, type TaskIdImpl } from "@wattprint/messages";
import { describe, expect, it } from "vitest";
import { carbonNodeRig } from "./support/carbon-node.test-support.ts";

/* STOP_TASK, RESET_TASK and RESET_NODE as sustainml-wire.md §9 says, on the real runtime. */
const rig = carbonNodeRig();

async function setup() {
  const { runtime, orchestrator, logger } = await rig();
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
  return { runtime, orchestrator, logger, command, sendAndSettle };
}

describe("a task stopped, then reset", () => {
  const task = { problem_id: 9, iteration_id: 1 };

  it("runs again after RESET_TASK: later inputs are accepted again", async () => {
    const { runtime, orchestrator, command, sendAndSettle } = await setup();
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
    const { runtime, orchestrator, logger, command } = await setup();
    const task = { problem_id: 7, iteration_id: 1 };
    await command({ cmd_node: CmdNode.STOP_NODE });
    // The same task's inputs sent again after it completed: each completion is deferred.
    for (let copy = 1; copy <= 3; copy += 1) {
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
