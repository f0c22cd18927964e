import { CmdNode, CmdTask, nodeControlImplCodec } from "@wattprint/messages";
import { describe, expect, it } from "vitest";
import { controlActions } from "./control.ts";

const node = { displayName: "CARBON_FOOTPRINT", nodeName: "CARBON_FOOTPRINT_NODE" };
const command = (fields: Partial<Parameters<typeof controlActions>[0]>) => ({
  ...nodeControlImplCodec.defaults(),
  target_node: "CARBON_FOOTPRINT",
  ...fields,
});

describe("controlActions", () => {
  it("ignores commands for other nodes and accepts both spellings of this one", () => {
    expect(
      controlActions(command({ target_node: "ML_MODEL", cmd_node: CmdNode.STOP_NODE }), node),
    ).toBeUndefined();
    expect(
      controlActions(command({ target_node: "", cmd_node: CmdNode.STOP_NODE }), node),
    ).toBeUndefined();
    expect(
      controlActions(
        command({ target_node: "CARBON_FOOTPRINT_NODE", cmd_node: CmdNode.STOP_NODE }),
        node,
      ),
    ).toEqual([{ kind: "pause" }]);
  });

  it("with commands ignored, acts on none, task commands included, and names them", () => {
    const taskId = { problem_id: 3, iteration_id: 2 };
    expect(
      controlActions(
        command({ cmd_task: CmdTask.STOP_TASK, cmd_node: CmdNode.TERMINATE_NODE, task_id: taskId }),
        node,
        "ignore",
      ),
    ).toEqual([
      {
        kind: "ignored",
        what: "STOP_TASK, TERMINATE_NODE: this node takes no commands from the bus (--node-commands ignore)",
      },
    ]);
    expect(
      controlActions(command({ cmd_task: CmdTask.RESET_TASK, task_id: taskId }), node, "ignore"),
    ).toEqual([
      {
        kind: "ignored",
        what: "RESET_TASK: this node takes no commands from the bus (--node-commands ignore)",
      },
    ]);
    expect(controlActions(command({}), node, "ignore")).toEqual([]);
  });

  it("stops only a task the node holds; a reset needs none", () => {
    const taskId = { problem_id: 3, iteration_id: 2 };
    for (const cmd_task of [CmdTask.STOP_TASK, CmdTask.TERMINATE_TASK]) {
      expect(controlActions(command({ cmd_task, task_id: taskId }), node, "accept", false)).toEqual(
        [{ kind: "not-held", what: expect.stringMatching(/holds no such task/) }],
      );
    }
    expect(
      controlActions(
        command({ cmd_task: CmdTask.RESET_TASK, task_id: taskId }),
        node,
        "accept",
        false,
      ),
    ).toEqual([{ kind: "drop-task", taskId, refuseLater: false }]);
  });

  it("maps task commands before node commands", () => {
    const taskId = { problem_id: 3, iteration_id: 2 };
    expect(
      controlActions(
        command({ cmd_task: CmdTask.STOP_TASK, cmd_node: CmdNode.RESET_NODE, task_id: taskId }),
        node,
      ),
    ).toEqual([{ kind: "drop-task", taskId, refuseLater: true }, { kind: "reset" }]);
    expect(
      controlActions(command({ cmd_task: CmdTask.RESET_TASK, task_id: taskId }), node),
    ).toEqual([{ kind: "drop-task", taskId, refuseLater: false }]);
    expect(controlActions(command({ cmd_task: CmdTask.PREEMPT_TASK }), node)?.[0]?.kind).toBe(
      "unsupported",
    );
    expect(controlActions(command({ cmd_node: CmdNode.TERMINATE_NODE }), node)).toEqual([
      { kind: "terminate" },
    ]);
    expect(controlActions(command({}), node)).toEqual([]);
  });
});
