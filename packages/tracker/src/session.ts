/**
 * The tracker's session (the power meter, the logs and the intensity feed, once open) and the
 * opening of it, which the tracker's constructor starts in the background. Apart from the
 * tracker because opening runs once and touches little of its state: what it does need goes
 * through `OpeningHost`, as a task's needs go through `TaskHost`.
 */
import { describeThrown } from "@wattprint/core";
import {
  CARBONTRACKER_PUE_CITATION,
  componentsMessage,
  type LogWriter,
  OUTPUT_PREFIX,
  startLogs,
} from "@wattprint/logs";
import { type MeterReading, openPowerMeter, type PowerMeter } from "@wattprint/power";
import { err, failure, ok, type Result } from "@wattprint/result";
import {
  gpusOfThisProcess,
  MAX_TASK_FILES_READ,
  MAX_TRACKED_PIDS,
  meterOptionsFor,
  noDevicesMessage,
  selectDevices,
  type TrackedDevice,
} from "./devices.ts";
import { IntensityFeed } from "./intensity-feed.ts";
import { type RunLocation, runLocation } from "./location.ts";
import type {
  ResolvedTrackerOptions,
  TrackerClock,
  TrackerErrorKind,
  TrackerFailure,
  TrackerWarningKind,
} from "./options.ts";
import { providerForKeys } from "./providers.ts";
import { runPue } from "./pue.ts";

/** Everything that exists once the meter, the logs and the intensity are open. */
export interface Session {
  readonly meter: PowerMeter;
  readonly devices: readonly TrackedDevice[];
  /** Index of each tracked device in the meter's readings. */
  readonly index: readonly number[];
  readonly writer: LogWriter | null;
  readonly feed: IntensityFeed;
  readonly opening: MeterReading;
  /** The reading every timer tick rewrites in place (`sampleInto`): a tick allocates no reading. */
  readonly tickReading: MeterReading;
}

/** The tracker, as its opening sees it. */
export interface OpeningHost {
  readonly clock: TrackerClock;
  /** The keys a live intensity provider is chosen by, when no `intensityProvider` was given. */
  apiKeys(): Readonly<Record<string, string>> | null;
  warn(kind: TrackerWarningKind, message: string): void;
  /** A reader the meter skipped, under its problem key: its problems are not warned again. */
  skipped(key: string): void;
  /** The feed fetched a live intensity value. */
  intensityFetched(gPerKWh: number, address: string): void;
  /** The feed's warning (an `intensity` one is also a failed fetch). */
  intensityWarning(kind: TrackerWarningKind, message: string): void;
  echo(text: string): void;
  /** The session is open: the tracker keeps it from here on. */
  opened(session: Session): void;
  /** Starts the tracker's sampling timer. */
  startTimer(ms: number): void;
  /** Opening failed: the tracker stops its timer and drops the session, if it got them. */
  abandoned(): void;
}

/**
 * What `open` has reached: an exception thrown in it is named by its stage, and whatever it
 * had opened is released (`abandon`) however it failed.
 */
interface Opening {
  stage: keyof typeof OPENING_STAGES;
  feed: IntensityFeed | null;
  meter: PowerMeter | null;
  writer: LogWriter | null;
}

/** Each stage of opening, with the failure kind and the words its exception is reported with. */
const OPENING_STAGES = {
  intensity: { kind: "intensity", what: "carbon intensity" },
  power: { kind: "no-devices", what: "power meter" },
  logs: { kind: "logs", what: "logs" },
  live: { kind: "intensity", what: "live carbon intensity feed" },
} as const satisfies Record<string, { kind: TrackerErrorKind; what: string }>;

/** The PUE line's source for a number given as `pue`, as the log writer words it. */
const USER_PUE_CITATION = "user-supplied";

/**
 * Opens the session. Never rejects: nobody may be awaiting it yet, and an unhandled rejection
 * ends the host.
 */
export async function openSession(
  o: ResolvedTrackerOptions,
  host: OpeningHost,
): Promise<Result<Session, TrackerFailure>> {
  const opening: Opening = { stage: "intensity", feed: null, meter: null, writer: null };
  let opened: Result<Session, TrackerFailure>;
  try {
    opened = await open(o, host, opening);
  } catch (error) {
    // Something threw (a caller's intensity provider or power source, a damaged install's
    // data file): say which part was opening.
    const { kind, what } = OPENING_STAGES[opening.stage];
    opened = err(
      failure(kind, `opening the ${what} failed: ${describeThrown(error)}`, {
        cause: describeThrown(error),
      }),
    );
  }
  if (!opened.ok) await abandon(host, opening);
  return opened;
}

/** Releases what a failed `open` had opened, and drops its session if it got that far. */
async function abandon(host: OpeningHost, opening: Opening): Promise<void> {
  host.abandoned();
  opening.feed?.stop();
  opening.writer?.close();
  await opening.meter?.close().catch(() => undefined);
}

async function open(
  o: ResolvedTrackerOptions,
  host: OpeningHost,
  opening: Opening,
): Promise<Result<Session, TrackerFailure>> {
  const feed = openFeed(o, host);
  if (!feed.ok) return feed;
  opening.feed = feed.value;

  opening.stage = "power";
  const opened = await openPowerMeter(meterOptionsFor(o));
  if (!opened.ok) {
    return err(
      failure("no-devices", `No components were available: ${opened.error.message}`, {
        ...(opened.error.field === undefined ? {} : { field: opened.error.field }),
      }),
    );
  }
  const meter = opened.value;
  opening.meter = meter;
  for (const skip of meter.skipped) host.skipped(`skip:${skip.reader}:${skip.kind}`);
  let gpuAllowed: ReadonlySet<string> | null = null;
  if (o.devicesByPid) {
    const own = await gpusOfThisProcess(meter, process.pid);
    gpuAllowed = own.gpus;
    if (own.cut) {
      host.warn(
        "notice",
        `devicesByPid: this process tree is larger than wattprint follows (${MAX_TRACKED_PIDS} processes, ${MAX_TASK_FILES_READ} thread files); a GPU used only beyond that is not counted`,
      );
    }
  }
  const devices = selectDevices(meter.devices, o.components, gpuAllowed);
  if (devices.length === 0) {
    return err(
      failure("no-devices", noDevicesMessage(o, meter.devices, meter.skipped), {
        field: "components",
      }),
    );
  }
  feed.value.sayOpeningNotice();
  const index = devices.map((d) => meter.devices.indexOf(d.device));

  const pue = runPue(o);
  let writer: LogWriter | null = null;
  opening.stage = "logs";
  if (o.logDir !== null) {
    const started = startLogs({
      logDir: o.logDir,
      prefix: o.logFilePrefix,
      components: logComponents(devices),
      decimalPrecision: o.decimalPrecision,
      interpretable: o.interpretable,
      pue: pue.value,
      // A number the user gave is theirs, also when it is carbontracker's 1.58 (the log
      // writer would otherwise cite the Uptime Institute for it, as the result does not).
      ...(typeof o.pue === "number"
        ? { pueCitation: USER_PUE_CITATION }
        : pue.value === 1.58 && o.pue === undefined
          ? { pueCitation: CARBONTRACKER_PUE_CITATION }
          : {}),
      intensityIntervalS: Math.round(o.intensityRefreshS),
      now: () => host.clock.now(),
    });
    if (!started.ok) {
      const f = failure("logs", started.error.message, {
        field: "logDir",
        ...("cause" in started.error ? { cause: started.error.cause } : {}),
      });
      if (!o.ignoreErrors) return err(f);
      host.warn("ignored-error", `${f.message}; continuing without logs`);
    } else {
      writer = started.value;
      opening.writer = writer;
    }
  }
  opening.stage = "power";
  const session: Session = {
    meter,
    devices,
    index,
    writer,
    feed: feed.value,
    opening: meter.latest(),
    tickReading: meter.createReading(),
  };
  host.opened(session);
  opening.stage = "logs";
  host.echo(`${OUTPUT_PREFIX}${componentsMessage(logComponents(devices))}\n`);
  opening.stage = "live";
  feed.value.start();
  host.startTimer(o.updateInterval * 1000);
  return ok(session);
}

/**
 * The run's intensity. With `intensityGPerKWh` the location only labels the result (the CO2
 * does not depend on it), so one that cannot be used, most often a stray or mistyped
 * `WATTPRINT_LOCATION` in the host's environment, is a warning and the run goes on with the
 * fixed value; without it, it fails the open, naming the option or the variable it came from.
 */
function openFeed(
  o: ResolvedTrackerOptions,
  host: OpeningHost,
): Result<IntensityFeed, TrackerFailure> {
  const located = runLocation(o.location, o.env ?? process.env);
  const open = (where: RunLocation) =>
    IntensityFeed.open({
      location: where.location,
      locationFrom: where.from,
      overrideGPerKWh: o.intensityGPerKWh,
      provider: o.intensityProvider ?? providerForKeys(host.apiKeys()),
      clock: host.clock,
      refreshS: o.intensityRefreshS,
      onFetched: (gPerKWh, address) => host.intensityFetched(gPerKWh, address),
      onWarning: (kind, message) => host.intensityWarning(kind, message),
    });
  const feed = located.ok ? open(located.value) : located;
  if (feed.ok || o.intensityGPerKWh === undefined || feed.error.field === "intensityGPerKWh") {
    return feed;
  }
  host.warn(
    "notice",
    `${feed.error.field ?? "location"}: ${feed.error.message}; the location is not used, and the fixed intensityGPerKWh (${o.intensityGPerKWh} gCO2eq/kWh) is`,
  );
  return open({ location: undefined, from: "none" });
}

/** The logs' components line: GPU first, each with its devices' names. */
function logComponents(devices: readonly TrackedDevice[]): { name: string; devices: string[] }[] {
  const out: { name: string; devices: string[] }[] = [];
  for (const d of devices) {
    let entry = out.find((c) => c.name === d.component);
    if (entry === undefined) {
      entry = { name: d.component, devices: [] };
      out.push(entry);
    }
    entry.devices.push(d.logName);
  }
  return out;
}
