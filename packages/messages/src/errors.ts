import type { Failure, Result } from "@wattprint/result";

/** Why a buffer could not be decoded. */
export type DecodeErrorKind =
  /** The buffer ends before a field that must be there. */
  | "short"
  /** The 4-byte encapsulation header is missing, unknown, or not supported (PL_CDR, PL_CDR2). */
  | "bad-encapsulation"
  /** A length (string, sequence, DHEADER) is impossible for the bytes that remain. */
  | "bad-length"
  /** A field holds a value its type does not allow (enum, bool, string terminator). */
  | "invalid-value"
  /** More than alignment padding follows the last member. */
  | "trailing";

/** Why a buffer could not be decoded; the message names the type, the field and the offset. */
export interface DecodeError extends Failure<DecodeErrorKind> {
  /** Wire type name, e.g. `CO2FootprintImpl`. */
  readonly typeName: string;
  /** Absolute byte offset in the payload (the encapsulation header counts, so the body starts at 4). */
  readonly offset?: number;
  /** Dotted field path, e.g. `task_id.problem_id` or `inputs[2]`. */
  readonly field?: string;
}

export type DecodeResult<T> = Result<T, DecodeError>;

/**
 * A value that breaks its schema: the message is `Type: path: problem; ...` (never a raw
 * ZodError); `issues` lists every zod issue as a dotted path and its message.
 */
export interface ValidationError extends Failure<"invalid"> {
  readonly typeName: string;
  readonly issues: readonly { readonly path: string; readonly message: string }[];
}

/**
 * Thrown by `encode` when handed a value that its schema would reject (an out-of-range u32,
 * a string with NUL, a number where bytes belong). Encoding trusted values is the normal path,
 * so this is a programmer error; validate untrusted input with `codec.parse` first.
 */
export class EncodeError extends Error {
  readonly typeName: string;
  readonly field: string;

  constructor(typeName: string, field: string, message: string) {
    super(`${typeName}.${field}: ${message}`);
    this.name = "EncodeError";
    this.typeName = typeName;
    this.field = field;
  }
}
