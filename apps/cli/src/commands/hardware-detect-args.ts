import { type ComponentRequest, cpuNameProblem } from "@wattprint/power";
import { parseCommandArgs, parseIntervalFlag, parseNumberFlag, quoted } from "../args.ts";
import { UsageError } from "../usage-error.ts";

const COMMAND = "hardware detect";
export const DEFAULT_WATCH_INTERVAL_MS = 1000;
const WATCH_INTERVAL = { minMs: 100, maxMs: 3_600_000, words: "100ms and 1h" };
const COMPONENT_NAMES: readonly ComponentRequest[] = [
  "all",
  "cpu",
  "dram",
  "gpu",
  "psys",
  "machine",
];

export interface DetectArgs {
  readonly help: boolean;
  readonly json: boolean;
  readonly components: readonly ComponentRequest[];
  readonly devices: readonly string[];
  readonly fallback: "model" | "none";
  readonly cpuName: string | undefined;
  /** Set when `--watch` was given. */
  readonly watchIntervalMs: number | undefined;
  readonly count: number | undefined;
}

/**
 * `--watch` takes an optional interval (`--watch`, `--watch 2s`, `--watch=500ms`, `--watch 2`
 * for seconds), which node:util's parseArgs cannot express; it is taken out first.
 */
export function parseDetectArgs(argv: readonly string[]): DetectArgs {
  const rest: string[] = [];
  let watch: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i] as string;
    // Taken out before the shared parser, which refuses a repeated flag: refused here alike.
    if ((token === "--watch" || token.startsWith("--watch=")) && watch !== undefined) {
      throw new UsageError(`${COMMAND}: --watch was given more than once; give it once`);
    }
    if (token === "--watch") {
      const next = argv[i + 1];
      watch = next !== undefined && !next.startsWith("-") ? next : "";
      if (watch !== "") i++;
    } else if (token.startsWith("--watch=")) {
      watch = token.slice("--watch=".length);
      if (watch === "")
        throw new UsageError(`${COMMAND}: --watch= needs an interval, e.g. --watch=2s`);
    } else {
      rest.push(token);
    }
  }
  const { values, positionals } = parseCommandArgs(COMMAND, rest, {
    json: { type: "boolean" },
    help: { type: "boolean", short: "h" },
    components: { type: "string" },
    device: { type: "string", multiple: true },
    "no-model": { type: "boolean" },
    cpu: { type: "string" },
    count: { type: "string" },
  });
  if (positionals.length > 0) {
    throw new UsageError(
      `${COMMAND}: unexpected argument ${quoted(positionals[0] ?? "")} (see wattprint hardware detect --help)`,
    );
  }
  const count = parseNumberFlag(COMMAND, "count", values.count, { min: 1, integer: true });
  if (count !== undefined && watch === undefined) {
    throw new UsageError(`${COMMAND}: --count only makes sense with --watch`);
  }
  return {
    help: values.help === true,
    json: values.json === true,
    components: parseComponents(values.components),
    devices: values.device ?? [],
    fallback: values["no-model"] === true ? "none" : "model",
    cpuName: values.cpu === undefined ? undefined : checkCpuName(values.cpu),
    watchIntervalMs: watch === undefined ? undefined : parseInterval(watch),
    count,
  };
}

/**
 * `--cpu NAME`, checked before anything is read: an unknown name was modelled as the median
 * of every CPU of the table, with exit 0, as if the user had named it. Refused as
 * `estimate --hardware` refuses one, through the same lookup and its suggestions. A vague
 * name the table's CPU rows match ("AMD EPYC", "Intel Xeon") is kept: the model takes the
 * median of those rows and says so (low confidence).
 */
function checkCpuName(name: string): string {
  const problem = cpuNameProblem(name);
  if (problem === undefined) return name;
  throw new UsageError(`${COMMAND}: ${problem} (--cpu)`);
}

function parseComponents(raw: string | undefined): readonly ComponentRequest[] {
  if (raw === undefined) return ["all"];
  const names = raw.split(",").map((name) => name.trim().toLowerCase());
  for (const name of names) {
    if (!(COMPONENT_NAMES as readonly string[]).includes(name)) {
      throw new UsageError(
        `${COMMAND}: --components takes ${COMPONENT_NAMES.join(", ")}; got ${quoted(name)}`,
      );
    }
  }
  return names as ComponentRequest[];
}

function parseInterval(raw: string): number {
  if (raw === "") return DEFAULT_WATCH_INTERVAL_MS;
  return parseIntervalFlag(COMMAND, "watch", raw, WATCH_INTERVAL);
}
