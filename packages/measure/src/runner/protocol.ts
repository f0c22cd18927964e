import { z } from "zod";

/**
 * Messages between the measurer and its runner process, over the child's IPC channel.
 * Both ends validate what they receive: the runner is our own code, but a message that
 * does not parse (a version skew, a corrupted channel) is a failure with a reason, never a
 * crash of the bus node.
 */
const shapes = z.record(z.string(), z.array(z.int().min(1)));

const feedSpec = {
  /** Which loaded model: the file's sha256. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  batchSize: z.int().min(1),
  inputShapes: shapes.optional(),
};

export const runnerRequestSchema = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("prepare"),
    id: z.int(),
    file: z.string().min(1),
    ...feedSpec,
  }),
  z.object({
    type: z.literal("run"),
    id: z.int(),
    ...feedSpec,
    windowS: z.number().positive(),
  }),
]);
export type RunnerRequest = z.infer<typeof runnerRequestSchema>;

const failureKinds = z.enum([
  "model-not-loadable",
  "inputs-not-feedable",
  "run-failed",
  "no-inferences",
  "invalid-request",
]);

export const runnerReplySchema = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("prepared"),
    id: z.int(),
    /** Seconds spent creating the session and the feeds, and running one warm-up pass. */
    loadS: z.number().min(0),
    /** True when the session was already loaded (only the feeds were built, if new). */
    cached: z.boolean(),
    /** Seconds the warm-up pass of these feeds took: a run's deadline allows for passes this long. */
    passS: z.number().min(0),
    inputs: z.array(z.object({ name: z.string(), type: z.string(), dims: z.array(z.int()) })),
    outputs: z.array(z.string()),
  }),
  z.object({
    type: z.literal("ran"),
    id: z.int(),
    inferences: z.int().min(0),
    /** The runner's own timing of the loop. */
    elapsedS: z.number().min(0),
  }),
  z.object({
    type: z.literal("failed"),
    id: z.int(),
    kind: failureKinds,
    message: z.string(),
    /** The runner holds memory it cannot free (a session onnxruntime made and never released): start another. */
    retire: z.optional(z.boolean()),
  }),
]);
export type RunnerReply = z.infer<typeof runnerReplySchema>;

/** The key of a prepared set of feeds: one model, one batch size, one set of shapes. */
export function feedKey(spec: {
  sha256: string;
  batchSize: number;
  inputShapes?: Readonly<Record<string, readonly number[]>> | undefined;
}): string {
  const shapesKey =
    spec.inputShapes === undefined
      ? ""
      : JSON.stringify(
          Object.keys(spec.inputShapes)
            .sort()
            .map((name) => [name, spec.inputShapes?.[name]]),
        );
  return `${spec.sha256}/${spec.batchSize}/${shapesKey}`;
}
