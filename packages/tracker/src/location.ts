import { err, failure, ok, type Result } from "@wattprint/result";
import { LOCATION_ENV, MAX_LOCATION_CHARS, type TrackerFailure } from "./options.ts";
import type { IntensityResult } from "./result.ts";

/** The location a run names, and where it came from (the result's `intensity.locationFrom`). */
export interface RunLocation {
  readonly location: string | undefined;
  readonly from: IntensityResult["locationFrom"];
}

/**
 * The `location` option, else `WATTPRINT_LOCATION` (trimmed; empty is none), else none. Only
 * the variable's length is checked here (the option's is checked by its schema), before any
 * look-up; whether either names a known place is the intensity's question.
 */
export function runLocation(
  option: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): Result<RunLocation, TrackerFailure> {
  if (option !== undefined) return ok({ location: option, from: "option" });
  const fromEnv = env[LOCATION_ENV]?.trim();
  if (fromEnv === undefined || fromEnv === "") return ok({ location: undefined, from: "none" });
  if (fromEnv.length > MAX_LOCATION_CHARS) {
    return err(
      failure(
        "intensity",
        `${LOCATION_ENV} is ${fromEnv.length} characters long; a location is at most ${MAX_LOCATION_CHARS} (an ISO code, a country or a zone id such as DK, Germany or US-CAL-CISO)`,
        { field: `env.${LOCATION_ENV}` },
      ),
    );
  }
  return ok({ location: fromEnv, from: "env" });
}
