/**
 * What every part of the tracker shares: its options, clock, counters and warnings, the
 * session and the phase it is in, the timer's sampling, and the run's measurement so far. The
 * epochs (`epochs.ts`, `epoch-ledger.ts`), the tasks (`task-book.ts`) and the end of the run
 * (`run-end.ts`) are functions over this one state, so that none of them reaches into another's;
 * `CarbonTracker` (`tracker.ts`) is the public face that owns it.
 */
import type { LogWriterError } from "@wattprint/logs";
import type { MeterReading } from "@wattprint/power";
import type { Result } from "@wattprint/result";
import { guardedClock, systemClock } from "./clock.ts";
import { echo } from "./echo.ts";
import { emptyLedger, type Ledger } from "./figures.ts";
import { MAX_WARNINGS } from "./limits.ts";
import { LogFailures } from "./log-failures.ts";
import {
  parseTrackerOptions,
  type ResolvedTrackerOptions,
  type TrackerClock,
  type TrackerFailure,
  type TrackerOptions,
  type TrackerWarning,
  type TrackerWarningKind,
} from "./options.ts";
import type { ReportFailure, ReportStored } from "./report-to.ts";
import type { TaskResult, TrackerResult } from "./result.ts";
import { type OpeningHost, openSession, type Session } from "./session.ts";
import { TrackerError } from "./tracker-error.ts";
import type { TrackerCounters } from "./types.ts";

export type Phase = "open" | "stopping" | "stopped" | "disabled";

/** The tracker's state, and the ways out of it every part uses: `need`, `fail`, `warn`. */
export class TrackerCore {
  /** The validated options; null when they were invalid (every call then fails with why). */
  readonly options: ResolvedTrackerOptions | null;
  readonly invalid: TrackerFailure | null;
  readonly clock: TrackerClock;
  readonly clockGuard: ReturnType<typeof guardedClock>;
  readonly warningList: TrackerWarning[] = [];
  readonly seenProblems = new Set<string>();
  readonly logFailures = new LogFailures();
  readonly counters: TrackerCounters = {
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
  readonly startedAt: Date;
  readonly startedMs: number;
  sessionPromise: Promise<Result<Session, TrackerFailure>> | null = null;
  session: Session | null = null;
  phase: Phase = "open";
  timer: unknown = null;
  sampling: Promise<MeterReading> | null = null;
  stopping: Promise<TrackerResult> | null = null;
  lastResult: TrackerResult | null = null;
  reported: Result<ReportStored, ReportFailure> | null = null;
  lastPrediction: TrackerResult | null = null;
  apiKeys: Readonly<Record<string, string>> | null;

  // The run's measurement.
  usedEpochs = false;
  epochBegin: Promise<MeterReading> | null = null;
  /**
   * The latest epoch being closed (`closeEpoch`), kept so that a `stop()` racing an
   * `epochEnd()` waits for that epoch to reach the ledger and the log before it reads them.
   */
  closing: Promise<Ledger> | null = null;
  /** The prediction an `epochEnd()` is making (it may await a forecast), kept for the same reason. */
  predicting: Promise<TrackerResult | null> | null = null;
  epochsCompleted = 0;
  run: { energyJ: Float64Array; seconds: number } = emptyLedger(0);
  /**
   * Per tracked device, the seconds the meter could not count within the run (its epochs, or
   * its span): the meter's own count runs from open, before the run began and between epochs.
   */
  runUncountedS = new Float64Array(0);
  spanBegin: Promise<MeterReading> | null = null;
  /** The run's first reading (span start or first epoch start), for `live()`. */
  firstReading: MeterReading | null = null;
  inferences = 0;
  readonly tasks: TaskResult[] = [];
  tasksDropped = 0;

  /**
   * Validates the options and starts opening the power meter, the logs and the intensity in
   * the background (carbontracker's constructor starts its threads). Never throws: invalid
   * options make every later call fail with an `invalid-options` failure naming the option.
   */
  constructor(options: TrackerOptions) {
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

  /** The paths of the two logs, once open with a `logDir`. */
  logFiles(): { readonly standard: string; readonly output: string } | null {
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
  async need(what: string): Promise<Session | null> {
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
  fail(f: TrackerFailure, context = "", result: TrackerResult | null = null): null {
    if (this.options?.ignoreErrors !== true) throw new TrackerError(f, result);
    this.warn("ignored-error", `Ignored error: ${context}${f.message}`);
    return null;
  }

  // ---------------------------------------------------------------- sampling

  sample(session: Session): Promise<MeterReading> {
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

  // ---------------------------------------------------------------- output

  /** A failed log write: counted, and warned once per distinct failure (the warning, if given). */
  logFailed(error: LogWriterError): TrackerWarning | null {
    const message = this.logFailures.note(error);
    this.counters.logWriteFailures = this.logFailures.failures;
    return message === null ? null : this.warn("logs", message);
  }

  warn(kind: TrackerWarningKind, message: string): TrackerWarning {
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
