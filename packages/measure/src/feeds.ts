import { failure, type Result } from "@wattprint/result";
import type { MeasureFailure } from "./failures.ts";

/**
 * What to feed a model, decided from its declared inputs without running anything: a shape
 * and an element type per input. The runner builds zero-filled tensors from the plan.
 *
 * - A positive number in the declared shape is kept.
 * - A dynamic dimension (a symbolic name such as "batch", or an unknown size) is the batch
 *   size when it is the leading dimension, and 1 anywhere else (a sequence length of 1 is
 *   the cheapest input the model accepts, and says nothing false about batching).
 * - `inputShapes[name]` replaces the declared shape of that input; its rank must match a
 *   declared rank.
 * - Every input must be a tensor of a type onnxruntime-node can build from a typed array;
 *   sequences, maps and 4-bit types cannot be fed.
 */

/** The declared input, as onnxruntime's `inputMetadata` gives it. */
export type InputMetadata =
  | { readonly name: string; readonly isTensor: false }
  | {
      readonly name: string;
      readonly isTensor: true;
      readonly type: string;
      readonly shape: ReadonlyArray<number | string>;
    };

export const FEEDABLE_TYPES = [
  "float32",
  "float64",
  "float16",
  "int8",
  "uint8",
  "int16",
  "uint16",
  "int32",
  "uint32",
  "int64",
  "uint64",
  "bool",
  "string",
] as const;
export type FeedType = (typeof FEEDABLE_TYPES)[number];

/** Bytes per element of each type; strings are fed empty and counted as a pointer. */
const BYTES: Readonly<Record<FeedType, number>> = {
  float32: 4,
  float64: 8,
  float16: 2,
  int8: 1,
  uint8: 1,
  int16: 2,
  uint16: 2,
  int32: 4,
  uint32: 4,
  int64: 8,
  uint64: 8,
  bool: 1,
  // Not a pointer's 8: the runner holds a JavaScript string per element and onnxruntime
  // copies each into a native std::string (32 bytes and more) on every pass. At 8, a 64 Mi
  // element string input passed the 512 MiB limit and took 7.7 GiB.
  string: 48,
};

/** Names quoted in one message, and characters of each: a model may hold 256 inputs of any length. */
const QUOTED_NAMES = 16;
const QUOTED_NAME_CHARS = 64;

/** A model's name for an input, cut for a message. */
export function cutName(name: string): string {
  return name.length <= QUOTED_NAME_CHARS ? name : `${name.slice(0, QUOTED_NAME_CHARS - 1)}…`;
}

/**
 * Inputs for a message: the first `QUOTED_NAMES`, each written by `describe` (which cuts its
 * name), and how many more. Quoted whole, 256 names of 256 KiB made a 67 MB message that the
 * bus node would have published.
 */
export function listInputs<T>(inputs: readonly T[], describe: (input: T) => string): string {
  const shown = inputs.slice(0, QUOTED_NAMES).map(describe).join(", ");
  return inputs.length > QUOTED_NAMES ? `${shown} and ${inputs.length - QUOTED_NAMES} more` : shown;
}

/** The bytes a planned input takes once built. */
export function feedBytes(plan: Pick<FeedPlan, "type" | "elements">): number {
  return plan.elements * BYTES[plan.type];
}

/** The largest input the measurer builds: 64 Mi elements. */
export const MAX_FEED_ELEMENTS = 64 * 1024 * 1024;
/** All inputs of one model together. */
export const MAX_FEED_BYTES = 512 * 1024 * 1024;
/** Inputs of one model. */
export const MAX_INPUTS = 256;

export interface FeedPlan {
  readonly name: string;
  readonly type: FeedType;
  readonly dims: readonly number[];
  readonly elements: number;
}

export interface FeedRequest {
  readonly batchSize: number;
  readonly inputShapes?: Readonly<Record<string, readonly number[]>> | undefined;
}

const notFeedable = (message: string, field: string): Result<never, MeasureFailure> => ({
  ok: false,
  error: failure("inputs-not-feedable", message, { field }),
});

function isFeedType(type: string): type is FeedType {
  return (FEEDABLE_TYPES as readonly string[]).includes(type);
}

/**
 * A dimension the model declares: a number, 0 included. onnxruntime-node reports an unknown
 * one as "" and a symbolic one by its name; a declared 0 fed as 1 failed every pass.
 */
function isFixed(dim: number | string): dim is number {
  return typeof dim === "number" && Number.isSafeInteger(dim) && dim >= 0;
}

export function planFeeds(
  inputs: readonly InputMetadata[],
  request: FeedRequest,
): Result<FeedPlan[], MeasureFailure> {
  if (inputs.length > MAX_INPUTS) {
    return notFeedable(
      `the model has ${inputs.length} inputs, over the limit of ${MAX_INPUTS}`,
      "",
    );
  }
  const shapes = request.inputShapes ?? {};
  for (const name of Object.keys(shapes)) {
    if (!inputs.some((input) => input.name === name)) {
      return {
        ok: false,
        error: failure(
          "invalid-request",
          `input_shapes names "${cutName(name)}", which is not an input of the model (inputs: ${listInputs(inputs, (i) => cutName(i.name))})`,
          { field: `input_shapes.${name}` },
        ),
      };
    }
  }
  const plans: FeedPlan[] = [];
  let bytes = 0;
  // Whether the batch size went into some input's leading dimension: a fixed or overridden
  // one takes none, and a batch reported but not fed divided the energy per item by it.
  let batchFilled = false;
  for (const input of inputs) {
    if (!input.isTensor) {
      return notFeedable(
        `input "${cutName(input.name)}" is not a tensor (a sequence or a map); only tensor inputs can be fed`,
        input.name,
      );
    }
    if (!isFeedType(input.type)) {
      return notFeedable(
        `input "${cutName(input.name)}" has element type ${input.type}, which cannot be fed (feedable: ${FEEDABLE_TYPES.join(", ")})`,
        input.name,
      );
    }
    const override = shapes[input.name];
    if (
      override !== undefined &&
      input.shape.length > 0 &&
      override.length !== input.shape.length
    ) {
      return {
        ok: false,
        error: failure(
          "invalid-request",
          `input_shapes.${cutName(input.name)} has ${override.length} dimensions; the model declares ${input.shape.length} (${input.shape.join(" x ")})`,
          { field: `input_shapes.${input.name}` },
        ),
      };
    }
    const dims =
      override !== undefined
        ? [...override]
        : input.shape.map((dim, i) => (isFixed(dim) ? dim : i === 0 ? request.batchSize : 1));
    if (override === undefined && input.shape.length > 0 && !isFixed(input.shape[0] ?? 0)) {
      batchFilled = true;
    }
    let elements = 1;
    for (const dim of dims) elements *= dim;
    if (elements > MAX_FEED_ELEMENTS) {
      return notFeedable(
        `input "${cutName(input.name)}" would be ${dims.join(" x ")} = ${elements} elements, over the limit of ${MAX_FEED_ELEMENTS}; give a smaller batch_size or input_shapes`,
        input.name,
      );
    }
    bytes += elements * BYTES[input.type];
    if (bytes > MAX_FEED_BYTES) {
      return notFeedable(
        `the inputs up to "${cutName(input.name)}" need ${bytes} bytes, over the limit of ${MAX_FEED_BYTES}`,
        input.name,
      );
    }
    plans.push({ name: input.name, type: input.type, dims, elements });
  }
  if (request.batchSize > 1 && !batchFilled) {
    return {
      ok: false,
      error: failure(
        "invalid-request",
        `batch_size ${request.batchSize} cannot be fed: no input has a dynamic leading dimension left for it (inputs: ${listInputs(plans, (p) => `${cutName(p.name)}: ${p.type}[${p.dims.join("x")}]`)}); leave the batch size out, or set the shapes with input_shapes`,
        { field: "batch_size" },
      ),
    };
  }
  return { ok: true, value: plans };
}

/**
 * The batch a set of feeds holds: the leading dimension every input of rank 1 or more shares
 * (a fixed 1, a batch size filled in, or input_shapes' first number); 1 when they differ or
 * no input has one, so that per-item figures are never divided by a batch not fed.
 */
export function batchFed(inputs: readonly { readonly dims: readonly number[] }[]): number {
  let batch: number | undefined;
  for (const { dims } of inputs) {
    const leading = dims[0];
    if (leading === undefined) continue;
    if (batch !== undefined && batch !== leading) return 1;
    batch = leading;
  }
  return batch === undefined || batch < 1 ? 1 : batch;
}
