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
    const field = `UserInput.extra_data.${issue?.path.join(".") ?? ""}`;
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
