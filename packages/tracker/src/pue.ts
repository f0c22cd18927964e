/**
 * The run's PUE as the tracker applies it: the `pue` option, or carbontracker's 1.58. Its own
 * file because opening, predictions, tasks, `live()` and results all read it, and each
 * resolves it afresh from the options rather than keeping a copy on the tracker.
 */
import { resolvePue, sourceOf } from "@wattprint/core";
import type { Source } from "./figures.ts";
import type { ResolvedTrackerOptions } from "./options.ts";

export function runPue(o: ResolvedTrackerOptions | null): { value: number; source: Source } {
  // carbontracker's 1.58 is the core's "industry-2023" profile (Uptime Institute 2023).
  const resolved = resolvePue(o?.pue ?? "industry-2023");
  // The schema checked `pue` already; only a programming error lands here.
  if (!resolved.ok) throw new Error(`pue passed validation but not resolvePue: ${o?.pue}`);
  return { value: resolved.value.value, source: sourceOf(resolved.value.provenance) };
}
