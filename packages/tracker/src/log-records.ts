/**
 * The run's records as the log writer takes them: an epoch's powers, the prediction, and the
 * end of the run (early stop, actual consumption, closing the logs). The tracker decides when
 * each is written and what a failed write costs (`logFailed`: a warning, never a rejection).
 */
import { gramsCO2eq, kilowattHours, seconds, watts } from "@wattprint/core";
import type { EpochInput, LogWriter, LogWriterError, PredictionInput } from "@wattprint/logs";
import type { Ledger } from "./figures.ts";
import type { IntensityFeed } from "./intensity-feed.ts";
import type { TrackerComponent } from "./options.ts";
import type { TrackerResult } from "./result.ts";

/** An epoch's standard-log record: its duration and mean power per component (null: too short). */
export function epochRecord(
  ledger: Ledger,
  byComponent: ReadonlyMap<TrackerComponent, number | null>,
): EpochInput {
  const power: Record<string, ReturnType<typeof watts> | null> = {};
  for (const [component, w] of byComponent) power[component] = w === null ? null : watts(w);
  return { duration: seconds(ledger.seconds), power };
}

/** The output log's prediction record. */
export function predictionRecord(
  epochs: number,
  durationS: number,
  result: TrackerResult,
): PredictionInput {
  return {
    epochs,
    duration: seconds(durationS),
    energy: kilowattHours(result.energy.totalKWh),
    carbon: gramsCO2eq(result.co2G),
  };
}

/** What ending the run writes, and with which figures. */
export interface RunEnd {
  /** Stopped before the planned epochs: carbontracker's early stop record comes first. */
  readonly early: boolean;
  readonly plannedEpochs: number | null;
  /** The N of `… for N epoch(s):`; null for a run without epochs. */
  readonly label: number | null;
  readonly result: TrackerResult;
  readonly gPerKWh: number;
  readonly feed: IntensityFeed;
}

/**
 * Writes the end of the run and closes the logs. The first failure, else null; closing logs
 * that were already closed is none.
 */
export function writeRunEnd(writer: LogWriter, end: RunEnd): LogWriterError | null {
  const { result, gPerKWh, feed } = end;
  let logError: LogWriterError | null = null;
  if (end.early) {
    const w = writer.earlyStop({ plannedEpochs: end.plannedEpochs ?? -1 });
    if (!w.ok) logError ??= w.error;
  }
  const a = writer.actual({
    epochs: end.label,
    duration: seconds(result.durationS),
    energy: kilowattHours(result.energy.totalKWh),
    carbon: gramsCO2eq(result.co2G),
    averageIntensity: { value: gPerKWh, unit: "gCO2eq/kWh" },
    fetched: feed.fetchedValues().map((v) => ({ value: v, unit: "gCO2eq/kWh" })),
    address: feed.address,
  });
  if (!a.ok) logError ??= a.error;
  const e = writer.end();
  if (!e.ok && logError === null && e.error.kind !== "closed") logError = e.error;
  return logError;
}
