import { spawnSync } from "node:child_process";
import { assertInsidePrivateNetwork } from "./private-network.ts";
import { type PeerProcess, startProcess } from "./process.ts";

/** ddsperf's built-in topics (`-T`); KS is the one the TS side speaks (README). */
export type DdsperfTopic = "KS" | "K32" | "K256" | "OU" | "S16" | "S256" | "S4k" | "S32k";

export interface DdsperfOptions {
  /** `-i`: give every test file its own. */
  domain: number;
  /** `-T`, default KS: topic `DDSPerfRDataKS`, type `KeyedSeq`. */
  topic?: DdsperfTopic;
  /** `-u`: best-effort instead of reliable. */
  bestEffort?: boolean;
  /** `-D`: run for at most this many seconds (always set one: tests must be bounded). */
  durationS: number;
  /** `-n`: key values used by pub and accepted by sub (a keyval >= n makes sub exit 3). */
  keys?: number;
  /** `-Qminmatch:N`: counts only ddsperf participants (user_data `DDSPerf:...`) with all their endpoints matched. */
  minMatch?: number;
  /** `-Qsamples:N`: sub succeeds (exit 0) only after N samples. */
  samples?: number;
  /** `pub [R[Hz]] [size S]`: rate such as 50 (Hz) or "inf"; size in bytes incl. the 12-byte fixed part. */
  pub?: { rate?: number | "inf"; size?: number };
  /** `sub`. */
  sub?: boolean;
}

export function ddsperfArgs(options: DdsperfOptions): string[] {
  const args = ["-i", String(options.domain), "-T", options.topic ?? "KS"];
  args.push("-D", String(options.durationS));
  if (options.bestEffort) args.push("-u");
  if (options.keys !== undefined) args.push("-n", String(options.keys));
  if (options.minMatch !== undefined) args.push(`-Qminmatch:${options.minMatch}`);
  if (options.samples !== undefined) args.push(`-Qsamples:${options.samples}`);
  if (options.pub) {
    args.push("pub");
    const { rate, size } = options.pub;
    if (rate !== undefined) args.push(rate === "inf" ? "inf" : `${rate}Hz`);
    if (size !== undefined) args.push("size", String(size));
  }
  if (options.sub) args.push("sub");
  return args;
}

/** Starts Cyclone's `ddsperf` (package cyclonedds-tools); refuses outside the namespace. */
export function startDdsperf(options: DdsperfOptions): PeerProcess {
  assertInsidePrivateNetwork();
  const probe = spawnSync("ddsperf", ["help"], { stdio: "ignore", timeout: 10_000 });
  if (probe.error !== undefined) {
    throw new Error(
      "ddsperf not found: apt-get install -y --no-install-recommends cyclonedds-tools",
    );
  }
  return startProcess("ddsperf", ddsperfArgs(options));
}

export interface DdsperfTotals {
  total: number;
  lost: number;
}

const SUB_STATS = /\bsize \d+ total (\d+) lost (\d+)\b/;

/** The last `... total N lost M ...` line of a ddsperf `sub`. */
export function ddsperfTotals(peer: PeerProcess): DdsperfTotals | undefined {
  for (let i = peer.lines.length - 1; i >= 0; i--) {
    const m = SUB_STATS.exec(peer.lines[i] ?? "");
    if (m) return { total: Number(m[1]), lost: Number(m[2]) };
  }
  return undefined;
}
