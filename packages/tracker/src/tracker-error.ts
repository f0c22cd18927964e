/**
 * `TrackerError`, what a tracker call rejects with. Apart from the tracker because it holds
 * none of its state: a failure and, when there was one, the result.
 */
import type { TrackerFailure } from "./options.ts";
import type { TrackerResult } from "./result.ts";

/** A failure of a tracker call, as the rejection of its promise (unless `ignoreErrors`). */
export class TrackerError extends Error {
  override readonly name = "TrackerError";
  constructor(
    readonly failure: TrackerFailure,
    /** The result, when the failure came after it was computed (a log that could not be written). */
    readonly result: TrackerResult | null = null,
  ) {
    super(failure.message);
  }
}
