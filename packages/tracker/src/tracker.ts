import { err, failure, ok, type Result } from "@wattprint/result";
import {
  parseTrackerOptions,
  type ResolvedTrackerOptions,
  type TrackerFailure,
  type TrackerOptions,
  type TrackerWarning,
} from "./options.ts";
import type { TaskResult, TrackerResult } from "./result.ts";
import type { EpochReport, Measured, TrackerCounters, TrackerTask } from "./types.ts";

/** A failure of a tracker call, as the rejection of its promise (unless `ignoreErrors`). */
export class TrackerError extends Error {
  override readonly name = "TrackerError";
  constructor(readonly failure: TrackerFailure) {
    super(failure.message);
  }
}

/** What the work given to `measure()` or `task(name, fn)` may be. */
export type Work<T> = Promise<T> | ((tracker: CarbonTracker) => T | Promise<T>);

/** `task(name, fn)`'s answer. */
export interface TaskMeasured<T> {
  readonly value: T;
  readonly task: TaskResult;
}

const notYet = (what: string): TrackerFailure =>
  failure("invalid-state", `${what} is not implemented yet in this build of @wattprint/tracker`);

/**
 * carbontracker's tracker for TypeScript. `new CarbonTracker({ epochs })`, then
 * `epochStart()`/`epochEnd()` per epoch and `stop()`; or `start()`/`stop()` without epochs;
 * `task(name)`, `countInferences()`, `measure(fn)`, `await using`. Every result is a typed
 * object as well as a log record. It never exits or kills the host process: a failure
 * rejects the promise of the call that caused it, or with `ignoreErrors` becomes a warning.
 */
export class CarbonTracker implements AsyncDisposable {
  /** The validated options; null when they were invalid (every call then fails with why). */
  readonly options: ResolvedTrackerOptions | null;
  private readonly invalid: TrackerFailure | null;
  private readonly warningList: TrackerWarning[] = [];
  private lastResult: TrackerResult | null = null;
  private lastPrediction: TrackerResult | null = null;

  /**
   * Validates the options and starts opening the power meter and the logs in the background
   * (carbontracker's constructor starts its threads). Never throws: invalid options make
   * every later call fail with an `invalid-options` failure naming the option.
   */
  constructor(options: TrackerOptions = {}) {
    const parsed = parseTrackerOptions(options);
    this.options = parsed.ok ? parsed.value : null;
    this.invalid = parsed.ok ? null : parsed.error;
  }

  /** Builds a tracker and waits until its meter and logs are open, or says why they are not. */
  static async create(
    options: TrackerOptions = {},
  ): Promise<Result<CarbonTracker, TrackerFailure>> {
    const tracker = new CarbonTracker(options);
    const ready = await tracker.ready();
    return ready.ok ? ok(tracker) : err(ready.error);
  }

  /** Resolves once the meter and the logs are open; the failure when they cannot be. */
  async ready(): Promise<Result<void, TrackerFailure>> {
    if (this.invalid !== null) return err(this.invalid);
    return err(notYet("ready()"));
  }

  /** Starts measuring without epochs (an inference run, a script); `stop()` ends it. */
  async start(): Promise<void> {
    throw new TrackerError(this.invalid ?? notYet("start()"));
  }

  /** Starts an epoch. */
  async epochStart(): Promise<void> {
    throw new TrackerError(this.invalid ?? notYet("epochStart()"));
  }

  /**
   * Ends an epoch: writes its record, the prediction after `epochsBeforePred` epochs, and the
   * actual consumption (then stops) at `monitorEpochs`. Null only under `ignoreErrors` after
   * a failure.
   */
  async epochEnd(): Promise<EpochReport | null> {
    throw new TrackerError(this.invalid ?? notYet("epochEnd()"));
  }

  /**
   * Stops measuring and reports the actual consumption (idempotent: later calls return the
   * same result). Before the planned epochs this is carbontracker's early stop.
   */
  async stop(): Promise<TrackerResult> {
    throw new TrackerError(this.invalid ?? notYet("stop()"));
  }

  /** Starts a named task; `end()` (or `await using`) gives its footprint. */
  task(name: string): TrackerTask;
  /** Runs `work` as a named task and returns its value with the task's footprint. */
  task<T>(name: string, work: Work<T>): Promise<TaskMeasured<T>>;
  task<T>(name: string, work?: Work<T>): TrackerTask | Promise<TaskMeasured<T>> {
    const failed = this.invalid ?? notYet(`task(${JSON.stringify(name)})`);
    if (work !== undefined) return Promise.reject(new TrackerError(failed));
    return {
      name,
      countInferences: () => {},
      end: () => Promise.reject(new TrackerError(failed)),
      [Symbol.asyncDispose]: async () => {},
    };
  }

  /** Counts inferences (default 1) so the result has a per-inference footprint. */
  countInferences(n = 1): void {
    if (!Number.isInteger(n) || n < 0)
      throw new RangeError(`countInferences: n must be a whole number >= 0, got ${n}`);
  }

  /**
   * Measures `work` (a function given this tracker, or a promise already running) from now
   * until it settles: starts the tracker if it is not running and stops it afterwards. A
   * rejection of `work` is passed on after the tracker has stopped and written its logs.
   */
  async measure<T>(_work: Work<T>): Promise<Measured<T>> {
    throw new TrackerError(this.invalid ?? notYet("measure()"));
  }

  /** Changes the API keys (carbontracker's `set_api_keys`), honoured from the next fetch. */
  setApiKeys(_keys: Readonly<Record<string, string>>): Result<void, TrackerFailure> {
    return err(this.invalid ?? notYet("setApiKeys()"));
  }

  /** The actual result once stopped, else null. */
  result(): TrackerResult | null {
    return this.lastResult;
  }

  /** The prediction once made, else null. */
  prediction(): TrackerResult | null {
    return this.lastPrediction;
  }

  /** Warnings so far (the latest 100). */
  get warnings(): readonly TrackerWarning[] {
    return this.warningList;
  }

  introspect(): TrackerCounters {
    return {
      samples: 0,
      overlappedTicks: 0,
      intensityFetches: 0,
      intensityFailures: 0,
      intensityValuesDropped: 0,
      warnings: this.warningList.length,
      warningsDropped: 0,
      logWriteFailures: 0,
    };
  }

  /** Stops the tracker if it runs; never throws (a failure becomes a warning). */
  async [Symbol.asyncDispose](): Promise<void> {}
}

/**
 * Measures one piece of work with a tracker of its own: `await measure(() => session.run(feeds),
 * { location: "DE" })`. The function gets the tracker, to count inferences or name tasks.
 */
export async function measure<T>(
  work: Work<T>,
  options: TrackerOptions = {},
): Promise<Measured<T>> {
  const tracker = new CarbonTracker(options);
  return tracker.measure(work);
}
