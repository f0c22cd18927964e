import { z } from "zod";
import { enumKind, type StructLayout, str, structKind } from "../cdr/layout.ts";
import { defineCodec } from "../codec.ts";
import {
  CmdNode,
  CmdTask,
  cmdNodeSchema,
  cmdTaskSchema,
  ErrorCode,
  errorCodeSchema,
  Status,
  statusSchema,
  TaskStatus,
  taskStatusSchema,
} from "../enums.ts";
import { stringSchema } from "./primitives.ts";
import { taskIdImplLayout, taskIdImplSchema } from "./task-id.ts";

/** Published on `/sustainml/status`; keyed by node name + task id (string key → MD5 hash). */
export const nodeStatusImplSchema = z.object({
  node_status: statusSchema,
  task_status: taskStatusSchema,
  error_code: errorCodeSchema,
  error_description: stringSchema,
  node_name: stringSchema,
  task_id: taskIdImplSchema,
});
export type NodeStatusImpl = z.infer<typeof nodeStatusImplSchema>;

export const nodeStatusImplLayout: StructLayout = {
  typeName: "NodeStatusImpl",
  fields: [
    { name: "node_status", kind: enumKind("Status", Status) },
    { name: "task_status", kind: enumKind("TaskStatus", TaskStatus) },
    { name: "error_code", kind: enumKind("ErrorCode", ErrorCode) },
    { name: "error_description", kind: str },
    { name: "node_name", kind: str, key: true },
    { name: "task_id", kind: structKind(taskIdImplLayout), key: true },
  ],
};

export const nodeStatusImplCodec = defineCodec(nodeStatusImplLayout, nodeStatusImplSchema);

/** Read on `/sustainml/control`; keyed by source node + task id (string key → MD5 hash). */
export const nodeControlImplSchema = z.object({
  cmd_node: cmdNodeSchema,
  cmd_task: cmdTaskSchema,
  target_node: stringSchema,
  source_node: stringSchema,
  task_id: taskIdImplSchema,
});
export type NodeControlImpl = z.infer<typeof nodeControlImplSchema>;

export const nodeControlImplLayout: StructLayout = {
  typeName: "NodeControlImpl",
  fields: [
    { name: "cmd_node", kind: enumKind("CmdNode", CmdNode) },
    { name: "cmd_task", kind: enumKind("CmdTask", CmdTask) },
    { name: "target_node", kind: str },
    { name: "source_node", kind: str, key: true },
    { name: "task_id", kind: structKind(taskIdImplLayout), key: true },
  ],
};

export const nodeControlImplCodec = defineCodec(nodeControlImplLayout, nodeControlImplSchema);
