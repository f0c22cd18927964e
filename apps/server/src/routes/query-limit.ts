import { z } from "zod";

/**
 * A `limit` query parameter: decimal digits only, 1 to `max`, `fallback` when absent. Read
 * with `z.coerce.number()`, `limit=1e2` was 100, `limit=0x10` 16, an empty `limit=` "too
 * small" and a repeated one "received NaN".
 */
export function queryLimit(max: number, fallback: number) {
  const message = `must be a whole number from 1 to ${max}, in decimal digits`;
  return z
    .string()
    .regex(/^[1-9][0-9]*$/, message)
    .default(String(fallback))
    .transform(Number)
    .pipe(z.number().max(max, message))
    .describe(`How many to return: 1 to ${max}, ${fallback} when absent`);
}
