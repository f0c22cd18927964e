import { closeSync, fdatasyncSync, openSync, unlinkSync, writeSync } from "node:fs";
import { join } from "node:path";
import { PUE_PROFILES } from "@wattprint/core/pue";
import {
  type Carbon,
  convertCarbon,
  convertDuration,
  convertEnergy,
  convertPower,
  type Duration,
  dateTimeMs,
  type Energy,
  type Power,
} from "@wattprint/core/units";
import { err, failure, ok, type Result } from "@wattprint/result";
import { outputLogName, runStem, standardLogName } from "../format/file-names.ts";
import {
  averageIntensityRecord,
  type ComponentDevices,
  type ConsumptionFigures,
  componentsRecord,
  consumptionDescription,
  consumptionRecord,
  epochRecord,
  intensitiesRecord,
  intensityFetchedRecord,
  interruptedRecord,
  messageRecord,
  pueRecord,
  versionRecord,
} from "../format/records.ts";
import { fileTimestamp, lineTimestamp } from "../format/timestamps.ts";
import {
  type ActualInput,
  actualInputSchema,
  type EpochInput,
  epochInputSchema,
  type IntensityFetchedInput,
  type InterruptedInput,
  intensityFetchedInputSchema,
  interruptedInputSchema,
  type PredictionInput,
  predictionInputSchema,
} from "./events.ts";
import {
  CARBONTRACKER_FORMAT_VERSION,
  CARBONTRACKER_PUE,
  CARBONTRACKER_PUE_CITATION,
  issueFailure,
  type LogWriterError,
  type LogWriterOptions,
  logWriterOptionsSchema,
  type ResolvedLogWriterOptions,
} from "./options.ts";
import { unwritable, type WrittenFigure } from "./written-limits.ts";

type Written = Result<void, LogWriterError>;
const OK: Written = ok(undefined);

/**
 * The years a line stamp can hold: every line starts `YYYY-MM-DD HH:MM:SS - `, four digits of
 * year, and the parser here (`byte-lines.ts`) reads a record only after that exact prefix. A
 * clock outside them (a valid `Date` in year 20000 or 12) would write lines it skips.
 */
const FIRST_WRITABLE_YEAR = 1000;
const LAST_WRITABLE_YEAR = 9999;

/** What the injected clock gave: a time a log line can hold, or why not. */
type ClockReading =
  | { readonly ok: true; readonly at: Date }
  | { readonly ok: false; readonly why: string; readonly cause?: string };

function shown(error: unknown): string {
  try {
    return error instanceof Error ? error.message : String(error);
  } catch {
    return "a value that cannot be shown as text";
  }
}

/**
 * Calls `now()` once and checks what it gave, never throwing: the writer stamps its lines with
 * a copy of that time, so no code of the caller's runs while a line is formatted.
 */
function readClock(now: () => Date): ClockReading {
  let value: unknown;
  try {
    value = now();
  } catch (error) {
    const cause = shown(error);
    return { ok: false, why: `now() threw (${cause})`, cause };
  }
  const ms = dateTimeMs(value);
  if (ms === undefined) {
    return {
      ok: false,
      why: `now() returned ${value === null ? "null" : typeof value}, not a Date`,
    };
  }
  if (Number.isNaN(ms))
    return { ok: false, why: "now() returned an invalid Date (its time is NaN)" };
  const at = new Date(ms);
  const year = at.getUTCFullYear();
  if (year < FIRST_WRITABLE_YEAR || year > LAST_WRITABLE_YEAR) {
    return {
      ok: false,
      why: `now() returned ${at.toISOString()}, outside the years ${FIRST_WRITABLE_YEAR} to ${LAST_WRITABLE_YEAR} that a log line's YYYY holds`,
    };
  }
  return { ok: true, at };
}

/** The paths of a run's two logs. */
export interface LogFiles {
  readonly stem: string;
  readonly standard: string;
  readonly output: string;
}

function citationFor(options: ResolvedLogWriterOptions): string {
  if (options.pueCitation !== undefined) return options.pueCitation;
  if (options.pue === CARBONTRACKER_PUE) return CARBONTRACKER_PUE_CITATION;
  return PUE_PROFILES.find((p) => p.value === options.pue)?.source.title ?? "user-supplied";
}

/**
 * A logger id for a run's file names, 1 to 999,999 as carbontracker's. It only spreads names:
 * each file is created exclusively (`createExclusive`), so a taken name is an error, never a
 * shared file, and nothing relies on the id being unguessable. `Math.random` rather than
 * `node:crypto`, whose loading costs `wattprint track` about 5 ms at start (issue 13).
 */
function randomLoggerId(): number {
  return 1 + Math.floor(Math.random() * 999_999);
}

function createExclusive(path: string): Result<number, LogWriterError> {
  try {
    // `ax`: append, and fail if the file exists: another run's log is never appended to.
    return ok(openSync(path, "ax"));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "";
    const cause = error instanceof Error ? error.message : String(error);
    return err(
      code === "EEXIST"
        ? failure("exists", `${path} already exists; pick another logger id`, { path, cause })
        : failure("write-failed", `cannot create ${path}: ${cause}`, { path, cause }),
    );
  }
}

/**
 * Opens a run's standard and output logs and writes their opening records (version, PUE,
 * components, "Monitoring thread started."). Each later event appends one record with one
 * `write` and no buffering in the process, so a crash loses at most the record being
 * written; with `fsync: true` each record is also on disk before the call returns.
 */
export function startLogs(options: LogWriterOptions): Result<LogWriter, LogWriterError> {
  const parsed = logWriterOptionsSchema.safeParse(options);
  if (!parsed.success)
    return err(issueFailure("invalid-options", "log writer options", parsed.error));
  const resolved = parsed.data;
  const now = resolved.now ?? (() => new Date());
  const clock = readClock(now);
  if (!clock.ok) {
    return err(
      failure("invalid-options", `log writer options: now: ${clock.why}; no log was created`, {
        field: "now",
      }),
    );
  }
  const started = clock.at;
  const stem = runStem(
    resolved.prefix,
    resolved.pid ?? process.pid,
    resolved.loggerId ?? randomLoggerId(),
    fileTimestamp(started),
  );
  const files: LogFiles = {
    stem,
    standard: join(resolved.logDir, standardLogName(stem)),
    output: join(resolved.logDir, outputLogName(stem)),
  };
  const standardFd = createExclusive(files.standard);
  if (!standardFd.ok) return standardFd;
  const outputFd = createExclusive(files.output);
  if (!outputFd.ok) {
    closeSync(standardFd.value);
    removeQuietly(files.standard);
    return outputFd;
  }
  const writer = new LogWriter(resolved, files, standardFd.value, outputFd.value, now);
  const opened = writer.writeOpening(started);
  if (opened.ok) return ok(writer);
  writer.close();
  // They hold at most part of the opening lines, nothing of a run: left behind, an empty pair
  // was a run every later report skipped as empty (and `--strict` failed on).
  removeQuietly(files.standard);
  removeQuietly(files.output);
  return opened;
}

/** Removes a file this writer created; one that cannot be removed stays (the error said why). */
function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // The failure being returned already names the folder and its problem.
  }
}

export class LogWriter {
  private epochs = 0;
  private clockRefusals = 0;
  private state: "open" | "closed" | LogWriterError = "open";
  private filesReleased = false;
  private readonly components: readonly ComponentDevices[];

  /** Use `startLogs`. */
  constructor(
    private readonly options: ResolvedLogWriterOptions,
    readonly files: LogFiles,
    private readonly standardFd: number,
    private readonly outputFd: number,
    private readonly now: () => Date,
  ) {
    this.components = options.components;
  }

  /** Epochs written so far. */
  get epochCount(): number {
    return this.epochs;
  }

  /**
   * Records refused with `invalid-clock` because `now()` threw or gave a time a line cannot
   * hold (an invalid Date, a year outside 1000 to 9999). Nothing of those records was written.
   */
  get clockFailures(): number {
    return this.clockRefusals;
  }

  /** @internal The start event: called once by `startLogs`. */
  writeOpening(at: Date): Written {
    const ts = lineTimestamp(at);
    const standard =
      versionRecord(ts, CARBONTRACKER_FORMAT_VERSION) +
      pueRecord(ts, this.options.pue, citationFor(this.options)) +
      componentsRecord(ts, this.components, false) +
      messageRecord(ts, "Monitoring thread started.", false);
    const written = this.append(this.standardFd, this.files.standard, standard);
    if (!written.ok) return written;
    return this.append(
      this.outputFd,
      this.files.output,
      componentsRecord(ts, this.components, true),
    );
  }

  /**
   * An epoch ended: `Epoch n:`, its duration, and one power line per component. Several
   * devices of one component are summed; `null` (no sample in this epoch) is written `None`.
   */
  epochEnd(input: EpochInput): Written {
    const parsed = epochInputSchema.safeParse(input);
    if (!parsed.success) return err(issueFailure("invalid-record", "epoch", parsed.error));
    const watts: (readonly [string, number | null])[] = [];
    for (const component of this.components) {
      if (!Object.hasOwn(parsed.data.power, component.name)) {
        return err(
          failure(
            "invalid-record",
            `epoch: no power for component "${component.name}" (null if it had no sample)`,
            {
              field: `power.${component.name}`,
            },
          ),
        );
      }
      const summed = sumWatts(parsed.data.power[component.name] ?? null);
      if (summed !== null) {
        const refused = refuseUnwritable("epoch", `power.${component.name}`, "powerW", summed);
        if (refused !== undefined) return refused;
      }
      watts.push([component.name, summed]);
    }
    const unknown = Object.keys(parsed.data.power).find(
      (name) => !this.components.some((c) => c.name === name),
    );
    if (unknown !== undefined) {
      return err(
        failure(
          "invalid-record",
          `epoch: "${unknown}" is not one of the components given at start`,
          {
            field: `power.${unknown}`,
          },
        ),
      );
    }
    const durationS = seconds(parsed.data.duration);
    const badDuration = refuseUnwritable("epoch", "duration", "durationS", durationS);
    if (badDuration !== undefined) return badDuration;
    const ts = this.stamp("epoch");
    if (!ts.ok) return ts;
    const record = epochRecord(ts.value, this.epochs + 1, durationS, watts);
    const written = this.append(this.standardFd, this.files.standard, record);
    if (written.ok) this.epochs++;
    return written;
  }

  /** A live intensity fetch succeeded. */
  intensityFetched(input: IntensityFetchedInput): Written {
    const parsed = intensityFetchedInputSchema.safeParse(input);
    if (!parsed.success) return err(issueFailure("invalid-record", "intensity", parsed.error));
    const ts = this.stamp("intensity");
    if (!ts.ok) return ts;
    const record = intensityFetchedRecord(
      ts.value,
      parsed.data.intensity.value,
      parsed.data.address,
    );
    return this.append(this.standardFd, this.files.standard, record);
  }

  /** The prediction for `epochs` epochs (all of them, carbontracker's meaning). */
  prediction(input: PredictionInput): Written {
    const parsed = predictionInputSchema.safeParse(input);
    if (!parsed.success) return err(issueFailure("invalid-record", "prediction", parsed.error));
    const { epochs, duration, energy, carbon } = parsed.data;
    const figures = consumptionFigures("prediction", duration, energy, carbon);
    if (!figures.ok) return figures;
    const ts = this.stamp("prediction");
    if (!ts.ok) return ts;
    return this.append(
      this.outputFd,
      this.files.output,
      this.consumption(consumptionDescription("pred", epochs), figures.value, ts.value),
    );
  }

  /** Training stopped before `plannedEpochs` epochs (carbontracker's `stop()`). */
  earlyStop(input: InterruptedInput): Written {
    const parsed = interruptedInputSchema.safeParse(input);
    if (!parsed.success) return err(issueFailure("invalid-record", "early stop", parsed.error));
    const ts = this.stamp("early stop");
    if (!ts.ok) return ts;
    return this.append(
      this.standardFd,
      this.files.standard,
      interruptedRecord(ts.value, parsed.data.plannedEpochs),
    );
  }

  /**
   * The actual consumption: the intensities and their average in the standard log, the
   * average and the record in the output log. `epochs` defaults to the epochs written, so an
   * early stop after a completed epoch is not labelled one short as carbontracker's is;
   * `null` writes `Actual consumption:` (a run without epochs).
   */
  actual(input: ActualInput): Written {
    const parsed = actualInputSchema.safeParse(input);
    if (!parsed.success) return err(issueFailure("invalid-record", "actual", parsed.error));
    const { duration, energy, carbon, averageIntensity, fetched, address } = parsed.data;
    const epochs = parsed.data.epochs === undefined ? this.epochs : parsed.data.epochs;
    const figures = consumptionFigures("actual", duration, energy, carbon);
    if (!figures.ok) return figures;
    const stamped = this.stamp("actual");
    if (!stamped.ok) return stamped;
    const ts = stamped.value;
    let standard = "";
    if (fetched.length > 0) {
      standard += intensitiesRecord(
        ts,
        this.options.intensityIntervalS,
        address,
        fetched.map((i) => i.value),
      );
    }
    standard += averageIntensityRecord(ts, averageIntensity.value, false);
    const written = this.append(this.standardFd, this.files.standard, standard);
    if (!written.ok) return written;
    return this.append(
      this.outputFd,
      this.files.output,
      averageIntensityRecord(ts, averageIntensity.value, true) +
        this.consumption(consumptionDescription("actual", epochs), figures.value, ts),
    );
  }

  /**
   * "Monitoring thread ended." and "Finished monitoring.", then the files are closed. With a
   * failed clock the files are closed without them, and the `invalid-clock` error is returned.
   */
  end(): Written {
    if (this.state !== "open") {
      // After a failed write the files are still open: end() is the last call a caller makes
      // (the tracker's), so it releases them and says why the log stopped.
      const refusal = this.refused();
      this.releaseFiles();
      return refusal;
    }
    const stamped = this.stamp("end");
    if (!stamped.ok) {
      this.close();
      return stamped;
    }
    const ts = stamped.value;
    const standard = this.append(
      this.standardFd,
      this.files.standard,
      messageRecord(ts, "Monitoring thread ended.", false),
    );
    const output = standard.ok
      ? this.append(
          this.outputFd,
          this.files.output,
          messageRecord(ts, "Finished monitoring.", true),
        )
      : standard;
    this.close();
    return output;
  }

  /** Closes both files without the closing records (idempotent). */
  close(): void {
    this.state = "closed";
    this.releaseFiles();
  }

  private releaseFiles(): void {
    if (this.filesReleased) return;
    this.filesReleased = true;
    closeSync(this.standardFd);
    closeSync(this.outputFd);
  }

  private consumption(description: string, figures: ConsumptionFigures, timestamp: string): string {
    return consumptionRecord(
      timestamp,
      description,
      figures,
      this.options.decimalPrecision,
      this.options.interpretable,
    );
  }

  /**
   * The stamp of the record about to be written: the clock's time as `YYYY-MM-DD HH:MM:SS`, or
   * the refusal of the record (counted in `clockFailures`) when the clock failed. A record is
   * never written with a made-up or unreadable time; the next one asks the clock again.
   */
  private stamp(what: string): Result<string, LogWriterError> {
    if (this.state !== "open") return this.refused();
    const clock = readClock(this.now);
    if (clock.ok) return ok(lineTimestamp(clock.at));
    this.clockRefusals++;
    return err(
      failure("invalid-clock", `${what}: not written to ${this.files.stem}: ${clock.why}`, {
        field: "now" as const,
        ...(clock.cause === undefined ? {} : { cause: clock.cause }),
      }),
    );
  }

  private refused(): Err {
    return typeof this.state === "string"
      ? err(failure("closed", `the logs ${this.files.stem} are closed`))
      : err(this.state);
  }

  /** One record, one or more `write`s until every byte is out (a short write is retried). */
  private append(fd: number, path: string, text: string): Written {
    if (this.state !== "open") return this.refused();
    const bytes = Buffer.from(text, "utf8");
    try {
      let offset = 0;
      while (offset < bytes.length) offset += writeSync(fd, bytes, offset);
      if (this.options.fsync) fdatasyncSync(fd);
      return OK;
    } catch (error) {
      const cause = error instanceof Error ? error.message : String(error);
      // A record may be half written: nothing more is appended after it.
      this.state = failure("write-failed", `cannot append to ${path}: ${cause}`, { path, cause });
      return err(this.state);
    }
  }
}

type Err = Extract<Written, { ok: false }>;

// A value already in the unit written is used as it is: a round trip through the
// conversion table (x 3.6e6 / 3.6e6) can move the last bit, and the log would then not read
// back as the number the tracker passed.
const wattsOf = (power: Power): number =>
  power.unit === "W" ? power.value : convertPower(power, "W").value;
const seconds = (duration: Duration): number =>
  duration.unit === "s" ? duration.value : convertDuration(duration, "s").value;

function sumWatts(power: Power | readonly Power[] | null): number | null {
  if (power === null) return null;
  if (!Array.isArray(power)) return wattsOf(power as Power);
  let total = 0;
  for (const p of power as readonly Power[]) total += wattsOf(p);
  return total;
}

/** A consumption record's figures in the units written, or the refusal of the one that cannot be. */
function consumptionFigures(
  what: string,
  duration: Duration,
  energy: Energy,
  carbon: Carbon,
): Result<ConsumptionFigures, LogWriterError> {
  const figures: ConsumptionFigures = {
    durationS: seconds(duration),
    energyKWh: energy.unit === "kWh" ? energy.value : convertEnergy(energy, "kWh").value,
    co2eqG: carbon.unit === "gCO2eq" ? carbon.value : convertCarbon(carbon, "gCO2eq").value,
  };
  const refused =
    refuseUnwritable(what, "duration", "durationS", figures.durationS) ??
    refuseUnwritable(what, "energy", "energyKWh", figures.energyKWh) ??
    refuseUnwritable(what, "carbon", "co2eqG", figures.co2eqG);
  return refused ?? ok(figures);
}

/** `invalid-record` naming the field when `value` cannot be written as `figure`. */
function refuseUnwritable(
  what: string,
  field: string,
  figure: WrittenFigure,
  value: number,
): Err | undefined {
  const why = unwritable(figure, value);
  if (why === undefined) return undefined;
  return err(failure("invalid-record", `${what}: ${field} ${why}; nothing was written`, { field }));
}
