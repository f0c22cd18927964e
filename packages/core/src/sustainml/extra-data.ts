import type { JsonObject, JsonValue } from "@wattprint/messages";

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

export interface ExtraMerge {
  readonly base: FootprintExtraBase;
  readonly warnings: readonly string[];
}

function positiveInteger(value: JsonValue | undefined): number | undefined {
  const number = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  return typeof number === "number" && Number.isInteger(number) && number >= 1 ? number : undefined;
}

/** `userExtra` is the user input's `extra_data` already parsed, or the reason it could not be. */
export function footprintExtraBase(
  modelName: string,
  userExtra:
    | { readonly ok: true; readonly value: JsonObject }
    | { readonly ok: false; readonly message: string }
    | undefined,
): ExtraMerge {
  const warnings: string[] = [];
  let numOutputs = 1;
  const restrains: string[] = [modelName];
  if (userExtra && !userExtra.ok) {
    warnings.push(`user extra_data ignored: ${userExtra.message}`);
  } else if (userExtra?.ok) {
    const raw = userExtra.value.num_outputs;
    // Python's truthiness: absent, 0, "" and null leave the default of 1.
    if (raw !== undefined && raw !== null && raw !== 0 && raw !== "" && raw !== false) {
      const parsed = positiveInteger(raw);
      if (parsed === undefined)
        warnings.push(`user num_outputs ${JSON.stringify(raw)} is not a positive integer; 1 used`);
      else numOutputs = parsed;
    }
    const userRestrains = userExtra.value.model_restrains;
    if (Array.isArray(userRestrains)) {
      for (const item of userRestrains) {
        if (typeof item === "string" && !restrains.includes(item)) restrains.push(item);
        else if (typeof item !== "string")
          warnings.push(
            `user model_restrains entry ${JSON.stringify(item)} is not a string; skipped`,
          );
      }
    } else if (userRestrains !== undefined && userRestrains !== null) {
      warnings.push("user model_restrains is not an array; ignored");
    }
  }
  return { base: { num_outputs: numOutputs, model_restrains: restrains }, warnings };
}
