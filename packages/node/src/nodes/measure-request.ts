import type { MeasureFailure, MeasureRequest, UserExtra } from "@wattprint/core";
import { failure, type Result } from "@wattprint/result";
import { z } from "zod";

/**
 * The user's say in a measurement, read from `UserInput.extra_data`: `batch_size` (what a
 * dynamic batch dimension is set to) and `input_shapes` (input name → dimensions, for inputs
 * whose declared shape is not enough). Both optional; bounded so that a user cannot ask the
 * measurer for a tensor larger than it will build anyway.
 */
export const MAX_BATCH_SIZE = 65_536;
export const MAX_SHAPED_INPUTS = 64;
export const MAX_SHAPE_RANK = 8;

const dimension = z
  .int()
  .min(1)
  .max(2 ** 31 - 1);

const userMeasureSchema = z.object({
  batch_size: z.int().min(1).max(MAX_BATCH_SIZE).optional(),
  input_shapes: z
    .record(z.string().max(256), z.array(dimension).max(MAX_SHAPE_RANK))
    .refine((shapes) => Object.keys(shapes).length <= MAX_SHAPED_INPUTS, {
      message: `at most ${MAX_SHAPED_INPUTS} inputs`,
    })
    .optional(),
});

/** Longest part of a user's key quoted back in a refusal: the key itself may be 64 KiB. */
export const MAX_QUOTED_KEY_CHARS = 40;

const PLAIN_SEGMENT = /^[A-Za-z0-9_]+$/;

/**
 * The dotted path of a refused field, safe to publish: keys come from the peer's JSON and
 * may be 64 KiB long or hold NUL and lone surrogates, so any key that is not plain is quoted
 * as JSON (ASCII escapes) and cut to MAX_QUOTED_KEY_CHARS.
 */
function fieldPath(path: readonly PropertyKey[]): string {
  return path
    .map((segment) => {
      const text = String(segment);
      if (text.length <= MAX_QUOTED_KEY_CHARS && PLAIN_SEGMENT.test(text)) return text;
      if (text.length <= MAX_QUOTED_KEY_CHARS) return JSON.stringify(text);
      return `${JSON.stringify(text.slice(0, MAX_QUOTED_KEY_CHARS))}...(${text.length} characters)`;
    })
    .join(".");
}

export function measureRequest(
  modelFile: string,
  windowS: number,
  userExtra: UserExtra,
): Result<MeasureRequest, MeasureFailure> {
  const extra = userExtra?.ok ? userExtra.value : {};
  const parsed = userMeasureSchema.safeParse({
    batch_size: extra.batch_size ?? undefined,
    input_shapes: extra.input_shapes ?? undefined,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = `UserInput.extra_data.${fieldPath(issue?.path ?? [])}`;
    return {
      ok: false,
      error: failure(
        "invalid-request",
        `${field}: ${issue?.message ?? "invalid"} (batch_size is an integer from 1 to ${MAX_BATCH_SIZE}; input_shapes maps an input name to up to ${MAX_SHAPE_RANK} positive dimensions)`,
        { field },
      ),
    };
  }
  const { batch_size: batchSize, input_shapes: inputShapes } = parsed.data;
  return {
    ok: true,
    value: {
      modelFile,
      windowS,
      ...(batchSize !== undefined ? { batchSize } : {}),
      ...(inputShapes !== undefined ? { inputShapes } : {}),
    },
  };
}
