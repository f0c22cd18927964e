import { z } from "zod";
import type { Result } from "./errors.ts";

/*
 * `extra_data` is `sequence<octet>` on the wire holding UTF-8 JSON (docs/sustainml-wire.md §11.1).
 * The orchestrator runs `json.loads` on it unguarded, and the wp3 node decodes bytes one by
 * one (`chr(b)`), so we write ASCII-only JSON (non-ASCII as \uXXXX escapes, like Python's
 * `ensure_ascii`) that both decoders read the same way.
 */

export type JsonValue =
  | null
  | boolean
  | number
  | string
  | readonly JsonValue[]
  | { readonly [key: string]: JsonValue };
export type JsonObject = { readonly [key: string]: JsonValue };

export type ExtraDataErrorKind = "empty" | "invalid-utf8" | "invalid-json" | "not-object";

export interface ExtraDataError {
  readonly kind: ExtraDataErrorKind;
  readonly message: string;
}

const utf8 = new TextDecoder("utf-8", { fatal: true });
const textEncoder = new TextEncoder();

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return `a ${typeof value}`;
}

/** Reads `extra_data` as a JSON object; an empty buffer, bad UTF-8, bad JSON or a non-object is an error. */
export function readExtraData(bytes: Uint8Array): Result<JsonObject, ExtraDataError> {
  if (bytes.byteLength === 0) {
    return {
      ok: false,
      error: { kind: "empty", message: "extra_data is empty (expected a JSON object)" },
    };
  }
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return {
      ok: false,
      error: { kind: "invalid-utf8", message: "extra_data is not valid UTF-8" },
    };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (thrown) {
    const reason = thrown instanceof Error ? thrown.message : String(thrown);
    return {
      ok: false,
      error: { kind: "invalid-json", message: `extra_data is not valid JSON: ${reason}` },
    };
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    return {
      ok: false,
      error: {
        kind: "not-object",
        message: `extra_data holds ${describe(parsed)}, not a JSON object`,
      },
    };
  }
  // JSON.parse only ever yields JSON values, so the object is a JsonObject.
  return { ok: true, value: parsed as JsonObject };
}

const NON_ASCII = /[\u0080-\uffff]/;
const NON_ASCII_ALL = /[\u0080-\uffff]/g;

/** `JSON.stringify` with every non-ASCII UTF-16 unit escaped, as Python's `json.dumps` does. */
export function asciiJson(value: JsonValue): string {
  const json = JSON.stringify(value);
  // Most payloads are ASCII already; testing first skips a replace pass over every byte.
  if (!NON_ASCII.test(json)) return json;
  return json.replace(
    NON_ASCII_ALL,
    (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/**
 * Serialises an object for `extra_data` as ASCII-escaped JSON. Non-finite numbers become
 * `null` (JSON has no NaN); undefined members are dropped, as in `JSON.stringify`.
 */
export function writeExtraData(value: JsonObject): Uint8Array {
  return textEncoder.encode(asciiJson(value));
}

/**
 * What the orchestrator requires of `CO2FootprintImpl.extra_data` (§11.2): a non-empty object
 * with `num_outputs` (integer ≥ 1; reiteration while > 1) and `model_restrains` (string[]).
 * Other keys (`mode`, `error`, `grid_ci_source`, …) pass through.
 */
export const co2ExtraDataSchema = z.looseObject({
  num_outputs: z.int().min(1),
  model_restrains: z.array(z.string()),
  mode: z.enum(["no_model", "onnx_hw_only", "tracker", "error"]).optional(),
  error: z.string().optional(),
  grid_ci_source: z.enum(["env", "calibrated_or_fallback"]).optional(),
});
export type CO2ExtraData = z.infer<typeof co2ExtraDataSchema>;
