/**
 * The tracker's console output: with `verbose > 0`, the output log's messages go to stdout (or
 * the `stdout` option) as carbontracker prints them, without the log's timestamp. Pure
 * functions of the options and the clock, so the tracker keeps only the calls.
 */
import {
  averageIntensityRecord,
  consumptionDescription,
  consumptionRecord,
  lineTimestamp,
  OUTPUT_PREFIX,
} from "@wattprint/logs";
import type { ResolvedTrackerOptions, TrackerClock } from "./options.ts";
import type { TrackerResult } from "./result.ts";

/** The output log's messages on stdout when `verbose > 0`, as carbontracker prints them. */
export function echo(o: ResolvedTrackerOptions | null, text: string): void {
  if (o === null || o.verbose === 0) return;
  try {
    if (o.stdout !== undefined) o.stdout(text);
    else process.stdout.write(text);
  } catch {
    // A closed stdout (EPIPE) or a throwing callback is not the tracker's failure.
  }
}

/** A prediction's or the actual consumption's lines. */
export function echoConsumption(
  o: ResolvedTrackerOptions,
  clock: TrackerClock,
  description: string,
  durationS: number,
  result: TrackerResult,
): void {
  if (o.verbose === 0) return;
  const ts = lineTimestamp(clock.now());
  const record = consumptionRecord(
    ts,
    description,
    { durationS, energyKWh: result.energy.totalKWh, co2eqG: result.co2G },
    o.decimalPrecision,
    o.interpretable,
  );
  echo(o, record.slice(ts.length + 3));
}

/** What `stop()` prints: the average intensity, the actual consumption, and the last line. */
export function echoActual(
  o: ResolvedTrackerOptions,
  clock: TrackerClock,
  gPerKWh: number,
  label: number | null,
  result: TrackerResult,
): void {
  const ts = lineTimestamp(clock.now());
  echo(o, averageIntensityRecord(ts, gPerKWh, true).slice(ts.length + 3));
  echoConsumption(o, clock, consumptionDescription("actual", label), result.durationS, result);
  echo(o, `${OUTPUT_PREFIX}Finished monitoring.\n`);
}
