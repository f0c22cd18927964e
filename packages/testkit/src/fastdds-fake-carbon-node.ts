import { startFastddsPeer, switchFlags, valueFlags } from "./peer-launch.ts";
import type { PeerProcess } from "./process.ts";

/** Flags of `fastdds-fake-carbon-node` (README). */
export interface FakeCarbonNodeOptions {
  domain?: number;
  /** Participant name, default CARBON_FOOTPRINT_NODE. */
  name?: string;
  /** gCO2/kWh used as carbon_intensity; default env SUSTAINML_GRID_CI, else 0. */
  gridCi?: number;
  /** Exit 0 after this many tasks (0: run until stopped or waitS). */
  tasks?: number;
  waitS?: number;
  lingerMs?: number;
  defaultTransports?: boolean;
  /** No line per input, status or task (for benchmarks; see the orchestrator's `quiet`). */
  quiet?: boolean;
}

const FLAGS: Record<Exclude<keyof FakeCarbonNodeOptions, "defaultTransports" | "quiet">, string> = {
  domain: "--domain",
  name: "--name",
  gridCi: "--grid-ci",
  tasks: "--tasks",
  waitS: "--wait-s",
  lingerMs: "--linger-ms",
};

export function fakeCarbonNodeArgs(options: FakeCarbonNodeOptions = {}): string[] {
  return ["node", ...valueFlags(options, FLAGS), ...switchFlags(options, { quiet: "--quiet" })];
}

/**
 * Starts the C++ stand-in for SustainML's carbon node (status sequence, input join, onnx_hw_only
 * footprint, configuration answer); refuses outside the private namespace.
 */
export async function startFakeCarbonNode(
  options: FakeCarbonNodeOptions = {},
): Promise<PeerProcess> {
  return startFastddsPeer(
    "fastdds-fake-carbon-node",
    fakeCarbonNodeArgs(options),
    options.defaultTransports,
  );
}
