import { describeThrown } from "@wattprint/core";
import { consumptionDescription, type LogWriterError } from "@wattprint/logs";
import type { MeterReading } from "@wattprint/power";
import { err, failure, ok, type Result } from "@wattprint/result";
import type { RunContext } from "./build-result.ts";
import { guardedClock, systemClock } from "./clock.ts";
import type { TrackedDevice } from "./devices.ts";
import { echo, echoActual, echoConsumption } from "./echo.ts";
import {
  addLedger,
  componentResults,
  componentWatts,
  emptyLedger,
  type Ledger,
} from "./figures.ts";
import { MAX_TASKS, MAX_WARNINGS } from "./limits.ts";
import { LogFailures } from "./log-failures.ts";
import { epochRecord, predictionRecord, writeRunEnd } from "./log-records.ts";
import {
  parseTrackerOptions,
  type ResolvedTrackerOptions,
  type TrackerClock,
  type TrackerFailure,
  type TrackerOptions,
  type TrackerWarning,
  type TrackerWarningKind,
} from "./options.ts";
import { predictFromMean, predictionFigures } from "./prediction.ts";
import { providerForKeys } from "./providers.ts";
import { runPue } from "./pue.ts";
import { type ReportFailure, type ReportStored, reportRun } from "./report-to.ts";
import type { TaskResult, TrackerResult } from "./result.ts";
import { type OpeningHost, openSession, type Session } from "./session.ts";
import { settle } from "./settle.ts";
import { liveSnapshot } from "./snapshot.ts";
import { type OpenedTask, openTask, type TaskMeasured, type TaskSpan, taskName } from "./task.ts";
import { TrackerError } from "./tracker-error.ts";
import {
  failedResult,
  refusedMeasureResult,
  type SessionFigures,
  sessionResult,
} from "./tracker-results.ts";
import type {
  EpochReport,
  Measured,
  TrackerCounters,
  TrackerSnapshot,
  TrackerTask,
} from "./types.ts";

/** What the work given to `measure()` or `task(name, fn)` may be. */
export type Work<T> = Promise<T> | ((tracker: CarbonTracker) => T | Promise<T>);

type Phase = "open" | "stopping" | "stopped" | "disabled";

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
  private readonly clock: TrackerClock;
  private readonly clockGuard: ReturnType<typeof guardedClock>;
  private readonly warningList: TrackerWarning[] = [];
  private readonly seenProblems = new Set<string>();
  private readonly logFailures = new LogFailures();
  private readonly counters: TrackerCounters = {
    samples: 0,
    overlappedTicks: 0,
    intensityFetches: 0,
    intensityFailures: 0,
    intensityValuesDropped: 0,
    warnings: 0,
    warningsDropped: 0,
    logWriteFailures: 0,
    inferencesRefused: 0,
    clockFailures: 0,
  };
  private readonly startedAt: Date;
  private readonly startedMs: number;
  private sessionPromise: Promise<Result<Session, TrackerFailure>> | null = null;
  private session: Session | null = null;
  private phase: Phase = "open";
  private timer: unknown = null;
  private sampling: Promise<MeterReading> | null = null;
  private stopping: Promise<TrackerResult> | null = null;
  private lastResult: TrackerResult | null = null;
  private reported: Result<ReportStored, ReportFailure> | null = null;
  private lastPrediction: TrackerResult | null = null;
  private apiKeys: Readonly<Record<string, string>> | null;

  // The run's measurement.
  private usedEpochs = false;
  private epochBegin: Promise<MeterReading> | null = null;
  /**
   * The latest epoch being closed (`closeEpoch`), kept so that a `stop()` racing an
   * `epochEnd()` waits for that epoch to reach the ledger and the log before it reads them.
   */
  private closing: Promise<Ledger> | null = null;
  /** The prediction an `epochEnd()` is making (it may await a forecast), kept for the same reason. */
  private predicting: Promise<TrackerResult | null> | null = null;
  private epochsCompleted = 0;
  private run: { energyJ: Float64Array; seconds: number } = emptyLedger(0);
  /**
   * Per tracked device, the seconds the meter could not count within the run (its epochs, or
   * its span): the meter's own count runs from open, before the run began and between epochs.
   */
  private runUncountedS = new Float64Array(0);
  private spanBegin: Promise<MeterReading> | null = null;
  /** The run's first reading (span start or first epoch start), for `live()`. */
  private firstReading: MeterReading | null = null;
  private inferences = 0;
  private readonly tasks: TaskResult[] = [];
  private tasksDropped = 0;

  /**
   * Validates the options and starts opening the power meter, the logs and the intensity in
   * the background (carbontracker's constructor starts its threads). Never throws: invalid
   * options make every later call fail with an `invalid-options` failure naming the option.
   */
  constructor(options: TrackerOptions = {}) {
    const parsed = parseTrackerOptions(options);
    this.options = parsed.ok ? parsed.value : null;
    this.invalid = parsed.ok ? null : parsed.error;
    // An injected clock is read inside timer callbacks, where a throw would end the process.
    this.clockGuard = guardedClock(this.options?.clock ?? systemClock, (what) =>
      this.warn(
        "ignored-error",
        `${what}; the tracker used the system's wall time or the last good monotonic reading instead (introspect().clockFailures counts each)`,
      ),
    );
    this.clock = this.clockGuard.clock;
    this.apiKeys = this.options?.apiKeys ?? null;
    this.startedAt = this.clock.now();
    this.startedMs = this.clock.monotonicMs();
    if (this.options !== null) {
      this.sessionPromise = openSession(this.options, this.openingHost());
    }
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
    if (this.invalid !== null || this.sessionPromise === null) {
      return err(this.invalid ?? failure("invalid-options", "invalid options"));
    }
    const session = await this.sessionPromise;
    return session.ok ? ok(undefined) : session;
  }

  /** The devices metered, once open (GPU first, then CPU and DRAM). */
  get devices(): readonly TrackedDevice[] {
    return this.session?.devices ?? [];
  }

  /**
   * The outcome of the `reportTo` post, once `stop()` has made it: where the server stored
   * the run, or why it did not (also a warning on the result). Null without `reportTo`.
   */
  get report(): Result<ReportStored, ReportFailure> | null {
    return this.reported;
  }

  /** The paths of the two logs, once open with a `logDir`. */
  get logFiles(): { readonly standard: string; readonly output: string } | null {
    const files = this.session?.writer?.files;
    return files === undefined ? null : { standard: files.standard, output: files.output };
  }

  // ---------------------------------------------------------------- opening

  /** What opening the session (`openSession`) reads and changes of the tracker. */
  private openingHost(): OpeningHost {
    return {
      clock: this.clock,
      apiKeys: () => this.apiKeys,
      warn: (kind, message) => this.warn(kind, message),
      skipped: (key) => this.seenProblems.add(key),
      intensityFetched: (gPerKWh, address) => {
        this.counters.intensityFetches++;
        const written = this.session?.writer?.intensityFetched({
          intensity: { value: gPerKWh, unit: "gCO2eq/kWh" },
          address,
        });
        if (written !== undefined && !written.ok) this.logFailed(written.error);
      },
      intensityWarning: (kind, message) => {
        if (kind === "intensity") this.counters.intensityFailures++;
        this.warn(kind, message);
      },
      echo: (text) => echo(this.options, text),
      opened: (session) => {
        this.session = session;
      },
      startTimer: (ms) => {
        this.timer = this.clock.setInterval(() => this.tick(), ms);
      },
      abandoned: () => {
        if (this.timer !== null) this.clock.clearInterval(this.timer);
        this.timer = null;
        this.session = null;
      },
    };
  }

  /** The session, or the failure's consequence: a rejection, or null under `ignoreErrors`. */
  private async need(what: string): Promise<Session | null> {
    if (this.invalid !== null) return this.fail(this.invalid);
    if (this.phase === "disabled") return null;
    const session = await (this.sessionPromise as Promise<Result<Session, TrackerFailure>>);
    if (session.ok) return session.value;
    // Without ignoreErrors every call rejects with why; with it, one warning and then no-ops.
    if ((this.phase as Phase) === "disabled") return null;
    if (this.options?.ignoreErrors === true) this.phase = "disabled";
    return this.fail(session.error, `${what}: `);
  }

  /** Rejects (throws in an async method) unless `ignoreErrors`, which warns instead. */
  private fail(f: TrackerFailure, context = "", result: TrackerResult | null = null): null {
    if (this.options?.ignoreErrors !== true) throw new TrackerError(f, result);
    this.warn("ignored-error", `Ignored error: ${context}${f.message}`);
    return null;
  }

  // ---------------------------------------------------------------- sampling

  private sample(session: Session): Promise<MeterReading> {
    if (this.sampling !== null) return this.sampling;
    this.sampling = session.meter.sample().then((reading) => {
      this.sampling = null;
      this.counters.samples++;
      if (reading.problems.length > 0) this.noteProblems(reading);
      return reading;
    });
    return this.sampling;
  }

  /**
   * The timer: one sample per `updateInterval`, never two at once, never blocking. A tick keeps
   * no reading (the meter accumulates the energy; spans read it with `sample()`), so it uses
   * `sampleInto` on one reading made at open: no promise and no new reading per tick, which
   * at 1 Hz was most of what a tick cost (the tracker's README, "Performance"). A
   * `sample()` made while a tick's round runs joins that round in the meter.
   */
  private tick(): void {
    const session = this.session;
    if (session === null || this.phase !== "open") return;
    if (this.sampling !== null || this.ticking) {
      this.counters.overlappedTicks++;
      return;
    }
    this.ticking = true;
    session.meter.sampleInto(session.tickReading, this.ticked);
  }

  private ticking = false;
  private readonly ticked = (reading: MeterReading): void => {
    this.ticking = false;
    this.counters.samples++;
    if (reading.problems.length > 0) this.noteProblems(reading);
  };

  private noteProblems(reading: MeterReading): void {
    for (const p of reading.problems) {
      const key = `${p.device}:${p.kind}`;
      if (this.seenProblems.has(key)) continue;
      this.seenProblems.add(key);
      this.warn(
        "sampling",
        `${p.message} (later ${p.kind} readings of this device are counted in introspect(), not repeated)`,
      );
    }
  }

  private span(session: Session, earlier: MeterReading, later: MeterReading): Ledger {
    const energyJ = new Float64Array(session.devices.length);
    for (let i = 0; i < energyJ.length; i++) {
      const at = session.index[i] as number;
      energyJ[i] = Math.max(
        0,
        (later.devices[at]?.energyJ ?? 0) - (earlier.devices[at]?.energyJ ?? 0),
      );
    }
    return { energyJ, seconds: Math.max(0, (later.atMs - earlier.atMs) / 1000) };
  }

  /** Adds the seconds each device's meter could not count between two readings to the run's. */
  private addUncounted(session: Session, earlier: MeterReading, later: MeterReading): void {
    if (this.runUncountedS.length !== session.devices.length) {
      this.runUncountedS = new Float64Array(session.devices.length);
    }
    for (let i = 0; i < this.runUncountedS.length; i++) {
      const at = session.index[i] as number;
      const gap = (later.devices[at]?.uncountedS ?? 0) - (earlier.devices[at]?.uncountedS ?? 0);
      this.runUncountedS[i] = (this.runUncountedS[i] as number) + Math.max(0, gap);
    }
  }

  // ---------------------------------------------------------------- lifecycle

  /** Starts measuring without epochs (an inference run, a script); `stop()` ends it. */
  async start(): Promise<void> {
    const session = await this.need("start()");
    if (session === null || this.phase !== "open") return;
    if (this.usedEpochs) {
      this.fail(
        failure(
          "invalid-state",
          "start() after epochStart(): a run measures either epochs or one span from start() to stop()",
        ),
      );
      return;
    }
    this.spanBegin ??= this.sample(session);
    this.firstReading ??= await this.spanBegin;
  }

  /** Starts an epoch. */
  async epochStart(): Promise<void> {
    const session = await this.need("epochStart()");
    if (session === null || this.phase !== "open") return;
    if (this.epochBegin !== null) {
      this.fail(
        failure(
          "invalid-state",
          `epochStart() while epoch ${this.epochsCompleted + 1} is running; call epochEnd() first`,
        ),
      );
      return;
    }
    if (this.spanBegin !== null && !this.usedEpochs) {
      this.fail(
        failure(
          "invalid-state",
          "epochStart() after start(): a run measures either epochs or one span from start() to stop()",
        ),
      );
      return;
    }
    this.usedEpochs = true;
    if (this.run.energyJ.length !== session.devices.length) {
      this.run = emptyLedger(session.devices.length);
    }
    this.epochBegin = this.sample(session);
    const reading = await this.epochBegin;
    this.firstReading ??= reading;
  }

  /**
   * Ends an epoch: writes its record, the prediction after `epochsBeforePred` epochs, and the
   * actual consumption (then stops) at `monitorEpochs`. Null once monitoring has finished
   * (carbontracker's calls are no-ops then), or under `ignoreErrors` after a failure; null too
   * when a `stop()` overtook it while it closed its epoch, which that stop's result counts.
   */
  async epochEnd(): Promise<EpochReport | null> {
    const session = await this.need("epochEnd()");
    if (session === null || this.phase !== "open") return null;
    const begin = this.epochBegin;
    if (begin === null) {
      return this.fail(failure("invalid-state", "epochEnd() without epochStart()"));
    }
    const o = this.options as ResolvedTrackerOptions;
    const ledger = await this.closeEpoch(session, begin);
    if (this.phase !== "open") return null;
    const epoch = this.epochsCompleted;
    const powerW: Partial<Record<"gpu" | "cpu", number>> = {};
    for (const [component, w] of componentWatts(session.devices, ledger)) {
      if (w !== null) powerW[component] = w;
    }
    let prediction: TrackerResult | null = null;
    if (o.epochs !== undefined && o.epochsBeforePred > 0 && epoch === o.epochsBeforePred) {
      const predicting = this.predict(session, o.epochs);
      this.predicting = predicting;
      prediction = await predicting;
    }
    let actual: TrackerResult | null = null;
    const target = this.monitorTarget();
    if (target !== null && epoch === target) actual = await this.stop();
    return { epoch, durationS: ledger.seconds, powerW, prediction, actual };
  }

  /**
   * Ends the running epoch: its energy into the run, its record into the standard log. The
   * epoch leaves `epochBegin` at once (a second `epochEnd()` must not close it again) but is
   * only counted after two awaits; `closing` is what `finish()` waits on in between, or a
   * `stop()` arriving then would see no epoch running, miss this one and write a false early
   * stop to logs it then closes under the epoch's record.
   */
  private closeEpoch(session: Session, begin: Promise<MeterReading>): Promise<Ledger> {
    this.epochBegin = null;
    const closing = this.countEpoch(session, begin);
    this.closing = closing;
    return closing;
  }

  private async countEpoch(session: Session, begin: Promise<MeterReading>): Promise<Ledger> {
    const earlier = await begin;
    const later = await this.sample(session);
    const ledger = this.span(session, earlier, later);
    addLedger(this.run, ledger);
    this.addUncounted(session, earlier, later);
    this.epochsCompleted++;
    this.writeEpoch(session, ledger);
    return ledger;
  }

  private writeEpoch(session: Session, ledger: Ledger): void {
    const byComponent = componentWatts(session.devices, ledger);
    if ([...byComponent.values()].some((w) => w === null)) {
      this.warn("notice", "Epoch duration is too short for a measurement to be collected.");
    }
    if (session.writer === null) return;
    const written = session.writer.epochEnd(epochRecord(ledger, byComponent));
    if (!written.ok) this.logFailed(written.error);
  }

  private monitorTarget(): number | null {
    const o = this.options as ResolvedTrackerOptions;
    if (o.monitorEpochs > 0) return o.monitorEpochs;
    return o.epochs ?? null;
  }

  /** carbontracker's prediction for all `epochs`, from the epochs measured so far. */
  private async predict(session: Session, epochs: number): Promise<TrackerResult | null> {
    const o = this.options as ResolvedTrackerOptions;
    const n = this.epochsCompleted;
    const predicted = predictFromMean(this.run, n, epochs, runPue(o).value);
    if (!predicted.ok) {
      return this.fail(failure("invalid-state", predicted.error.message));
    }
    const durationS = predicted.value.totalDuration.value;
    const intensity = await session.feed.predicted(durationS);
    const result = this.build(
      session,
      predictionFigures(this.run, n, epochs, durationS, intensity),
    );
    this.lastPrediction = result;
    const record = predictionRecord(epochs, durationS, result);
    if (session.writer !== null) {
      const written = session.writer.prediction(record);
      if (!written.ok) this.logFailed(written.error);
    }
    echoConsumption(o, this.clock, consumptionDescription("pred", epochs), durationS, result);
    return result;
  }

  /**
   * Stops measuring and reports the actual consumption (idempotent: later calls return the
   * same result). Before the planned epochs this is carbontracker's early stop; an epoch
   * still running is ended first, since its energy was spent.
   */
  stop(): Promise<TrackerResult> {
    this.stopping ??= this.finish();
    return this.stopping;
  }

  private async finish(): Promise<TrackerResult> {
    let session: Session | null;
    try {
      session = await this.need("stop()");
    } catch (error) {
      this.stopping = null;
      throw error;
    }
    if (session === null) {
      this.phase = "stopped";
      const failed = failedResult(this.context(), this.clock, this.options);
      this.lastResult = failed;
      return failed;
    }
    this.phase = "stopping";
    // An epochEnd() that began before this stop() may still be closing its epoch: its energy
    // and its log record belong to this result, so it is awaited before the ledger is read
    // and the logs are closed. If closing it failed, that epochEnd() rejects with why; the
    // stop still reports the epochs that were counted.
    const inFlight = this.closing;
    if (this.epochBegin !== null) await this.closeEpoch(session, this.epochBegin);
    if (inFlight !== null) await inFlight.catch(() => undefined);
    // Likewise a prediction still waiting for its forecast: its record goes into the output
    // log before the logs close (it wrote to closed logs, a warning, and the log lacked it).
    // The forecast is bounded by the feed's own deadline (INTENSITY_CALL_DEADLINE_MS), not
    // by its provider, which may have none: a forecast that never answers is then aborted.
    const predicting = this.predicting;
    if (predicting !== null) await predicting.catch(() => undefined);
    let label: number | null;
    let ledger: Ledger;
    // Epochs planned but none started (training failed while loading): carbontracker's early
    // stop with 0 epochs, not a one-epoch span that never ran as an epoch.
    const noEpoch =
      !this.usedEpochs && this.spanBegin === null && this.options?.epochs !== undefined;
    if (this.usedEpochs || noEpoch) {
      if (noEpoch) this.run = emptyLedger(session.devices.length);
      ledger = this.run;
      label = this.epochsCompleted;
    } else {
      const earlier = this.spanBegin === null ? session.opening : await this.spanBegin;
      const later = await this.sample(session);
      ledger = this.span(session, earlier, later);
      this.addUncounted(session, earlier, later);
      this.run = { energyJ: new Float64Array(ledger.energyJ), seconds: ledger.seconds };
      // carbontracker's command wrapper: one epoch, then "Actual consumption:".
      this.epochsCompleted = 1;
      this.writeEpoch(session, ledger);
      label = null;
    }
    if (this.timer !== null) this.clock.clearInterval(this.timer);
    this.timer = null;
    const target = this.monitorTarget();
    const early = (this.usedEpochs || noEpoch) && target !== null && this.epochsCompleted < target;
    await session.feed.settle(); // at most INTENSITY_CALL_DEADLINE_MS, whatever the provider does
    session.feed.stop();
    const gPerKWh = session.feed.meanGPerKWh;
    const result = this.build(session, {
      kind: "actual",
      status: early ? "early-stop" : "complete",
      ledger,
      gPerKWh,
      label,
      method: noEpoch
        ? "stopped before the first epoch: no epoch was measured (tasks, if any, are measured on their own)"
        : this.usedEpochs
          ? `measured over ${this.epochsCompleted} epoch(s), energy from the power meter's readings`
          : "measured from start to stop, energy from the power meter's readings",
    });
    this.lastResult = result;
    this.phase = "stopped";
    const logError =
      session.writer === null
        ? null
        : writeRunEnd(session.writer, {
            early,
            plannedEpochs: target,
            label,
            result,
            gPerKWh,
            feed: session.feed,
          });
    echoActual(this.options as ResolvedTrackerOptions, this.clock, gPerKWh, label, result);
    await session.meter.close();
    // After the logs: a server that cannot be reached must never cost the local record.
    await this.reportResult(result);
    if (logError !== null) {
      // A warning like every other failed write (never a rejection of the run it measured);
      // given after the result was built, so the result is told too.
      const warning = this.logFailed(logError);
      if (warning !== null) result.warnings.push({ ...warning });
    }
    return result;
  }

  /** Posts the result to `reportTo`; a failure is a warning added to the result, never a throw. */
  private async reportResult(result: TrackerResult): Promise<void> {
    const reportTo = this.options?.reportTo;
    if (reportTo === undefined) return;
    this.reported = await reportRun({ ...reportTo, result });
    if (this.reported.ok) return;
    const message = `${this.reported.error.message}; the result was not stored there (the local logs and the returned result are complete)`;
    this.warn("ignored-error", message);
    result.warnings.push({ kind: "ignored-error", message, at: this.clock.now().toISOString() });
  }

  /** A failed log write: counted, and warned once per distinct failure (the warning, if given). */
  private logFailed(error: LogWriterError): TrackerWarning | null {
    const message = this.logFailures.note(error);
    this.counters.logWriteFailures = this.logFailures.failures;
    return message === null ? null : this.warn("logs", message);
  }

  // ---------------------------------------------------------------- results

  private context(): RunContext {
    return {
      startedAt: this.startedAt,
      endedAt: this.clock.now(),
      wallS: Math.max(0, (this.clock.monotonicMs() - this.startedMs) / 1000),
      epochsCompleted: this.usedEpochs ? this.epochsCompleted : 0,
      plannedEpochs: this.options?.epochs ?? null,
      pue: runPue(this.options),
      tasks: this.tasks,
      tasksDropped: this.tasksDropped,
      inferences: this.inferences,
      warnings: this.warningList,
      warningsDropped: this.counters.warningsDropped,
      logs: this.logFiles,
    };
  }

  private build(session: Session, r: SessionFigures): TrackerResult {
    return sessionResult(session, this.context(), this.runUncountedS, r);
  }

  // ---------------------------------------------------------------- tasks, inferences, measure

  /** Starts a named task; `end()` (or `await using`) gives its footprint. */
  task(name: string): TrackerTask;
  /** Runs `work` as a named task and returns its value with the task's footprint. */
  task<T>(name: string, work: Work<T>): Promise<TaskMeasured<T>>;
  task<T>(name: string, work?: Work<T>): TrackerTask | Promise<TaskMeasured<T>> {
    if (work === undefined) return this.openTask(this.taskName(name)).task;
    let opened: OpenedTask;
    try {
      opened = this.openTask(this.taskName(name));
    } catch (error) {
      // A refused name rejects the promise, as every other failure of an async call does.
      return Promise.reject(error);
    }
    // The work runs once the task's first reading is in, as measure()'s runs once start() is
    // done: on a tracker still opening, work run at once was over before the task began.
    // A failure to begin is end()'s to report; the work runs either way, as it did before.
    const { task, began } = opened;
    return began
      .then(() => settle(work, this, () => task.end()))
      .then(({ value, after }) => ({ value, task: after }));
  }

  /** The name a task is kept under (`taskName`); a refused one fails as every call does. */
  private taskName(name: unknown): string {
    return taskName(name, this.options?.ignoreErrors === true, (f) => this.fail(f));
  }

  private openTask(name: string): OpenedTask {
    return openTask(
      {
        now: () => this.clock.now(),
        begin: () => {
          // Open and running: the first reading is taken now, before the caller's next
          // statement (RAPL, the model and simulated devices are read on this thread). Begun
          // after an await, a task around synchronous work measured none of it (0.03 J for a
          // second at 100 W), and neither did a run the task started.
          const open = this.session;
          if (open !== null && this.invalid === null && this.phase === "open") {
            return this.beginTask(open);
          }
          return this.need(`task(${JSON.stringify(name)})`).then((session) =>
            session === null ? null : this.beginTask(session),
          );
        },
        countInferences: (n) => this.addInferences(n),
        record: (result) => {
          if (this.tasks.length < MAX_TASKS) this.tasks.push(result);
          else this.tasksDropped++;
        },
        warn: (message) => this.warn("ignored-error", message),
      },
      name,
    );
  }

  /** A task's first reading, asked for before this returns; then what measures its span. */
  private beginTask(session: Session): Promise<() => Promise<TaskSpan>> {
    // A tracker not yet started starts its span here, unless it plans epochs: a task before
    // the first epoch (loading data) is measured on its own, and the epochs that follow are
    // still the run. Asked in the same tick, the two share one reading.
    const startsRun =
      !this.usedEpochs && this.options?.epochs === undefined && this.phase === "open";
    if (startsRun) this.spanBegin ??= this.sample(session);
    const spanBegin = startsRun ? this.spanBegin : null;
    const firstSample = this.sample(session);
    return (async () => {
      if (spanBegin !== null) this.firstReading ??= await spanBegin;
      const first = await firstSample;
      return async (): Promise<TaskSpan> => {
        const later = this.phase === "open" ? await this.sample(session) : session.meter.latest();
        const ledger = this.span(session, first, later);
        return {
          ledger,
          components: componentResults(session.devices, ledger),
          pue: runPue(this.options).value,
          gPerKWh: session.feed.meanGPerKWh,
        };
      };
    })();
  }

  /**
   * Counts inferences (default 1) so the result has a per-inference footprint. A count that is
   * not a whole number >= 0 is a RangeError; one that would take the run's count past
   * `Number.MAX_SAFE_INTEGER` is refused (see `addInferences`).
   */
  countInferences(n = 1): void {
    this.addInferences(n);
  }

  /**
   * Adds `n` to the run's count and says whether it did. Past `Number.MAX_SAFE_INTEGER` a
   * number no longer counts one by one (2^53 + 1 reads back as 2^53), so a count that would
   * pass it is refused: the total stays the last exact one, `inferencesRefused` counts the
   * refusal, and the first one is a warning.
   */
  private addInferences(n: number): boolean {
    if (!Number.isSafeInteger(n) || n < 0) {
      throw new RangeError(`countInferences: n must be a whole number >= 0, got ${n}`);
    }
    if (n <= Number.MAX_SAFE_INTEGER - this.inferences) {
      this.inferences += n;
      return true;
    }
    this.counters.inferencesRefused++;
    if (this.counters.inferencesRefused === 1) {
      this.warn(
        "notice",
        `countInferences(${n}): the run's count would pass ${Number.MAX_SAFE_INTEGER} (Number.MAX_SAFE_INTEGER), beyond which it could not stay exact; it stays at ${this.inferences}, and this and every later count that would pass it are refused (introspect().inferencesRefused)`,
      );
    }
    return false;
  }

  /**
   * Measures `work` (a function given this tracker, or a promise already running) from now
   * until it settles: starts the tracker and stops it afterwards. A rejection of `work` is
   * passed on after the tracker has stopped and written its logs (the footprint is then in
   * `result()`). On a tracker already running, use `task(name, work)`: `measure()` there is an
   * `invalid-state` failure, and under `ignoreErrors` a warning, after which `work` still runs
   * but is not measured (a `status: "failed"` result) and the running tracker is left alone.
   */
  async measure<T>(work: Work<T>): Promise<Measured<T>> {
    // A promise already running may reject while the meter opens (or before a refusal below):
    // unobserved until then, that rejection would end the host. Observed here at once; it is
    // still passed on by `settle` after the tracker stops.
    if (typeof work !== "function") Promise.resolve(work).catch(() => undefined);
    if (this.usedEpochs || this.spanBegin !== null || this.phase !== "open") {
      this.fail(
        failure(
          "invalid-state",
          "measure() needs a fresh tracker; on one already running, use task(name, work)",
        ),
      );
      // Only under ignoreErrors (fail() threw otherwise). Going on would stop a run that is
      // not this call's: its remaining epochs would be no-ops and it would end as an early
      // stop. The caller's work is still theirs to have run, so it runs, unmeasured.
      const value = typeof work === "function" ? await work(this) : await work;
      return {
        value,
        result: refusedMeasureResult(this.context(), this.clock, this.options),
      };
    }
    await this.start();
    const { value, after } = await settle(work, this, () => this.stop());
    return { value, result: after };
  }

  /**
   * Changes the API keys (carbontracker's `set_api_keys`, which 2.4.3 ignores after
   * construction): the live provider they select replaces the current one, with a fetch at
   * once and every 900 s after. Ignored, with a warning, when an `intensityProvider` was given.
   */
  setApiKeys(keys: Readonly<Record<string, string>>): Result<void, TrackerFailure> {
    const parsed = parseTrackerOptions({ apiKeys: { ...keys } });
    if (!parsed.ok) return parsed;
    this.apiKeys = parsed.value.apiKeys;
    if (this.options?.intensityProvider !== undefined) {
      this.warn("notice", "setApiKeys(): an intensityProvider was given, and it stays in use");
      return ok(undefined);
    }
    const provider = providerForKeys(this.apiKeys);
    void this.sessionPromise?.then((session) => {
      if (session.ok && this.phase === "open") session.value.feed.setProvider(provider);
    });
    return ok(undefined);
  }

  /**
   * The run so far from the latest sample (the timer takes one per `updateInterval`): for a
   * live status line. Null until the tracker is open.
   */
  live(): TrackerSnapshot | null {
    const session = this.session;
    if (session === null) return null;
    const latest = session.meter.latest();
    const first = this.firstReading ?? session.opening;
    const span = this.span(session, first, latest);
    const pue = runPue(this.options).value;
    return liveSnapshot(session, latest, span, pue, this.counters.samples);
  }

  /** The actual result once stopped, else null. */
  result(): TrackerResult | null {
    return this.lastResult;
  }

  /** The prediction once made, else null. */
  prediction(): TrackerResult | null {
    return this.lastPrediction;
  }

  /** Warnings so far (the first 100; `introspect().warningsDropped` counts the rest). */
  get warnings(): readonly TrackerWarning[] {
    return this.warningList;
  }

  introspect(): TrackerCounters {
    const feed = this.session?.feed.counters;
    return {
      ...this.counters,
      intensityValuesDropped: feed?.dropped ?? 0,
      clockFailures: this.clockGuard.failures(),
    };
  }

  /** Stops the tracker if it runs; never throws (a failure becomes a warning). */
  async [Symbol.asyncDispose](): Promise<void> {
    try {
      await this.stop();
    } catch (error) {
      this.warn("ignored-error", `stop() on dispose: ${describeThrown(error)}`);
    }
  }

  // ---------------------------------------------------------------- output

  private warn(kind: TrackerWarningKind, message: string): TrackerWarning {
    const warning: TrackerWarning = { kind, message, at: this.clock.now().toISOString() };
    this.counters.warnings++;
    if (this.warningList.length < MAX_WARNINGS) {
      this.warningList.push(warning);
      echo(this.options, `CarbonTracker: WARNING - ${message}\n`);
    } else {
      this.counters.warningsDropped++;
    }
    try {
      this.options?.onWarning?.(warning);
    } catch {
      // A host's callback that throws must not break sampling, which may have called this.
    }
    return warning;
  }
}
