import { describeIntensityError } from "../intensity/describe-error.ts";
import { resolveGridIntensity } from "../intensity/grid-intensity.ts";
import type { IntensityLookup } from "./carbon-task.ts";

/**
 * The node's intensity source: the embedded annual data for the user's region (continent
 * when the region is empty, world when both are), or a fixed override such as the
 * `SUSTAINML_GRID_CI` environment variable the Python node reads.
 */
export function embeddedIntensityLookup(overrideGPerKWh?: number): IntensityLookup {
  return ({ region, continent }) => {
    const result = resolveGridIntensity({
      region,
      continent,
      ...(overrideGPerKWh !== undefined ? { overrideGPerKWh } : {}),
    });
    return result.ok
      ? result
      : { ok: false, message: describeIntensityError(result.error).message };
  };
}
