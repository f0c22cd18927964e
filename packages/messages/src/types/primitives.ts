import { z } from "zod";

/*
 * zod schemas for the IDL primitives. They state the same rules the encoder enforces, so a
 * value that passes `schema.parse` always encodes and every decoded value passes the schema.
 */

/** IDL `unsigned long`. */
export const u32Schema = z.uint32();
/** IDL `long`. */
export const i32Schema = z.int32();
/**
 * IDL `double`. Any JS number, NaN and ±Infinity included: the wire carries them, and
 * rejecting them on decode would drop a peer's sample. JSON views must handle them.
 */
export const f64Schema = z.custom<number>((v) => typeof v === "number", "expected a number");
/** IDL `boolean`. */
export const boolSchema = z.boolean();
/** IDL `string`: unbounded, no NUL (CDR terminates strings with it), encodable as UTF-8. */
export const stringSchema = z
  .string()
  .refine((s) => !s.includes("\0"), "must not contain NUL")
  .refine((s) => !/\p{Cs}/u.test(s), "must not contain a lone UTF-16 surrogate");
/** IDL `sequence<octet>`. */
export const bytesSchema = z.custom<Uint8Array>(
  (v) => v instanceof Uint8Array,
  "expected a Uint8Array",
);
/** IDL `sequence<string>`. */
export const stringsSchema = z.array(stringSchema);
