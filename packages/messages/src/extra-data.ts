import type { Failure, Result } from "@wattprint/result";
import { z } from "zod";

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

export type ExtraDataErrorKind =
  | "empty"
  | "too-large"
  | "too-deep"
  | "invalid-utf8"
  | "invalid-json"
  | "not-object";

/**
 * Largest `extra_data` read, in bytes. SustainML's user extra_data carries `num_outputs`,
 * `model_restrains` and a few settings: well under a kilobyte. 64 KiB leaves room for a
 * thousand long model names while keeping one sample's parse in the tens of microseconds.
 */
export const MAX_EXTRA_DATA_BYTES = 64 * 1024;

/**
 * Deepest nesting of arrays and objects read. SustainML's extra_data is two levels deep;
 * the bound is checked by a scan before `JSON.parse`, so no recursive code (the parser, or a
 * `JSON.stringify` of a member later) ever meets an input deep enough to exhaust the stack.
 */
export const MAX_EXTRA_DATA_DEPTH = 32;

export interface ExtraDataLimits {
  readonly maxBytes: number;
  readonly maxDepth: number;
}

export const EXTRA_DATA_LIMITS: ExtraDataLimits = Object.freeze({
  maxBytes: MAX_EXTRA_DATA_BYTES,
  maxDepth: MAX_EXTRA_DATA_DEPTH,
});

/** Why `extra_data` could not be read; the message names the limit or the parser's complaint. */
export type ExtraDataError = Failure<ExtraDataErrorKind>;

const utf8 = new TextDecoder("utf-8", { fatal: true });
const textEncoder = new TextEncoder();

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return `a ${typeof value}`;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_SQUARE = 0x5b;
const OPEN_CURLY = 0x7b;
const CLOSE_SQUARE = 0x5d;
const CLOSE_CURLY = 0x7d;

/**
 * The byte offset where array/object nesting first goes deeper than `maxDepth`, or -1.
 * One pass over the bytes with a counter: brackets inside strings (escapes included) do not
 * count, and UTF-8 continuation bytes are all >= 0x80, so they never look like brackets.
 * Unbalanced or otherwise broken JSON is left for `JSON.parse` to report: the parser stops
 * at the first stray closer, so a negative count never lets a deeper valid prefix through.
 */
export function jsonDepthExceededAt(bytes: Uint8Array, maxDepth: number): number {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i];
    if (inString) {
      if (byte === BACKSLASH) i++;
      else if (byte === QUOTE) inString = false;
    } else if (byte === QUOTE) {
      inString = true;
    } else if (byte === OPEN_SQUARE || byte === OPEN_CURLY) {
      depth++;
      if (depth > maxDepth) return i;
    } else if (byte === CLOSE_SQUARE || byte === CLOSE_CURLY) {
      depth--;
    }
  }
  return -1;
}

/**
 * Reads `extra_data` as a JSON object; an empty buffer, one over the size or depth limits,
 * bad UTF-8, bad JSON or a non-object is an error. The limits are checked first, in one
 * linear pass, so an oversized sample costs no decoding or parsing.
 */
export function readExtraData(
  bytes: Uint8Array,
  limits: ExtraDataLimits = EXTRA_DATA_LIMITS,
): Result<JsonObject, ExtraDataError> {
  if (bytes.byteLength === 0) {
    return {
      ok: false,
      error: { kind: "empty", message: "extra_data is empty (expected a JSON object)" },
    };
  }
  if (bytes.byteLength > limits.maxBytes) {
    return {
      ok: false,
      error: {
        kind: "too-large",
        message: `extra_data is ${bytes.byteLength} bytes, over the limit of ${limits.maxBytes} bytes`,
      },
    };
  }
  const deepAt = jsonDepthExceededAt(bytes, limits.maxDepth);
  if (deepAt >= 0) {
    return {
      ok: false,
      error: {
        kind: "too-deep",
        message: `extra_data nests arrays/objects deeper than the limit of ${limits.maxDepth} levels (at byte ${deepAt})`,
      },
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
 * `extra_data.mode` as either carbon node writes it (docs/sustainml-wire.md §11.3, §12.5):
 * the Python node writes all but `hw_only`; wattprint writes all of them (`tracker` for a
 * measured task, `hw_only` for a model it estimated that is not ONNX).
 */
export const CO2_EXTRA_MODES = ["no_model", "onnx_hw_only", "hw_only", "tracker", "error"] as const;

/**
 * `extra_data.grid_ci_source`: `env` (a fixed intensity) from both nodes;
 * `calibrated_or_fallback` only from the Python node; `embedded` and `live` only from
 * wattprint (the embedded annual tables, or a live provider).
 */
export const CO2_GRID_CI_SOURCES = ["env", "calibrated_or_fallback", "embedded", "live"] as const;

/**
 * A `CO2FootprintImpl.extra_data` from either carbon node. What the orchestrator requires
 * (§11.2): a non-empty object with `num_outputs` (integer ≥ 1; reiteration while > 1) and
 * `model_restrains` (string[]). `mode` and `grid_ci_source` take either node's values, so
 * that wattprint's own output passes; other keys (wattprint's `intensity`, `formula`, …) pass
 * through.
 */
export const co2ExtraDataSchema = z.looseObject({
  num_outputs: z.int().min(1),
  model_restrains: z.array(z.string()),
  mode: z.enum(CO2_EXTRA_MODES).optional(),
  error: z.string().optional(),
  grid_ci_source: z.enum(CO2_GRID_CI_SOURCES).optional(),
});
export type CO2ExtraData = z.infer<typeof co2ExtraDataSchema>;
