import type { TrackerComponent } from "./options.ts";
import type { TaskResult, TrackerResult } from "./result.ts";

/** What `epochEnd()` returns: the epoch's figures, and the prediction or actual it triggered. */
export interface EpochReport {
  /** 1-based. */
  readonly epoch: number;
  readonly durationS: number;
  /** Mean power per component over the epoch, without PUE (the standard log's lines). */
  readonly powerW: Readonly<Partial<Record<TrackerComponent, number>>>;
  /** Set on the epoch after which the prediction was made (`epochsBeforePred`). */
  readonly prediction: TrackerResult | null;
  /** Set on the epoch that reached `monitorEpochs`: the tracker has stopped. */
  readonly actual: TrackerResult | null;
}

/** A named task in progress (`tracker.task("preprocess")`). */
export interface TrackerTask extends AsyncDisposable {
  readonly name: string;
  /** Counts inferences towards this task and the run. */
  countInferences(n?: number): void;
  /** Ends the task (idempotent: a second call returns the first result). */
  end(): Promise<TaskResult>;
}

/** `measure()`'s answer: the function's value and the footprint of computing it. */
export interface Measured<T> {
  readonly value: T;
  readonly result: TrackerResult;
}

/** Counters for `introspect()`: every limit that bit and every failure skipped. */
export interface TrackerCounters {
  samples: number;
  /** Timer ticks that found the previous sample still running (skipped, never queued). */
  overlappedTicks: number;
  intensityFetches: number;
  intensityFailures: number;
  intensityValuesDropped: number;
  warnings: number;
  warningsDropped: number;
  logWriteFailures: number;
  /**
   * `countInferences` calls refused because the run's count would have passed
   * `Number.MAX_SAFE_INTEGER`, past which it could no longer be exact (a warning the first time).
   */
  inferencesRefused: number;
  /**
   * Readings of an injected clock that threw or gave an invalid time, answered from the
   * system's wall time or the last good monotonic reading instead (a warning the first time).
   */
  clockFailures: number;
}

/** `live()`: the run so far, from the latest sample, for a status line. No sampling, no I/O. */
export interface TrackerSnapshot {
  /** Seconds since the run's first reading (`start()`, the first epoch, or open). */
  readonly elapsedS: number;
  /** Power per component in the latest sample, W (absent while unknown). */
  readonly powerW: Readonly<Partial<Record<TrackerComponent, number>>>;
  /** IT energy since that first reading, J (between epochs too). */
  readonly energyJ: number;
  /** × PUE, kWh. */
  readonly totalKWh: number;
  /** `totalKWh` × the intensity so far. */
  readonly co2G: number;
  readonly basis: "measured" | "modelled" | "simulated" | "mixed";
  readonly samples: number;
}
