import { z } from "zod";
import { type StructLayout, u32 } from "../cdr/layout.ts";
import { defineCodec } from "../codec.ts";
import { u32Schema } from "./primitives.ts";

export const taskIdImplSchema = z.object({
  problem_id: u32Schema,
  iteration_id: u32Schema,
});
export type TaskIdImpl = z.infer<typeof taskIdImplSchema>;

export const taskIdImplLayout: StructLayout = {
  typeName: "TaskIdImpl",
  fields: [
    { name: "problem_id", kind: u32 },
    { name: "iteration_id", kind: u32 },
  ],
};

/** Not a topic type; its codec exists for completeness and tests (unkeyed: nil key hash). */
export const taskIdImplCodec = defineCodec(taskIdImplLayout, taskIdImplSchema);

/** (0,0) marks "no task": the node drops such inputs; status samples use it on purpose. */
export function isValidTaskId(taskId: TaskIdImpl): boolean {
  return !(taskId.problem_id === 0 && taskId.iteration_id === 0);
}

/** Stable string form for Map keys: `"<problem_id>/<iteration_id>"`. */
export function taskIdKey(taskId: TaskIdImpl): string {
  return `${taskId.problem_id}/${taskId.iteration_id}`;
}

/** Inverse of `taskIdKey`; undefined for anything it did not produce. */
export function parseTaskIdKey(key: string): TaskIdImpl | undefined {
  const match = /^(\d{1,10})\/(\d{1,10})$/.exec(key);
  if (match === null) return undefined;
  const parsed = taskIdImplSchema.safeParse({
    problem_id: Number(match[1]),
    iteration_id: Number(match[2]),
  });
  return parsed.success ? parsed.data : undefined;
}

export function sameTaskId(a: TaskIdImpl, b: TaskIdImpl): boolean {
  return a.problem_id === b.problem_id && a.iteration_id === b.iteration_id;
}
