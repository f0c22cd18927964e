import { startFastddsPeer, switchFlags, valueFlags } from "./peer-launch.ts";
import type { PeerProcess } from "./process.ts";

/** sequential: one task at a time; burst: all, then wait; latency: sequential + bursts of 50. */
export type OrchestratorMode = "sequential" | "burst" | "latency";

/** Flags of `fastdds-orchestrator`; omitted ones keep its defaults (README). */
export interface OrchestratorOptions {
  tasks?: number;
  domain?: number;
  /** Own participant name, default ORCHESTRATOR_NODE. */
  name?: string;
  /** Participant to wait for, default CARBON_FOOTPRINT_NODE. */
  nodeName?: string;
  waitS?: number;
  matchWaitS?: number;
  taskTimeoutS?: number;
  /** Sends RequestTypeImpl {node_id 1, transaction_id 1, configuration} on sustainml/request. */
  config?: string;
  configNode?: number;
  configTransaction?: number;
  configTimeoutS?: number;
  bursts?: number;
  burstSize?: number;
  lingerMs?: number;
  /** Tasks become (P, 1..N) instead of (1..N, 1). */
  fixedProblem?: number;
  model?: string;
  modelPath?: string;
  hw?: string;
  power?: number;
  latency?: number;
  region?: string;
  continent?: string;
  /** UserInputImpl.extra_data, default {"num_outputs":1}. */
  userExtra?: string;
  /** Read /sustainml/status directly instead of through the filtered topic (README). */
  noStatusFilter?: boolean;
  /**
   * No line per task or sample (TASK_SENT, STATUS, OUTPUT, TASK_DONE), for benchmarks: each
   * flushed line wakes the reading process, which competes with the peer for the CPU.
   */
  quiet?: boolean;
  defaultTransports?: boolean;
  /**
   * Unregister each task's inputs once its output arrived, so a run may exceed the 500
   * instances of SustainML's writer QoS (the real orchestrator never does this).
   */
  release?: boolean;
}

const FLAGS: Record<
  Exclude<keyof OrchestratorOptions, "defaultTransports" | "noStatusFilter" | "release" | "quiet">,
  string
> = {
  tasks: "--tasks",
  domain: "--domain",
  name: "--name",
  nodeName: "--node-name",
  waitS: "--wait-s",
  matchWaitS: "--match-wait-s",
  taskTimeoutS: "--task-timeout-s",
  config: "--config",
  configNode: "--config-node",
  configTransaction: "--config-transaction",
  configTimeoutS: "--config-timeout-s",
  bursts: "--bursts",
  burstSize: "--burst-size",
  lingerMs: "--linger-ms",
  fixedProblem: "--fixed-problem",
  model: "--model",
  modelPath: "--model-path",
  hw: "--hw",
  power: "--power",
  latency: "--latency",
  region: "--region",
  continent: "--continent",
  userExtra: "--user-extra",
};

const SWITCHES = {
  noStatusFilter: "--no-status-filter",
  release: "--release",
  quiet: "--quiet",
} as const;

export function orchestratorArgs(
  mode: OrchestratorMode,
  options: OrchestratorOptions = {},
): string[] {
  return [mode, ...valueFlags(options, FLAGS), ...switchFlags(options, SWITCHES)];
}

/** Builds (cached) and starts `fastdds-orchestrator`; refuses outside the private namespace. */
export async function startOrchestrator(
  mode: OrchestratorMode,
  options: OrchestratorOptions = {},
): Promise<PeerProcess> {
  return startFastddsPeer(
    "fastdds-orchestrator",
    orchestratorArgs(mode, options),
    options.defaultTransports,
  );
}

export interface OrchestratorOutput {
  problem: number;
  iteration: number;
  carbon: number;
  energy: number;
  intensity: number;
  /** extra_data as text (UTF-8 JSON from a real node), newlines flattened to spaces. */
  extra: string;
}

const OUTPUT_LINE =
  /^OUTPUT problem=(\d+) iteration=(\d+) carbon=(\S+) energy=(\S+) intensity=(\S+) extra=(.*)$/;

export function parseOrchestratorOutput(line: string): OrchestratorOutput | undefined {
  const m = OUTPUT_LINE.exec(line);
  if (!m) return undefined;
  return {
    problem: Number(m[1]),
    iteration: Number(m[2]),
    carbon: Number(m[3]),
    energy: Number(m[4]),
    intensity: Number(m[5]),
    extra: m[6] ?? "",
  };
}

export interface OrchestratorStatus {
  node: string;
  status: number;
  taskStatus: number;
  errorCode: number;
  problem: number;
  iteration: number;
  error: string;
}

const STATUS_LINE =
  /^STATUS node=(\S+) status=(\d+) task_status=(\d+) error_code=(\d+) problem=(\d+) iteration=(\d+) error=(.*)$/;

export function parseOrchestratorStatus(line: string): OrchestratorStatus | undefined {
  const m = STATUS_LINE.exec(line);
  if (!m) return undefined;
  return {
    node: m[1] ?? "",
    status: Number(m[2]),
    taskStatus: Number(m[3]),
    errorCode: Number(m[4]),
    problem: Number(m[5]),
    iteration: Number(m[6]),
    error: m[7] ?? "",
  };
}

export function orchestratorOutputs(peer: PeerProcess): OrchestratorOutput[] {
  return peer.lines.flatMap((line) => parseOrchestratorOutput(line) ?? []);
}

export function orchestratorStatuses(peer: PeerProcess): OrchestratorStatus[] {
  return peer.lines.flatMap((line) => parseOrchestratorStatus(line) ?? []);
}
