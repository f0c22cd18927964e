import type { ExtraDataError, JsonObject, JsonValue } from "@wattprint/messages";
import type { Result } from "@wattprint/result";
import { MAX_MODEL_NAME_CHARS, MAX_MODEL_RESTRAINS, tooLong } from "./input-limits.ts";

/**
 * The `extra_data` object of a CO2Footprint output, built as SustainML's wp3 node builds it
 * (docs/sustainml-wire.md §11.2-§11.4) so that the orchestrator's reiteration keeps working:
 * `num_outputs` is a JSON integer >= 1 and `model_restrains` starts with the chosen model.
 * Unlike the Python node, a user `num_outputs` that is not a positive integer is refused
 * with a warning instead of being copied through to crash the orchestrator's `> 1` test.
 */
export interface FootprintExtraBase {
  readonly num_outputs: number;
  readonly model_restrains: readonly string[];
}

/** The user input's `extra_data`, parsed by the caller (the bytes are a wire concern). */
export type UserExtra = Result<JsonObject, ExtraDataError> | undefined;

export interface ExtraMerge {
  readonly base: FootprintExtraBase;
  readonly warnings: readonly string[];
  /** Set when the user's extra_data is over a size limit: the task fails with this reason. */
  readonly refused?: string;
}

const NO_WARNINGS: readonly string[] = Object.freeze([]);

/** What a task refused over a limit answers with: no user value is taken, not even the model
 * name when that is the input over its limit. */
export function refusedBase(modelName: string): FootprintExtraBase {
  return {
    num_outputs: 1,
    model_restrains: modelName.length <= MAX_MODEL_NAME_CHARS ? [modelName] : [],
  };
}

function refusal(modelName: string, reason: string): ExtraMerge {
  return { base: refusedBase(modelName), warnings: NO_WARNINGS, refused: reason };
}

/** "A string of" a positive integer: decimal digits only, blanks around them allowed. */
const INTEGER_TEXT = /^\s*[0-9]+\s*$/;

function positiveInteger(value: JsonValue | undefined): number | undefined {
  // Number() alone read "0x10" as 16, "1e3" as 1000 and "0b101" as 5: an orchestrator then
  // started that many extra iterations for a value nobody wrote as a count.
  const number = typeof value === "string" && INTEGER_TEXT.test(value) ? Number(value) : value;
  // Safe integers only: 1e300 is an "integer" that JSON writes as 1e+300, which no
  // orchestrator reads as an int.
  return typeof number === "number" && Number.isSafeInteger(number) && number >= 1
    ? number
    : undefined;
}

const PREVIEW_CHARS = 40;

/** A short, non-recursive description of a JSON value for a warning: never the whole value. */
export function previewJson(value: JsonValue | undefined): string {
  if (typeof value === "string") {
    return value.length <= PREVIEW_CHARS
      ? JSON.stringify(value)
      : `${JSON.stringify(value.slice(0, PREVIEW_CHARS))}... (${value.length} characters)`;
  }
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (value !== null && typeof value === "object") return "an object";
  return String(value);
}

/**
 * `userExtra` is the user input's `extra_data` already parsed, or the reason it could not
 * be. Bad JSON is only a warning (the task still has everything it needs); extra_data over
 * the size or depth limits, more than MAX_MODEL_RESTRAINS restrictions or one longer than
 * MAX_MODEL_NAME_CHARS is refused, checked before anything is copied.
 */
export function footprintExtraBase(modelName: string, userExtra: UserExtra): ExtraMerge {
  if (userExtra === undefined) {
    return { base: { num_outputs: 1, model_restrains: [modelName] }, warnings: NO_WARNINGS };
  }
  if (!userExtra.ok) {
    if (userExtra.error.kind === "too-large" || userExtra.error.kind === "too-deep") {
      return refusal(modelName, `UserInput.${userExtra.error.message}`);
    }
    return {
      base: { num_outputs: 1, model_restrains: [modelName] },
      warnings: [`user extra_data ignored: ${userExtra.error.message}`],
    };
  }
  const userRestrains = userExtra.value.model_restrains;
  if (Array.isArray(userRestrains)) {
    const limitProblem = restrainsOverLimit(userRestrains);
    if (limitProblem !== undefined) return refusal(modelName, limitProblem);
  }

  const warnings: string[] = [];
  let numOutputs = 1;
  const raw = userExtra.value.num_outputs;
  // Python's truthiness: absent, 0, "" and null leave the default of 1.
  if (raw !== undefined && raw !== null && raw !== 0 && raw !== "" && raw !== false) {
    const parsed = positiveInteger(raw);
    if (parsed === undefined)
      warnings.push(`user num_outputs ${previewJson(raw)} is not a positive integer; 1 used`);
    else numOutputs = parsed;
  }
  const restrains: string[] = [modelName];
  if (Array.isArray(userRestrains)) {
    // The Python node appends each entry not yet in the list: the same order, in linear time.
    const seen = new Set<string>(restrains);
    let skipped = 0;
    let firstSkipped = "";
    for (let i = 0; i < userRestrains.length; i++) {
      const item: JsonValue = userRestrains[i] ?? null;
      if (typeof item === "string") {
        if (!seen.has(item)) {
          seen.add(item);
          restrains.push(item);
        }
      } else {
        if (skipped === 0) firstSkipped = `[${i}] ${previewJson(item)}`;
        skipped++;
      }
    }
    // One warning for all of them: a list of non-strings is one mistake, not many.
    if (skipped > 0) {
      warnings.push(
        `user model_restrains: ${skipped} ${skipped === 1 ? "entry is" : "entries are"} not a string (first: ${firstSkipped}); skipped`,
      );
    }
  } else if (userRestrains !== undefined && userRestrains !== null) {
    warnings.push("user model_restrains is not an array; ignored");
  }
  return { base: { num_outputs: numOutputs, model_restrains: restrains }, warnings };
}

function restrainsOverLimit(restrains: readonly JsonValue[]): string | undefined {
  const field = "UserInput.extra_data.model_restrains";
  if (restrains.length > MAX_MODEL_RESTRAINS) {
    return `${field} has ${restrains.length} entries, over the limit of ${MAX_MODEL_RESTRAINS} (MAX_MODEL_RESTRAINS)`;
  }
  for (let i = 0; i < restrains.length; i++) {
    const item = restrains[i];
    if (typeof item === "string" && item.length > MAX_MODEL_NAME_CHARS) {
      return tooLong(`${field}[${i}]`, item.length, MAX_MODEL_NAME_CHARS, "MAX_MODEL_NAME_CHARS");
    }
  }
  return undefined;
}
