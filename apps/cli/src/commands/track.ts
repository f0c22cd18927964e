// First: zod must be jitless before the packages below build their schemas.
import "./zod-jitless.ts";
import { constants } from "node:os";
import { makeDirectory } from "@wattprint/node/options";
import { powerOptionsFromEnv } from "@wattprint/power";
import { fileErrorSentence } from "@wattprint/result";
import {
  CarbonTracker,
  REPORT_API_KEY_ENV,
  simulatedDeviceOptions,
  type TrackerComponent,
  TrackerError,
  type TrackerFailure,
  type TrackerOptions,
  type TrackerResult,
  trackerResultSchema,
} from "@wattprint/tracker";
import { boundMessage, inCommand, quoted } from "../args.ts";
import { commandFailure } from "../error-output.ts";
import type { CliIo, ForwardedSignal } from "../io.ts";
import { findCommand } from "../process/find-command.ts";
import { type ChildOutcome, type RunningChild, startChild } from "../process/run-child.ts";
import { jsonText } from "../render/json-text.ts";
import { terminalSafe, terminalSafeLines } from "../render/terminal-text.ts";
import {
  CLEAR_LINE,
  type LiveComponent,
  type LiveFigures,
  plainStatus,
  terminalStatus,
  useColour,
} from "../render/track-status.ts";
import { reportLine, trackSummary } from "../render/track-summary.ts";
import { checkResultFileTarget, writeResultFile } from "../result-file.ts";
import { EXIT_OK, EXIT_USAGE } from "../usage-error.ts";
import {
  DEFAULT_PLAIN_STATUS_MS,
  DEFAULT_TERMINAL_STATUS_MS,
  parseTrackArgs,
  type TrackArgs,
} from "./track-args.ts";

export const TRACK_HELP = `usage: wattprint track [options] [--] <command> [args...]

Runs the command with this terminal's stdin, stdout and stderr, measures the energy the
machine draws meanwhile (@wattprint/tracker: RAPL and NVML where readable, else the CPU and
memory model, or simulated devices), prints carbontracker's consumption block on stderr,
writes carbontracker-compatible logs, and exits with the command's own exit code (128+N when
a signal N ended it). SIGINT, SIGTERM and SIGHUP are passed on to the command; the results
are written when it has gone. Our options end at -- or at the first word that is not one of
them: every word after that belongs to the command.

  --log-dir DIR        where the logs go (default ./logs, as carbontracker's CLI)
  --no-logs            write no log files
  --log-prefix P       log file name prefix
  --components LIST    all (default), cpu or gpu; cpu includes memory, as in carbontracker
  --interval D         time between power samples (default 1s; 500ms, 2s, a bare number is s)
  --status-every D     status line period (default 1s on a terminal, 60s otherwise)
  --location L         the grid: ISO code, country, zone id (default WATTPRINT_LOCATION, else World)
  --pue P              data-centre PUE, a number from 1 to 5 or a profile (default 1.58, carbontracker's)
  --intensity G        a fixed grid intensity in gCO2eq/kWh instead of the location's
  --sim-cpu W          a simulated CPU drawing W watts instead of the machine's readers
  --sim-gpu W          a simulated GPU drawing W watts
  --report-to URL      post the result to a wattprint server (POST URL/v1/runs) once the logs
                       are written; retried, and a failure is a warning (the exit code stands)
  --project NAME       the run's project on the server (default: this folder's name)
  --tag T              a tag for the run on the server; repeat for more
  --json               the result (wattprint.tracker/v1) as one JSON line on stdout at the end;
                       it is the last line only when the command's own output ends with a
                       newline (printf abc runs into it): scripts should use --json-file
  --json-file PATH     the result written to PATH, replaced whole (temp file + rename); PATH
                       must be a regular file or a new name in an existing folder
  -q, --quiet          no status line and no consumption block (errors and warnings only)

Exit codes: the command's own; 128+N when signal N ended it; 127 command not found; 126
found but not executable; 2 a mistake in our options; 125 the tracker could not start.
Environment: WATTPRINT_LOCATION, WATTPRINT_API_KEY (the server's key for --report-to), NO_COLOR, and the power readers' (wattprint hardware detect --help).
`;

const COMMAND = "wattprint track";
/** Like env(1) and timeout(1): the wrapper itself failed, the command never ran. */
export const EXIT_TRACKER_FAILED = 125;

/** The tracker's option names as the flags that set them, for its errors. */
const FLAG_OF_OPTION: Readonly<Record<string, string>> = {
  logDir: "--log-dir",
  logFilePrefix: "--log-prefix",
  components: "--components",
  updateInterval: "--interval",
  location: "--location",
  pue: "--pue",
  intensityGPerKWh: "--intensity",
  simCpuTdp: "--sim-cpu",
  simGpuWatts: "--sim-gpu",
  reportTo: "--report-to",
  "reportTo.url": "--report-to",
  "reportTo.project": "--project",
  // Each tag is checked at its index (reportTo.tags.1): looked up by its prefix.
  "reportTo.tags": "--tag",
  // Not a flag, but where the value came from: the reader can find it.
  "env.WATTPRINT_LOCATION": "from WATTPRINT_LOCATION",
};

export async function runTrack(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseTrackArgs(argv);
  if (args.help) {
    io.stdout(TRACK_HELP);
    return EXIT_OK;
  }
  // Checked before anything runs: a bad target found after an hour's run would lose it.
  const jsonFile = args.jsonFile;
  if (jsonFile !== null) inCommand("track", () => checkResultFileTarget("--json-file", jsonFile));
  const [file, ...rest] = args.command as [string, ...string[]];
  const missing = await findCommand(file, io.env, process.cwd());
  if (missing !== null) {
    // The command's name is the caller's text, perhaps a script's: never raw to the terminal.
    commandFailure(io, `command-${missing.kind}`, `${COMMAND}: ${missing.message}`);
    return missing.exitCode;
  }
  if (args.logDir !== null) {
    // carbontracker's CLI writes to ./logs from the first run on: the folder is made here.
    try {
      await makeDirectory(args.logDir);
    } catch (error) {
      commandFailure(
        io,
        "log-dir-unwritable",
        `${COMMAND}: --log-dir ${quoted(args.logDir)} cannot be created: ${fileErrorSentence(error)} (or --no-logs)`,
        { path: args.logDir },
      );
      return EXIT_TRACKER_FAILED;
    }
  }
  // A signal while the tracker opens (the model may take a second or two) stops us before the
  // command starts; from the spawn on, each signal is passed on to the command.
  let child: RunningChild | null = null;
  let early: ForwardedSignal | null = null;
  // Set once the command has ended: a signal then gives up the report (see abortOnSignal).
  let afterChild: ((signal: ForwardedSignal) => void) | null = null;
  const unsubscribe = io.onSignal((signal) => {
    if (afterChild !== null) afterChild(signal);
    else if (child === null) early ??= signal;
    else forward(signal, child.kill, io);
  });
  try {
    const tracker = await openTracker(args, io);
    if (typeof tracker === "number") return tracker;
    if (early !== null) {
      await tracker[Symbol.asyncDispose]();
      // It ends the command: under --json a failure of its own kind, not a diagnostic.
      commandFailure(
        io,
        "interrupted",
        `${COMMAND}: ${early} before the command started; it was not run`,
        {
          signal: early,
        },
      );
      return 128 + (constants.signals[early] ?? 0);
    }
    const startedMs = performance.now();
    child = startChild([file, ...rest], io.env);
    const status = startStatus(args, io, startedMs, tracker);
    let outcome: ChildOutcome;
    try {
      outcome = await child.outcome;
    } finally {
      status.stop();
    }
    const commandS = (performance.now() - startedMs) / 1000;
    // From here the exit status is the command's, even if our own output then fails.
    io.keepExitCode?.(outcome.exitCode, args.json);
    if (outcome.kind === "spawn-failed")
      io.stderr(`${COMMAND}: ${terminalSafe(outcome.message)}\n`);
    const signalled = new Promise<ForwardedSignal>((settle) => {
      afterChild = abortOnSignal(tracker, args.reportTo !== null, settle);
    });
    const stopped = await Promise.race([
      stopTracker(tracker, io).then((result) => ({ result, signal: null })),
      signalled.then((signal) => ({ result: tracker.result(), signal })),
    ]);
    const { result, signal } = stopped;
    if (signal !== null) {
      io.stderr(
        `${COMMAND}: ${signal}: the report to the server was given up; the run's logs are written\n`,
      );
      if (!args.quiet && result !== null) {
        io.stderr(terminalSafeLines(trackSummary(result, outcome, commandS)));
      }
      const code = 128 + (constants.signals[signal] ?? 0);
      io.keepExitCode?.(code, args.json);
      if (result !== null) await printJson(result, args, io);
      io.abandon();
      return code;
    }
    if (result !== null) {
      if (!args.quiet) io.stderr(terminalSafeLines(trackSummary(result, outcome, commandS)));
      // The server's answer is quoted there.
      if (!args.quiet && tracker.report !== null)
        io.stderr(terminalSafeLines(reportLine(tracker.report)));
      await printJson(result, args, io);
    }
    return outcome.exitCode;
  } finally {
    unsubscribe();
  }
}

/**
 * What a signal does once the command has ended. Without --report-to, stopping takes
 * milliseconds and the signal is let go. With it, the report's retries could take ~44 s with
 * every signal ignored: the signal gives up the report (`settle`) as soon as the tracker holds
 * its result, which it sets in the same step as it writes the logs, so they are never cut.
 */
function abortOnSignal(
  tracker: CarbonTracker,
  reporting: boolean,
  settle: (signal: ForwardedSignal) => void,
): (signal: ForwardedSignal) => void {
  return (signal) => {
    if (!reporting) return;
    if (tracker.result() !== null) {
      settle(signal);
      return;
    }
    // Still closing the meter or settling the intensity: checked again shortly.
    const timer = setInterval(() => {
      if (tracker.result() === null) return;
      clearInterval(timer);
      settle(signal);
    }, 20);
    timer.unref();
  };
}

/** The tracker, started; or the exit code when it cannot be (its failure already printed). */
async function openTracker(args: TrackArgs, io: CliIo): Promise<CarbonTracker | number> {
  const created = await CarbonTracker.create(trackerOptions(args, io));
  if (!created.ok) return refuse(created.error, args, io);
  const tracker = created.value;
  try {
    await tracker.start();
    return tracker;
  } catch (error) {
    await tracker[Symbol.asyncDispose]();
    if (error instanceof TrackerError) return refuse(error.failure, args, io);
    throw error;
  }
}

/**
 * The result as one JSON line on stdout (--json) and in a file (--json-file), checked against
 * its schema first. A result that fails the check is our bug, and a file that cannot be
 * written the machine's: either is said on stderr, and the command's exit code still stands,
 * as it does for every failure after the command has run.
 */
async function printJson(result: TrackerResult, args: TrackArgs, io: CliIo): Promise<void> {
  if (!args.json && args.jsonFile === null) return;
  const checked = trackerResultSchema.safeParse(result);
  if (!checked.success) {
    io.stderr(
      `${COMMAND}: internal error, please report it: the result does not match wattprint.tracker/v1: ${checked.error.message}\n`,
    );
    return;
  }
  const line = `${jsonText(checked.data)}\n`;
  if (args.json) io.stdout(line);
  if (args.jsonFile === null) return;
  try {
    await writeResultFile("--json-file", args.jsonFile, line);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    io.stderr(
      `${COMMAND}: ${terminalSafe(boundMessage(`the result was not written to --json-file ${quoted(args.jsonFile)}: ${why}`))}\n`,
    );
  }
}

function trackerOptions(args: TrackArgs, io: CliIo): TrackerOptions {
  return {
    components: args.components,
    logDir: args.logDir,
    logFilePrefix: args.logPrefix,
    verbose: args.quiet ? 0 : 1,
    // The command owns stdout; carbontracker's block goes where `time` puts its report.
    // Its warnings quote a location, a path or a live provider's answer: escaped on the way.
    stdout: (text) => io.stderr(terminalSafeLines(text)),
    // Verbose, the tracker echoes its warnings itself; --quiet still shows them, one line each.
    ...(args.quiet
      ? {
          onWarning: (warning) =>
            io.stderr(`${COMMAND}: warning: ${terminalSafe(warning.message)}\n`),
        }
      : {}),
    env: { ...io.env },
    power: powerOptionsFromEnv(io.env),
    ...(args.intervalS === undefined ? {} : { updateInterval: args.intervalS }),
    ...(args.location === undefined ? {} : { location: args.location }),
    ...(args.pue === undefined ? {} : { pue: args.pue }),
    ...(args.intensityGPerKWh === undefined ? {} : { intensityGPerKWh: args.intensityGPerKWh }),
    ...simulatedDeviceOptions(
      { cpuW: args.simCpuW, gpuW: args.simGpuW },
      { cpu: "simulated CPU", gpu: "simulated GPU" },
    ),
    ...(args.reportTo === null
      ? {}
      : {
          reportTo: {
            ...args.reportTo,
            ...(io.env[REPORT_API_KEY_ENV] ? { apiKey: io.env[REPORT_API_KEY_ENV] } : {}),
          },
        }),
  };
}

/**
 * A tracker that cannot start: a bad option, or a location or intensity the user gave that
 * names no grid (an `intensity` failure with its field), is ours to name (exit 2); anything
 * else exit 125.
 */
function refuse(failure: TrackerFailure, args: TrackArgs, io: CliIo): number {
  const flag = flagOf(failure.field);
  // The tracker names its option path (`invalid tracker option "reportTo.url": ...`); the
  // user typed a flag and a value, so those are said instead, with the tracker's reason.
  const reason = failure.message.replace(/^invalid tracker option "[^"]*": /, "");
  const value = flag === undefined ? undefined : typedValue(flag, failure.field ?? "", args);
  // The other options' messages quote the value themselves: the flag is put after them.
  const text =
    flag === undefined
      ? failure.message
      : value === undefined
        ? `${failure.message} (${flag})`
        : `${flag} ${quoted(value)}: ${reason}`;
  // The tracker's message quotes the option's value whole, and it may be 100 KB typed:
  // commandFailure bounds it.
  commandFailure(io, failure.kind, `${COMMAND}: ${text}`, flag === undefined ? {} : { flag });
  const usersInput =
    failure.kind === "invalid-options" || (failure.kind === "intensity" && flag !== undefined);
  return usersInput ? EXIT_USAGE : EXIT_TRACKER_FAILED;
}

/** The flag that sets a tracker option path, an indexed path by its prefix (reportTo.tags.1). */
function flagOf(field: string | undefined): string | undefined {
  if (field === undefined) return undefined;
  const exact = FLAG_OF_OPTION[field];
  if (exact !== undefined) return exact;
  const parent = field.replace(/\.\d+$/, "");
  return parent === field ? undefined : FLAG_OF_OPTION[parent];
}

/** What the user gave for the refused option, where a flag took it as text. */
function typedValue(flag: string, field: string, args: TrackArgs): string | undefined {
  const index = /\.(\d+)$/.exec(field)?.[1];
  if (flag === "--tag" && index !== undefined) return args.reportTo?.tags[Number(index)];
  if (flag === "--report-to") return args.reportTo?.url;
  if (flag === "--project") return args.reportTo?.project;
  return undefined;
}

/**
 * Passes a signal on to the command. A Ctrl-C typed at a terminal has already reached the
 * command (it shares our process group), and a second SIGINT would cut short its own clean-up
 * (Python's KeyboardInterrupt handlers, for one), so SIGINT is passed on only when stdin is
 * not a terminal, i.e. when it was sent to us alone (`kill -INT`, a supervisor, CI).
 */
function forward(
  signal: ForwardedSignal,
  kill: (signal: NodeJS.Signals) => boolean,
  io: CliIo,
): void {
  if (signal === "SIGINT" && io.stdinIsTerminal) return;
  kill(signal);
}

/** Each metered component once, with the basis of its devices (`mixed` when they differ). */
function componentBases(
  tracker: CarbonTracker,
): (LiveComponent & { readonly component: TrackerComponent })[] {
  const out: (LiveComponent & { readonly component: TrackerComponent })[] = [];
  for (const { component, device } of tracker.devices) {
    const seen = out.findIndex((c) => c.component === component);
    const known = out[seen];
    if (known === undefined) out.push({ component, basis: device.basis, powerW: null });
    else if (known.basis !== device.basis) out[seen] = { ...known, basis: "mixed" };
  }
  return out;
}

/** Stops measuring; a failure there is reported, and the command's exit code still stands. */
async function stopTracker(tracker: CarbonTracker, io: CliIo): Promise<TrackerResult | null> {
  try {
    return await tracker.stop();
  } catch (error) {
    if (!(error instanceof TrackerError)) throw error;
    io.stderr(`${COMMAND}: the results could not be completed: ${terminalSafe(error.message)}\n`);
    return null;
  } finally {
    await tracker[Symbol.asyncDispose]();
  }
}

/**
 * The live status on stderr: redrawn in place on a terminal, a plain line each period
 * elsewhere, nothing with --quiet.
 */
function startStatus(
  args: TrackArgs,
  io: CliIo,
  startMs: number,
  tracker: CarbonTracker,
): { stop: () => void } {
  const components = componentBases(tracker);
  if (args.quiet) return { stop: () => {} };
  const terminal = io.stderrTerminal;
  const colour = { colour: useColour(io.env, terminal !== null) };
  const periodMs =
    args.statusEveryMs ?? (terminal ? DEFAULT_TERMINAL_STATUS_MS : DEFAULT_PLAIN_STATUS_MS);
  const figures = (): LiveFigures => {
    const live = tracker.live();
    return {
      elapsedS: (performance.now() - startMs) / 1000,
      components: components.map((c) => ({ ...c, powerW: live?.powerW[c.component] ?? null })),
      energyKWh: live?.totalKWh ?? null,
      co2G: live?.co2G ?? null,
    };
  };
  const timer = setInterval(() => {
    io.stderr(
      terminal === null
        ? plainStatus(figures())
        : terminalStatus(figures(), colour, terminal.columns),
    );
  }, periodMs);
  // The child keeps the process alive; the status must not.
  timer.unref();
  return {
    stop: () => {
      clearInterval(timer);
      if (terminal !== null) io.stderr(CLEAR_LINE);
    },
  };
}
