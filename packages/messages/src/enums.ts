import { z } from "zod";

/*
 * Every SustainML enum is `enum class : int32_t`, numbered by position and sent as int32
 * (typesImpl.idl). Const objects + union types instead of TS `enum`, so values stay plain
 * numbers on the wire and in JSON.
 */

export const Status = {
  NODE_INACTIVE: 0,
  NODE_ERROR: 1,
  NODE_IDLE: 2,
  NODE_INITIALIZING: 3,
  NODE_RUNNING: 4,
  NODE_TERMINATING: 5,
} as const;
export type Status = (typeof Status)[keyof typeof Status];

/**
 * The Python orchestrator's extra `Status.UNKNOWN`; it never travels on the wire, so it is not
 * a member of `Status` and the decoder rejects 6 like any other unknown value.
 */
export const PYTHON_STATUS_UNKNOWN = 6;

export const TaskStatus = {
  TASK_WAITING: 0,
  TASK_ERROR: 1,
  TASK_RUNNING: 2,
  TASK_SUCCEEDED: 3,
} as const;
export type TaskStatus = (typeof TaskStatus)[keyof typeof TaskStatus];

export const ErrorCode = {
  NO_ERROR: 0,
  INTERNAL_ERROR: 1,
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export const CmdNode = {
  NO_CMD_NODE: 0,
  START_NODE: 1,
  STOP_NODE: 2,
  RESET_NODE: 3,
  TERMINATE_NODE: 4,
} as const;
export type CmdNode = (typeof CmdNode)[keyof typeof CmdNode];

export const CmdTask = {
  NO_CMD_TASK: 0,
  STOP_TASK: 1,
  RESET_TASK: 2,
  PREEMPT_TASK: 3,
  TERMINATE_TASK: 4,
} as const;
export type CmdTask = (typeof CmdTask)[keyof typeof CmdTask];

/** Name of an enum value, for logs and JSON views; undefined when the number is not a member. */
export function enumName<E extends Readonly<Record<string, number>>>(
  enumObject: E,
  value: number,
): keyof E | undefined {
  for (const [name, member] of Object.entries(enumObject)) {
    if (member === value) return name;
  }
  return undefined;
}

export const statusSchema = z.literal(Object.values(Status));
export const taskStatusSchema = z.literal(Object.values(TaskStatus));
export const errorCodeSchema = z.literal(Object.values(ErrorCode));
export const cmdNodeSchema = z.literal(Object.values(CmdNode));
export const cmdTaskSchema = z.literal(Object.values(CmdTask));
