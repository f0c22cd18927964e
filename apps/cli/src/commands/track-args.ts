import { basename } from "node:path";
import {
  parseCommandArgs,
  parseIntervalFlag,
  parseNumberFlag,
  quoted,
  stripUnit,
} from "../args.ts";
import { UsageError } from "../usage-error.ts";

const COMMAND = "track";

/** carbontracker's CLI writes its logs to ./logs unless told otherwise; so do we. */
export const DEFAULT_LOG_DIR = "logs";
/** The status line is redrawn every second on a terminal, and written once a minute elsewhere. */
export const DEFAULT_TERMINAL_STATUS_MS = 1000;
export const DEFAULT_PLAIN_STATUS_MS = 60_000;

const SAMPLE_INTERVAL = { minMs: 10, maxMs: 3_600_000, words: "10ms and 1h" };
const STATUS_INTERVAL = { minMs: 100, maxMs: 86_400_000, words: "100ms and 24h" };
const COMPONENTS = ["all", "cpu", "gpu", "gpu,cpu", "cpu,gpu"];

export const TRACK_OPTIONS = {
  "log-dir": { type: "string" },
  "no-logs": { type: "boolean" },
  "log-prefix": { type: "string" },
  components: { type: "string" },
  interval: { type: "string" },
  "status-every": { type: "string" },
  location: { type: "string" },
  pue: { type: "string" },
  intensity: { type: "string" },
  "sim-cpu": { type: "string" },
  "sim-gpu": { type: "string" },
  "report-to": { type: "string" },
  project: { type: "string" },
  tag: { type: "string", multiple: true },
  json: { type: "boolean" },
  "json-file": { type: "string" },
  quiet: { type: "boolean", short: "q" },
  help: { type: "boolean", short: "h" },
} as const;

export interface TrackArgs {
  readonly help: boolean;
  /** The command and its own arguments, untouched. */
  readonly command: readonly string[];
  /** Null with --no-logs. */
  readonly logDir: string | null;
  readonly logPrefix: string;
  readonly components: string;
  readonly intervalS: number | undefined;
  /** Undefined: the default for the kind of stderr (terminal or not). */
  readonly statusEveryMs: number | undefined;
  readonly location: string | undefined;
  /** A number, or a PUE profile id for the tracker to check. */
  readonly pue: number | string | undefined;
  readonly intensityGPerKWh: number | undefined;
  readonly simCpuW: number | undefined;
  readonly simGpuW: number | undefined;
  /** `--report-to`: the server, its project and tags; null when the run stays local. */
  readonly reportTo: {
    readonly url: string;
    readonly project: string;
    readonly tags: string[];
  } | null;
  readonly json: boolean;
  /** `--json-file PATH`: the result written there; null when not asked for. */
  readonly jsonFile: string | null;
  readonly quiet: boolean;
}

/**
 * Splits `wattprint track [options] [--] command [args...]`: our options end at `--` or at the
 * first word that is not an option (as `env`, `nice` and `timeout` read theirs), and every
 * word after that belongs to the command, flags included.
 */
export function splitCommand(argv: readonly string[]): {
  options: readonly string[];
  command: readonly string[];
} {
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i] as string;
    if (token === "--") return { options: argv.slice(0, i), command: argv.slice(i + 1) };
    if (!token.startsWith("-") || token === "-") {
      return { options: argv.slice(0, i), command: argv.slice(i) };
    }
    // A string option given as `--flag value` takes the next word with it.
    const name = token.startsWith("--") ? token.slice(2) : undefined;
    const spec = name === undefined ? undefined : TRACK_OPTIONS[name as keyof typeof TRACK_OPTIONS];
    if (spec?.type === "string") i++;
  }
  return { options: argv, command: [] };
}

export function parseTrackArgs(argv: readonly string[]): TrackArgs {
  const split = splitCommand(argv);
  const { values } = parseCommandArgs(COMMAND, split.options, TRACK_OPTIONS);
  const help = values.help === true;
  if (!help && split.command.length === 0) {
    throw new UsageError(
      `${COMMAND}: no command to run; usage: wattprint track [options] -- <command> [args...]`,
    );
  }
  if (values["no-logs"] === true && values["log-dir"] !== undefined) {
    throw new UsageError(`${COMMAND}: --no-logs and --log-dir contradict each other`);
  }
  if (values["no-logs"] === true && values["log-prefix"] !== undefined) {
    throw new UsageError(`${COMMAND}: --log-prefix needs logs; it makes no sense with --no-logs`);
  }
  const tags = values.tag ?? [];
  if (values["report-to"] === undefined && (values.project !== undefined || tags.length > 0)) {
    throw new UsageError(
      `${COMMAND}: --project and --tag describe the run for --report-to; give --report-to URL too`,
    );
  }
  const components = (values.components ?? "all").trim().toLowerCase().replace(/\s+/g, "");
  if (!COMPONENTS.includes(components)) {
    throw new UsageError(
      `${COMMAND}: --components takes all, cpu, gpu or gpu,cpu; got ${quoted(values.components ?? "")}`,
    );
  }
  return {
    help,
    command: split.command,
    logDir: values["no-logs"] === true ? null : (values["log-dir"] ?? DEFAULT_LOG_DIR),
    logPrefix: values["log-prefix"] ?? "",
    components,
    intervalS:
      values.interval === undefined
        ? undefined
        : parseIntervalFlag(COMMAND, "interval", values.interval, SAMPLE_INTERVAL) / 1000,
    statusEveryMs:
      values["status-every"] === undefined
        ? undefined
        : parseIntervalFlag(COMMAND, "status-every", values["status-every"], STATUS_INTERVAL),
    location: values.location,
    pue: parsePue(values.pue),
    intensityGPerKWh: parseNumberFlag(COMMAND, "intensity", values.intensity, {
      min: 0,
      unit: "gCO2eq/kWh",
    }),
    simCpuW: parseWattsFlag("sim-cpu", values["sim-cpu"]),
    simGpuW: parseWattsFlag("sim-gpu", values["sim-gpu"]),
    reportTo:
      values["report-to"] === undefined
        ? null
        : {
            url: values["report-to"],
            // The folder's name, as a project is usually the repository it runs in.
            project: values.project ?? (basename(process.cwd()) || "default"),
            tags,
          },
    json: values.json === true,
    jsonFile: values["json-file"] ?? null,
    quiet: values.quiet === true,
  };
}

/** A number is a PUE (1 to 5, the tracker's range); any other word a profile id the tracker checks. */
function parsePue(raw: string | undefined): number | string | undefined {
  if (raw === undefined) return undefined;
  if (!/^[\d.]/.test(raw.trim())) return raw.trim();
  return parseNumberFlag(COMMAND, "pue", raw, { min: 1, max: 5 });
}

/** `--sim-cpu 10` or `--sim-cpu 10W`: a simulated device drawing that many watts. */
function parseWattsFlag(flag: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  return parseNumberFlag(COMMAND, flag, stripUnit(raw, "W"), {
    min: 0,
    max: 100_000,
    unit: "watts",
  });
}
