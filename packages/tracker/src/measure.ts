/**
 * The standalone `measure()`: one piece of work under a tracker of its own. Apart from the
 * tracker because it only composes its public API.
 */
import type { TrackerOptions } from "./options.ts";
import { CarbonTracker, type Work } from "./tracker.ts";
import type { Measured } from "./types.ts";

/**
 * Measures one piece of work with a tracker of its own: `await measure(() => session.run(feeds),
 * { location: "DE" })`. The function gets the tracker, to count inferences or name tasks.
 */
export async function measure<T>(
  work: Work<T>,
  options: TrackerOptions = {},
): Promise<Measured<T>> {
  return new CarbonTracker(options).measure(work);
}
