import type { Result } from "@wattprint/result";
import type { z } from "zod";
import { type DecodeOptions, decodeStruct } from "./cdr/decode.ts";
import { type EncodeOptions, encodeStruct } from "./cdr/encode.ts";
import { defaultStruct, type StructLayout, type StructValue } from "./cdr/layout.ts";
import type { DecodeResult, ValidationError } from "./errors.ts";
import { isKeyedLayout, keyHashFunction, maxKeySize } from "./key-hash.ts";

/** Everything the node runtime needs to speak one SustainML type. */
export interface MessageCodec<T> {
  /** Wire type name, e.g. `CO2FootprintImpl`. */
  readonly typeName: string;
  readonly schema: z.ZodType<T>;
  /** The field layout the engine walks (wire order). */
  readonly layout: StructLayout;
  /** `@key` members in declaration order; empty for TaskIdImpl. */
  readonly keyFields: readonly string[];
  readonly isKeyed: boolean;
  /** Largest serialized key in bytes (`Infinity` for string keys, hence MD5). */
  readonly maxKeySize: number;
  /** XCDR1 little-endian with the `00 01 00 00` header. Throws `EncodeError` on invalid values. */
  encode(value: T, options?: EncodeOptions): Uint8Array;
  /** Never throws; XCDR1 LE/BE and XCDR2 (CDR2, D_CDR2) are accepted. */
  decode(bytes: Uint8Array, options?: DecodeOptions): DecodeResult<T>;
  /** Validates untrusted input against the schema. */
  parse(input: unknown): Result<T, ValidationError>;
  /** 16-byte instance key hash (`PID_KEY_HASH`). */
  keyHash(value: T): Uint8Array;
  /** IDL defaults: zeros and empties. */
  defaults(): T;
}

function sameOrder(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((name, i) => name === b[i]);
}

export function defineCodec<T extends StructValue>(
  layout: StructLayout,
  schema: z.ZodObject & z.ZodType<T>,
): MessageCodec<T> {
  const fieldNames = layout.fields.map((field) => field.name);
  // The schema and the layout describe one type twice; refuse to load if they drift apart.
  if (!sameOrder(Object.keys(schema.shape), fieldNames)) {
    throw new Error(`${layout.typeName}: schema keys and wire layout differ`);
  }
  const { typeName } = layout;
  return {
    typeName,
    schema,
    layout,
    keyFields: layout.fields.filter((field) => field.key === true).map((field) => field.name),
    isKeyed: isKeyedLayout(layout),
    maxKeySize: maxKeySize(layout),
    encode: (value, options) => encodeStruct(layout, value, options),
    // The engine builds exactly the layout's fields with checked kinds, which is what the
    // schema describes; the layout/schema check above keeps the two in step.
    decode: (bytes, options) => decodeStruct(layout, bytes, options) as DecodeResult<T>,
    parse: (input) => {
      const parsed = schema.safeParse(input);
      if (parsed.success) return { ok: true, value: parsed.data };
      const issues = parsed.error.issues.map((issue) => ({
        path: issue.path.map(String).join("."),
        message: issue.message,
      }));
      const summary = issues.map((i) => `${i.path || "(root)"}: ${i.message}`).join("; ");
      return {
        ok: false,
        error: { kind: "invalid", typeName, message: `${typeName}: ${summary}`, issues },
      };
    },
    keyHash: keyHashFunction(layout),
    defaults: () => defaultStruct(layout) as T,
  };
}
