import { describe, expect, it } from "vitest";
import { CmdNode, CmdTask, ErrorCode, Status, TaskStatus } from "./enums.ts";
import { maxKeySize, serializeKey } from "./key-hash.ts";
import { requestTypeImplCodec } from "./types/config.ts";
import { nodeControlImplCodec, nodeStatusImplCodec, nodeStatusImplLayout } from "./types/node.ts";
import { co2FootprintImplCodec, mlModelImplCodec } from "./types/outputs.ts";
import { taskIdImplCodec } from "./types/task-id.ts";

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");

describe("key hash", () => {
  it("task keys: problem_id BE ‖ iteration_id BE ‖ 8 zeros (docs/sustainml-wire.md §7.5)", () => {
    const value = {
      ...co2FootprintImplCodec.defaults(),
      task_id: { problem_id: 7, iteration_id: 1 },
    };
    expect(hex(co2FootprintImplCodec.keyHash(value))).toBe("00000007000000010000000000000000");
    expect(co2FootprintImplCodec.maxKeySize).toBe(8);
    expect(co2FootprintImplCodec.keyFields).toEqual(["task_id"]);
  });

  it("does not depend on non-key members", () => {
    const a = {
      ...mlModelImplCodec.defaults(),
      task_id: { problem_id: 0x01020304, iteration_id: 0xfffffffe },
    };
    const b = { ...a, model: "resnet", raw_model: new Uint8Array(1000).fill(9) };
    expect(hex(mlModelImplCodec.keyHash(a))).toBe("01020304fffffffe0000000000000000");
    expect(mlModelImplCodec.keyHash(b)).toEqual(mlModelImplCodec.keyHash(a));
  });

  it("NodeStatusImpl: MD5 of the BE string key + task id (docs/sustainml-wire.md §7.5)", () => {
    const status = {
      node_status: Status.NODE_IDLE,
      task_status: TaskStatus.TASK_WAITING,
      error_code: ErrorCode.NO_ERROR,
      error_description: "",
      node_name: "CARBON_FOOTPRINT_NODE",
      task_id: { problem_id: 0, iteration_id: 0 },
    };
    // 00000016 | "CARBON_FOOTPRINT_NODE" | 00 | 00 00 (pad) | 00000000 00000000 = 36 bytes
    expect(hex(serializeKey(nodeStatusImplLayout, status))).toBe(
      `00000016${Buffer.from("CARBON_FOOTPRINT_NODE").toString("hex")}000000${"0".repeat(16)}`,
    );
    expect(hex(nodeStatusImplCodec.keyHash(status))).toBe("a00cb8bb7bb456f8d8e135d40d4a0684");
    expect(nodeStatusImplCodec.maxKeySize).toBe(Number.POSITIVE_INFINITY);
    // The status sequence is one instance: the hash ignores node_status.
    const running = { ...status, node_status: Status.NODE_RUNNING };
    expect(nodeStatusImplCodec.keyHash(running)).toEqual(nodeStatusImplCodec.keyHash(status));
  });

  it("NodeControlImpl: MD5 keyed on source_node + task id", () => {
    const control = {
      cmd_node: CmdNode.RESET_NODE,
      cmd_task: CmdTask.STOP_TASK,
      target_node: "CARBON_FOOTPRINT",
      source_node: "ORCHESTRATOR",
      task_id: { problem_id: 3, iteration_id: 2 },
    };
    // 0000000d "ORCHESTRATOR" 00 (no pad: 4 + 13 = 17 → pad 3) 00000003 00000002, hashed by
    // python3 hashlib.md5 for this test.
    expect(hex(nodeControlImplCodec.keyHash(control))).toBe("bd1fc8da16d03736f4832d02ce4a6f3f");
    expect(nodeControlImplCodec.keyFields).toEqual(["source_node", "task_id"]);
  });

  it("RequestTypeImpl: two i32 keys, BE, two's complement, padded", () => {
    const hash = requestTypeImplCodec.keyHash({
      node_id: 1,
      transaction_id: -2,
      configuration: "x",
    });
    expect(hex(hash)).toBe("00000001fffffffe0000000000000000");
  });

  it("TaskIdImpl alone is unkeyed: nil hash", () => {
    expect(taskIdImplCodec.isKeyed).toBe(false);
    expect(hex(taskIdImplCodec.keyHash({ problem_id: 1, iteration_id: 1 }))).toBe("0".repeat(32));
  });

  it("max key sizes follow the layout", () => {
    expect(maxKeySize(nodeStatusImplLayout)).toBe(Number.POSITIVE_INFINITY);
    expect(requestTypeImplCodec.maxKeySize).toBe(8);
  });
});
