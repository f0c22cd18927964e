import { type LatencyUnit, resolvePue } from "@wattprint/core";
import { DEFAULT_MAX_MODELS } from "@wattprint/measure";
import { DOMAIN_ID_ENV } from "@wattprint/messages";
import {
  allowedPeersProblem,
  type CarbonNodeSettings,
  CONFIGURATION_POLICIES,
  type ConfigurationPolicy,
  DEFAULT_MAX_SAMPLE_BYTES,
  DEFAULT_MEASURE_SECONDS,
  defaultCarbonNodeSettings,
  type Env,
  INTERFACE_ENV,
  isLogLevel,
  type LogLevel,
  MAX_DOMAIN_ID,
  MAX_GRID_CI,
  MAX_MEASURE_SECONDS,
  NODE_COMMAND_POLICIES,
  type NodeCommandPolicy,
  type NumberRule,
  optionText,
  parseBusOptions,
  parseFlags,
  parseNumberOption,
  type RtpsPeerLimits,
  TASK_MODES,
  type TaskMode,
  UsageError,
} from "@wattprint/node";

export const HELP = `usage: wattprint-node [options]

Runs the SustainML Carbontracker Node (participant CARBON_FOOTPRINT_NODE) on a DDS domain.

  --domain N            DDS domain id 0..${MAX_DOMAIN_ID} (env ${DOMAIN_ID_ENV}; default 0)
  --interface ADDR      IPv4 address of the network interface to use (env ${INTERFACE_ENV};
                        default 127.0.0.1, which keeps all traffic on this machine)
  --latency-unit U      unit of HWResource.latency: h (SustainML main, default), s, or ms (v0.1/v0.2)
  --pue P               PUE applied to energy: a number >= 1 or a profile (default local = 1,
                        as the reference node applies none)
  --grid-ci G           gCO2eq/kWh for every task, at most ${MAX_GRID_CI} (env SUSTAINML_GRID_CI;
                        0 or unset: by region)
  --mode M              which path a task takes (env WATTPRINT_MODE): auto (default: SustainML's
                        routing, a model in the models folder is measured), measure (measure
                        whatever is runnable) or estimate (never run a model)
  --models-dir DIR      the models folder: model name -> DIR/<name>.onnx, or DIR/models.json
                        (env WATTPRINT_MODELS_DIR; see the README)
  --measure-seconds S   measurement window of the measured path (env CT_TARGET_SECONDS, as
                        SustainML's; default 1, at most ${MAX_MEASURE_SECONDS})
  --model-path-root DIR run a task's model_path only when it resolves inside DIR (env
                        WATTPRINT_MODEL_PATH_ROOT; default: any readable .onnx, as SustainML's
                        node; set it on a shared network)
  --max-models N        models kept loaded for measuring (default ${DEFAULT_MAX_MODELS})
  --max-runner-mib N    memory the model runner may reach before it is killed and the
                        task answers on the estimate path (default half the host's memory;
                        at least 256: an idle runner holds about 100 MiB)
  --sim-cpu-watts W     measure on a simulated CPU drawing W watts instead of this host's readers
  --sim-gpu-watts W     and/or a simulated GPU (carbontracker's sim_cpu / sim_gpu)
  --max-pending N       pending inputs kept per input topic (default 50)
  --max-pending-age S   seconds an input waits for the rest of its task (default 600)
  --warm-up-tasks N     synthetic tasks run in-process before joining the bus, so the first
                        real tasks run compiled (env WATTPRINT_WARM_UP_TASKS; default 3000,
                        about a second; 0 skips it)
  --log-level L         debug, info, warn or error (env WATTPRINT_LOG_LEVEL; default info)
  --allow-peers LIST    accept only these IPv4 addresses and CIDR networks, comma-separated
                        (e.g. 127.0.0.1,10.0.0.0/8; default: any address)
  --max-peers N         remote participants kept at once (default 128)
  --max-peer-endpoints N
                        endpoints kept per remote participant (default 512)
  --max-peer-lease S    longest lease honoured from a peer, in seconds (default 100)
  --max-sample-size B   largest sample taken from a peer, in bytes (default ${DEFAULT_MAX_SAMPLE_BYTES});
                        a larger one is dropped and counted (sample-too-large)
  --node-commands P     accept (default) or ignore NodeControl commands from the bus, task
                        commands included (env WATTPRINT_NODE_COMMANDS)
  --configuration P     accept (default) or ignore configuration requests from the bus; ignored
                        ones are answered with a refusal (env WATTPRINT_CONFIGURATION)
  --help                this text
  --version             the version of wattprint-node
`;

export interface NodeAppOptions {
  readonly domainId: number;
  readonly interfaceAddress: string;
  /** Where the address came from ("--interface", the variable or "default"), for errors. */
  readonly interfaceFrom: string;
  readonly settings: CarbonNodeSettings;
  readonly maxPendingPerInput: number;
  readonly maxPendingAgeMs: number;
  /** Whether node commands from the bus are acted on (any peer can send TERMINATE_NODE). */
  readonly nodeCommands: NodeCommandPolicy;
  /** Whether configuration requests from the bus are acted on (any peer can send one). */
  readonly configuration: ConfigurationPolicy;
  readonly logLevel: LogLevel;
  /** Synthetic tasks before the node joins the bus (0: none). */
  readonly warmUpTasks: number;
  /** Notes for the startup log. */
  readonly notes: readonly string[];
  /** Limits on remote peers for the RTPS participant; omitted ones take its defaults. */
  readonly peerLimits: RtpsPeerLimits;
  /** The measured path's wiring; undefined when no task can be measured (no folder, not measure mode). */
  readonly measure: MeasureAppOptions | undefined;
}

export interface MeasureAppOptions {
  readonly modelsDir?: string;
  /** Only a `model_path` inside this folder is run (see ModelMeasurer's modelPathRoot). */
  readonly modelPathRoot?: string;
  /** Where each folder was given (`--models-dir` or `WATTPRINT_MODELS_DIR`), for its errors. */
  readonly modelsDirFrom?: string;
  readonly modelPathRootFrom?: string;
  readonly maxModels: number;
  /** The runner's memory ceiling (ModelRunner's maxRssBytes); its default when undefined. */
  readonly maxRunnerBytes?: number;
  readonly simCpuWatts?: number;
  readonly simGpuWatts?: number;
}

/**
 * Enough synthetic tasks for V8 to optimise the task path (the bench's tail stopped
 * improving past about 2,000 real tasks); about a second at startup.
 */
const DEFAULT_WARM_UP_TASKS = 3000;

/** A number from its flag or else its variable, undefined when neither is set; see optionText's rule. */
function optionalNumber(
  flag: string,
  flagText: string | undefined,
  env: Env,
  variable: string | undefined,
  rule: NumberRule,
): number | undefined {
  const option = optionText(flag, flagText, env, variable);
  return option === undefined ? undefined : parseNumberOption(option, rule);
}

/** The same, with `fallback` when neither is set. */
function numberOr(
  fallback: number,
  flag: string,
  flagText: string | undefined,
  env: Env,
  variable: string | undefined,
  rule: NumberRule,
): number {
  return optionalNumber(flag, flagText, env, variable, rule) ?? fallback;
}

/**
 * One of `allowed` from its flag or else its variable, `fallback` when neither is set. The
 * error names where the value came from (the flag, or the variable the user set) and lists
 * the choices as `words` says them.
 */
function choiceOr<T extends string>(
  fallback: T,
  allowed: readonly T[],
  words: string,
  flag: string,
  flagText: string | undefined,
  env: Env,
  variable: string,
): T {
  const given = optionText(flag, flagText, env, variable);
  if (given === undefined) return fallback;
  const choice = allowed.find((value) => value === given.text);
  if (choice === undefined) {
    throw new UsageError(`${given.name} expects ${words}, got "${given.text}"`);
  }
  return choice;
}

/** Flags win over environment variables; every value is checked before the node starts. */
export function parseNodeOptions(
  argv: readonly string[],
  env: Env,
): NodeAppOptions | "help" | "version" {
  const { values, positionals } = parseFlags(argv, FLAGS);
  if (values.help) return "help";
  if (values.version) return "version";
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const notes: string[] = [];

  // Domain and interface follow the rule `wattprint bus` follows (@wattprint/node's bus
  // options): a bad SUSTAINML_DOMAIN_ID is an error naming it, not SustainML's silent 0.
  const bus = parseBusOptions(values, env);

  const defaults = defaultCarbonNodeSettings();
  const unit = values["latency-unit"] ?? "h";
  if (unit !== "h" && unit !== "s" && unit !== "ms") {
    throw new UsageError(`--latency-unit expects h, s or ms, got "${unit}"`);
  }
  let pue = defaults.pue;
  if (values.pue !== undefined) {
    const resolved = resolvePue(values.pue);
    if (!resolved.ok) throw new UsageError(`--pue: ${resolved.error.message}`);
    pue = resolved.value;
  }
  const grid = numberOr(0, "grid-ci", values["grid-ci"], env, "SUSTAINML_GRID_CI", {
    min: 0,
    max: MAX_GRID_CI,
    unit: "gCO2eq/kWh",
  });

  const level = optionText("log-level", values["log-level"], env, "WATTPRINT_LOG_LEVEL") ?? {
    name: "--log-level",
    text: "info",
  };
  if (!isLogLevel(level.text))
    throw new UsageError(`${level.name} expects debug, info, warn or error, got "${level.text}"`);
  const logLevel = level.text;

  const warmUpTasks = numberOr(
    DEFAULT_WARM_UP_TASKS,
    "warm-up-tasks",
    values["warm-up-tasks"],
    env,
    "WATTPRINT_WARM_UP_TASKS",
    { integer: true, min: 0, max: 1_000_000 },
  );

  const nodeCommands = choiceOr(
    "accept",
    NODE_COMMAND_POLICIES,
    NODE_COMMAND_POLICIES.join(" or "),
    "node-commands",
    values["node-commands"],
    env,
    "WATTPRINT_NODE_COMMANDS",
  );
  const configuration = choiceOr(
    "accept",
    CONFIGURATION_POLICIES,
    CONFIGURATION_POLICIES.join(" or "),
    "configuration",
    values.configuration,
    env,
    "WATTPRINT_CONFIGURATION",
  );
  const mode = choiceOr(
    "auto",
    TASK_MODES,
    TASK_MODES.join(", "),
    "mode",
    values.mode,
    env,
    "WATTPRINT_MODE",
  );
  const measureSeconds = numberOr(
    DEFAULT_MEASURE_SECONDS,
    "measure-seconds",
    values["measure-seconds"],
    env,
    "CT_TARGET_SECONDS",
    { above: 0, max: MAX_MEASURE_SECONDS, unit: "seconds" },
  );

  return {
    domainId: bus.domainId,
    interfaceAddress: bus.interfaceAddress,
    interfaceFrom: bus.interfaceFrom,
    settings: {
      latencyUnit: unit satisfies LatencyUnit,
      pue,
      // As in the Python node, 0 means "not set": intensity then comes from the user's region.
      ...(grid > 0 ? { gridIntensityOverride: grid } : {}),
      mode,
      measureSeconds,
    },
    maxPendingPerInput: numberOr(50, "max-pending", values["max-pending"], env, undefined, {
      integer: true,
      min: 1,
      max: 100_000,
    }),
    maxPendingAgeMs:
      // At least a second: a shorter age expires an input before its task's other inputs,
      // published together, can arrive, and every task is then dropped as expired.
      numberOr(600, "max-pending-age", values["max-pending-age"], env, undefined, {
        min: 1,
        max: 604_800,
        unit: "seconds",
      }) * 1000,
    nodeCommands,
    configuration,
    logLevel,
    warmUpTasks,
    notes,
    peerLimits: peerLimits(values, env),
    measure: measureOptions(values, env, mode),
  };
}

/** A measurer is wired when there is a models folder, or in measure mode (model_path files). */
function measureOptions(
  values: Readonly<Partial<Record<MeasureFlag, string>>>,
  env: Env,
  mode: TaskMode,
): MeasureAppOptions | undefined {
  const dir = optionText("models-dir", values["models-dir"], env, "WATTPRINT_MODELS_DIR");
  const pathRoot = optionText(
    "model-path-root",
    values["model-path-root"],
    env,
    "WATTPRINT_MODEL_PATH_ROOT",
  );
  const watts = (flag: "sim-cpu-watts" | "sim-gpu-watts") =>
    optionalNumber(flag, values[flag], env, undefined, { min: 0, max: 100_000, unit: "W" });
  const simCpuWatts = watts("sim-cpu-watts");
  const simGpuWatts = watts("sim-gpu-watts");
  const maxModels = numberOr(
    DEFAULT_MAX_MODELS,
    "max-models",
    values["max-models"],
    env,
    undefined,
    {
      integer: true,
      min: 1,
      max: 64,
    },
  );
  const maxRunnerMiB = optionalNumber("max-runner-mib", values["max-runner-mib"], env, undefined, {
    integer: true,
    // An idle runner holds onnxruntime and Node: about 85 to 100 MiB here. Below this, every
    // measurement was killed and blamed on the model.
    min: 256,
    max: 1_048_576,
    unit: "MiB",
  });
  if (pathRoot !== undefined && dir !== undefined && mode === "auto") {
    // In auto mode a model_path is never run (only the models folder is), and no request may
    // raise the mode to measure: the root would be taken and then ignored.
    throw new UsageError(
      `${pathRoot.name}: only with --mode measure (in auto mode a model_path is never run; only --models-dir's models are)`,
    );
  }
  if (dir === undefined && mode !== "measure") {
    // Without a measurer no model runs, so these would be taken and then dropped in silence.
    const unused = [
      simCpuWatts !== undefined || simGpuWatts !== undefined
        ? "--sim-cpu-watts and --sim-gpu-watts"
        : undefined,
      pathRoot?.name,
      values["max-models"] !== undefined ? "--max-models" : undefined,
      maxRunnerMiB !== undefined ? "--max-runner-mib" : undefined,
    ].filter((name) => name !== undefined);
    if (unused.length > 0) {
      throw new UsageError(
        `${unused.join(", ")}: only with --models-dir or --mode measure (without either, the node runs no model)`,
      );
    }
    return undefined;
  }
  return {
    ...(dir !== undefined ? { modelsDir: dir.text, modelsDirFrom: dir.name } : {}),
    ...(pathRoot !== undefined
      ? { modelPathRoot: pathRoot.text, modelPathRootFrom: pathRoot.name }
      : {}),
    maxModels,
    ...(maxRunnerMiB !== undefined ? { maxRunnerBytes: maxRunnerMiB * 1024 * 1024 } : {}),
    ...(simCpuWatts !== undefined ? { simCpuWatts } : {}),
    ...(simGpuWatts !== undefined ? { simGpuWatts } : {}),
  };
}

type MeasureFlag =
  | "models-dir"
  | "model-path-root"
  | "sim-cpu-watts"
  | "sim-gpu-watts"
  | "max-models"
  | "max-runner-mib";

/** The participant's hostile-input limits (rtps README, "Hostile input"); flags only. */
function peerLimits(values: Readonly<Partial<Record<PeerFlag, string>>>, env: Env): RtpsPeerLimits {
  const number = (flag: PeerFlag, rule: NumberRule): number | undefined =>
    optionalNumber(flag, values[flag], env, undefined, rule);
  const allow = optionText("allow-peers", values["allow-peers"], env, undefined);
  const allowedPeers = allow?.text
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "");
  const problem = allowedPeers && allowedPeersProblem(allowedPeers);
  if (problem) throw new UsageError(`--allow-peers: ${problem}`);
  const count: NumberRule = { integer: true, min: 1, max: 1_000_000 };
  const maxRemoteParticipants = number("max-peers", count);
  const maxEndpointsPerParticipant = number("max-peer-endpoints", count);
  // At least a second: a shorter cap would drop a peer between its announcements.
  const leaseS = number("max-peer-lease", { min: 1, max: 86_400, unit: "seconds" });
  // 1 KiB fits every SustainML message's fixed part; 64 MiB is the participant's own ceiling.
  const maxSampleSize = number("max-sample-size", {
    integer: true,
    min: 1024,
    max: 64 * 1024 * 1024,
  });
  return {
    ...(allowedPeers ? { allowedPeers } : {}),
    ...(maxRemoteParticipants === undefined ? {} : { maxRemoteParticipants }),
    ...(maxEndpointsPerParticipant === undefined ? {} : { maxEndpointsPerParticipant }),
    ...(leaseS === undefined ? {} : { maxRemoteLeaseMs: leaseS * 1000 }),
    ...(maxSampleSize === undefined ? {} : { maxSampleSize }),
  };
}

type PeerFlag =
  | "allow-peers"
  | "max-peers"
  | "max-peer-endpoints"
  | "max-peer-lease"
  | "max-sample-size";

const FLAGS = {
  domain: { type: "string" },
  interface: { type: "string" },
  "latency-unit": { type: "string" },
  pue: { type: "string" },
  "grid-ci": { type: "string" },
  mode: { type: "string" },
  "node-commands": { type: "string" },
  configuration: { type: "string" },
  "models-dir": { type: "string" },
  "model-path-root": { type: "string" },
  "measure-seconds": { type: "string" },
  "max-models": { type: "string" },
  "max-runner-mib": { type: "string" },
  "sim-cpu-watts": { type: "string" },
  "sim-gpu-watts": { type: "string" },
  "max-pending": { type: "string" },
  "max-pending-age": { type: "string" },
  "log-level": { type: "string" },
  "warm-up-tasks": { type: "string" },
  "allow-peers": { type: "string" },
  "max-peers": { type: "string" },
  "max-peer-endpoints": { type: "string" },
  "max-peer-lease": { type: "string" },
  "max-sample-size": { type: "string" },
  help: { type: "boolean", short: "h" },
  version: { type: "boolean", short: "V" },
} as const;
