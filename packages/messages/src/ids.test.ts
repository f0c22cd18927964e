import { describe, expect, it } from "vitest";
import { CmdNode, CmdTask, ErrorCode, enumName, Status, TaskStatus } from "./enums.ts";
import { CARBON_FOOTPRINT_NODE, NodeId, nodeById, nodeIdFromParticipantName } from "./ids.ts";

describe("enums and ids", () => {
  it("use the IDL positions, not the stale manual's order", () => {
    expect(Object.values(Status)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(Status.NODE_IDLE).toBe(2);
    expect(Status.NODE_INITIALIZING).toBe(3);
    expect(TaskStatus.TASK_SUCCEEDED).toBe(3);
    expect(ErrorCode.INTERNAL_ERROR).toBe(1);
    expect(CmdNode.TERMINATE_NODE).toBe(4);
    expect(CmdTask.PREEMPT_TASK).toBe(3);
    expect(enumName(Status, 4)).toBe("NODE_RUNNING");
    expect(enumName(Status, 6)).toBeUndefined();
  });

  it("maps participant names like the orchestrator, unknown to 8", () => {
    expect(CARBON_FOOTPRINT_NODE).toBe("CARBON_FOOTPRINT_NODE");
    expect(nodeIdFromParticipantName("CARBON_FOOTPRINT_NODE")).toBe(NodeId.CARBON_FOOTPRINT);
    expect(nodeIdFromParticipantName("ML_MODEL_NODE")).toBe(5);
    expect(nodeIdFromParticipantName("wattprint")).toBe(NodeId.UNKNOWN);
    expect(nodeById(1)?.displayName).toBe("CARBON_FOOTPRINT");
    expect(nodeById(6)).toBeUndefined();
    expect(NodeId.ORCHESTRATOR).toBe(7);
  });
});
