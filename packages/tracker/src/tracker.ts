import { describeThrown } from "@wattprint/core";
import { err, failure, ok, type Result } from "@wattprint/result";
import type { TrackedDevice } from "./devices.ts";
import { epochEnd, epochStart, start } from "./epochs.ts";
import {
  parseTrackerOptions,
  type ResolvedTrackerOptions,
  type TrackerFailure,
  type TrackerOptions,
  type TrackerWarning,
} from "./options.ts";
import { providerForKeys } from "./providers.ts";
import { runPue } from "./pue.ts";
import type { ReportFailure, ReportStored } from "./report-to.ts";
import type { TrackerResult } from "./result.ts";
import { stop } from "./run-end.ts";
import { liveSnapshot } from "./snapshot.ts";
import { span } from "./spans.ts";
import type { TaskMeasured } from "./task.ts";
import { addInferences, measureWork, openNamedTask, runNamedTask } from "./task-book.ts";
import { TrackerCore } from "./tracker-core.ts";
import type {
  EpochReport,
  Measured,
  TrackerCounters,
  TrackerSnapshot,
  TrackerTask,
} from "./types.ts";

/** What the work given to `measure()` or `task(name, fn)` may be. */
export type Work<T> = Promise<T> | ((tracker: CarbonTracker) => T | Promise<T>);

/**
 * carbontracker's tracker for TypeScript. `new CarbonTracker({ epochs })`, then
 * `epochStart()`/`epochEnd()` per epoch and `stop()`; or `start()`/`stop()` without epochs;
 * `task(name)`, `countInferences()`, `measure(fn)`, `await using`. Every result is a typed
 * object as well as a log record. It never exits or kills the host process: a failure
 * rejects the promise of the call that caused it, or with `ignoreErrors` becomes a warning.
 *
 * The public face only: its state is a `TrackerCore` (`tracker-core.ts`), and its calls are
 * the epochs (`epochs.ts`), the tasks and inferences (`task-book.ts`) and the end of the run
 * (`run-end.ts`) over that state. Each call returns their promise as it is, not awaited again,
 * so that the order of awaits between concurrent calls is theirs.
 */
export class CarbonTracker implements AsyncDisposable {
  /** The validated options; null when they were invalid (every call then fails with why). */
  readonly options: ResolvedTrackerOptions | null;
  private readonly core: TrackerCore;

  /**
   * Validates the options and starts opening the power meter, the logs and the intensity in
   * the background (carbontracker's constructor starts its threads). Never throws: invalid
   * options make every later call fail with an `invalid-options` failure naming the option.
   */
  constructor(options: TrackerOptions = {}) {
    this.core = new TrackerCore(options);
    this.options = this.core.options;
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
    const core = this.core;
    if (core.invalid !== null || core.sessionPromise === null) {
      return err(core.invalid ?? failure("invalid-options", "invalid options"));
    }
    const session = await core.sessionPromise;
    return session.ok ? ok(undefined) : session;
  }

  /** The devices metered, once open (GPU first, then CPU and DRAM). */
  get devices(): readonly TrackedDevice[] {
    return this.core.session?.devices ?? [];
  }

  /**
   * The outcome of the `reportTo` post, once `stop()` has made it: where the server stored
   * the run, or why it did not (also a warning on the result). Null without `reportTo`.
   */
  get report(): Result<ReportStored, ReportFailure> | null {
    return this.core.reported;
  }

  /** The paths of the two logs, once open with a `logDir`. */
  get logFiles(): { readonly standard: string; readonly output: string } | null {
    return this.core.logFiles();
  }

  // ---------------------------------------------------------------- lifecycle

  /** Starts measuring without epochs (an inference run, a script); `stop()` ends it. */
  start(): Promise<void> {
    return start(this.core);
  }

  /** Starts an epoch. */
  epochStart(): Promise<void> {
    return epochStart(this.core);
  }

  /**
   * Ends an epoch: writes its record, the prediction after `epochsBeforePred` epochs, and the
   * actual consumption (then stops) at `monitorEpochs`. Null once monitoring has finished
   * (carbontracker's calls are no-ops then), or under `ignoreErrors` after a failure; null too
   * when a `stop()` overtook it while it closed its epoch, which that stop's result counts.
   */
  epochEnd(): Promise<EpochReport | null> {
    return epochEnd(this.core);
  }

  /**
   * Stops measuring and reports the actual consumption (idempotent: later calls return the
   * same result). Before the planned epochs this is carbontracker's early stop; an epoch
   * still running is ended first, since its energy was spent.
   */
  stop(): Promise<TrackerResult> {
    return stop(this.core);
  }

  // ---------------------------------------------------------------- tasks, inferences, measure

  /** Starts a named task; `end()` (or `await using`) gives its footprint. */
  task(name: string): TrackerTask;
  /** Runs `work` as a named task and returns its value with the task's footprint. */
  task<T>(name: string, work: Work<T>): Promise<TaskMeasured<T>>;
  task<T>(name: string, work?: Work<T>): TrackerTask | Promise<TaskMeasured<T>> {
    if (work === undefined) return openNamedTask(this.core, name).task;
    return runNamedTask<T, CarbonTracker>(this.core, this, name, work);
  }

  /**
   * Counts inferences (default 1) so the result has a per-inference footprint. A count that is
   * not a whole number >= 0 is a RangeError; one that would take the run's count past
   * `Number.MAX_SAFE_INTEGER` is refused (see `addInferences`).
   */
  countInferences(n = 1): void {
    addInferences(this.core, n);
  }

  /**
   * Measures `work` (a function given this tracker, or a promise already running) from now
   * until it settles: starts the tracker and stops it afterwards. A rejection of `work` is
   * passed on after the tracker has stopped and written its logs (the footprint is then in
   * `result()`). On a tracker already running, use `task(name, work)`: `measure()` there is an
   * `invalid-state` failure, and under `ignoreErrors` a warning, after which `work` still runs
   * but is not measured (a `status: "failed"` result) and the running tracker is left alone.
   */
  measure<T>(work: Work<T>): Promise<Measured<T>> {
    return measureWork<T, CarbonTracker>(this.core, this, work);
  }

  /**
   * Changes the API keys (carbontracker's `set_api_keys`, which 2.4.3 ignores after
   * construction): the live provider they select replaces the current one, with a fetch at
   * once and every 900 s after. Ignored, with a warning, when an `intensityProvider` was given.
   */
  setApiKeys(keys: Readonly<Record<string, string>>): Result<void, TrackerFailure> {
    const core = this.core;
    const parsed = parseTrackerOptions({ apiKeys: { ...keys } });
    if (!parsed.ok) return parsed;
    core.apiKeys = parsed.value.apiKeys;
    if (this.options?.intensityProvider !== undefined) {
      core.warn("notice", "setApiKeys(): an intensityProvider was given, and it stays in use");
      return ok(undefined);
    }
    const provider = providerForKeys(core.apiKeys);
    void core.sessionPromise?.then((session) => {
      if (session.ok && core.phase === "open") session.value.feed.setProvider(provider);
    });
    return ok(undefined);
  }

  /**
   * The run so far from the latest sample (the timer takes one per `updateInterval`): for a
   * live status line. Null until the tracker is open.
   */
  live(): TrackerSnapshot | null {
    const core = this.core;
    const session = core.session;
    if (session === null) return null;
    const latest = session.meter.latest();
    const first = core.firstReading ?? session.opening;
    const run = span(session, first, latest);
    const pue = runPue(this.options).value;
    return liveSnapshot(session, latest, run, pue, core.counters.samples);
  }

  /** The actual result once stopped, else null. */
  result(): TrackerResult | null {
    return this.core.lastResult;
  }

  /** The prediction once made, else null. */
  prediction(): TrackerResult | null {
    return this.core.lastPrediction;
  }

  /** Warnings so far (the first 100; `introspect().warningsDropped` counts the rest). */
  get warnings(): readonly TrackerWarning[] {
    return this.core.warningList;
  }

  introspect(): TrackerCounters {
    const core = this.core;
    const feed = core.session?.feed.counters;
    return {
      ...core.counters,
      intensityValuesDropped: feed?.dropped ?? 0,
      clockFailures: core.clockGuard.failures(),
    };
  }

  /** Stops the tracker if it runs; never throws (a failure becomes a warning). */
  async [Symbol.asyncDispose](): Promise<void> {
    try {
      await this.stop();
    } catch (error) {
      this.core.warn("ignored-error", `stop() on dispose: ${describeThrown(error)}`);
    }
  }
}
