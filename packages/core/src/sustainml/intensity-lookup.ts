import { resolveGridIntensity } from "../intensity/grid-intensity.ts";
import type { IntensityLookup } from "./carbon-task.ts";

/**
 * Distinct (region, continent) pairs remembered per lookup. A deployment sees a handful;
 * the bound keeps a peer sending random regions from growing the node's memory.
 */
export const INTENSITY_CACHE_SIZE = 256;

/**
 * The node's intensity source: the embedded annual data for the user's region (continent
 * when the region is empty, world when both are), or a fixed override such as the
 * `SUSTAINML_GRID_CI` environment variable the Python node reads.
 *
 * Answers are cached per (region, continent): the embedded tables never change while the
 * node runs, and resolving a name (normalising, aliases, fuzzy suggestions for unknowns)
 * cost more per task than the footprint arithmetic.
 */
export function embeddedIntensityLookup(overrideGPerKWh?: number): IntensityLookup {
  const cache = new Map<string, ReturnType<IntensityLookup>>();
  return ({ region, continent }) => {
    // U+0000 cannot occur in a SustainML string (CDR strings end at NUL), so it separates.
    const key = `${region}\u0000${continent}`;
    const cached = cache.get(key);
    if (cached) return cached;
    const result = resolveGridIntensity({
      region,
      continent,
      ...(overrideGPerKWh !== undefined ? { overrideGPerKWh } : {}),
    });
    // An error is cached too: it carries its message, the text the task publishes.
    if (cache.size >= INTENSITY_CACHE_SIZE) cache.clear();
    cache.set(key, result);
    return result;
  };
}
