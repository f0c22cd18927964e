import { startFastddsPeer, switchFlags, valueFlags } from "./peer-launch.ts";
import type { PeerProcess } from "./process.ts";

export type Co2PeerMode =
  | "pub"
  | "tlpub"
  | "sub"
  | "tlsub"
  | "echo"
  | "ping"
  | "throughput-pub"
  | "throughput-sub"
  | "ks-pub"
  | "ks-sub";

/** Command-line flags of `fastdds-co2-peer`; omitted ones keep the peer's defaults (README). */
export interface Co2PeerOptions {
  count?: number;
  /** Default: env SUSTAINML_DOMAIN_ID, else 0. Give every test file its own. */
  domain?: number;
  /** Registers CO2FootprintImpl / BenchSample without a key (NO_KEY topic kind). */
  nokey?: boolean;
  /** extra_data of this many bytes (0, 1, 2, ...) instead of [1, 2, 3]. */
  extraBytes?: number;
  periodMs?: number;
  waitS?: number;
  /** Participant name announced in SPDP. */
  name?: string;
  /** Writers wait for this many matched readers. */
  readers?: number;
  lingerMs?: number;
  problem?: number;
  /** Bench payload bytes. */
  size?: number;
  warmup?: number;
  keys?: number;
  /** ks-pub: pause after matching before the first write (Cyclone VOLATILE readers). */
  settleMs?: number;
  /** FASTDDS_DEFAULT_TRANSPORTS=1: keep Fast DDS's SHM+UDP instead of UDPv4 only. */
  defaultTransports?: boolean;
}

const FLAG_NAMES: Record<Exclude<keyof Co2PeerOptions, "nokey" | "defaultTransports">, string> = {
  count: "--count",
  domain: "--domain",
  extraBytes: "--extra-bytes",
  periodMs: "--period-ms",
  waitS: "--wait-s",
  name: "--name",
  readers: "--readers",
  lingerMs: "--linger-ms",
  problem: "--problem",
  size: "--size",
  warmup: "--warmup",
  keys: "--keys",
  settleMs: "--settle-ms",
};

export function co2PeerArgs(mode: Co2PeerMode, options: Co2PeerOptions = {}): string[] {
  return [mode, ...valueFlags(options, FLAG_NAMES), ...switchFlags(options, { nokey: "--nokey" })];
}

/** Builds (cached) and starts `fastdds-co2-peer`; refuses outside the private namespace. */
export async function startCo2Peer(
  mode: Co2PeerMode,
  options: Co2PeerOptions = {},
): Promise<PeerProcess> {
  return startFastddsPeer(
    "fastdds-co2-peer",
    co2PeerArgs(mode, options),
    options.defaultTransports,
  );
}

export interface Co2SampleLine {
  problem: number;
  iteration: number;
  carbon: number;
  energy: number;
  intensity: number;
  extraLength: number;
  /** FNV-1a 32 of extra_data, 8 hex digits (see `fnv1a32`). */
  extraFnv: string;
  /** Hex of the first 64 bytes of extra_data. */
  extraHead: string;
}

const SAMPLE_LINE =
  /^SAMPLE problem=(\d+) iteration=(\d+) carbon=(\S+) energy=(\S+) intensity=(\S+) extra_len=(\d+) extra_fnv=([0-9a-f]{8}) extra_hex=([0-9a-f]*)$/;

/** Parses a `SAMPLE ...` line of a reader mode; undefined for any other line. */
export function parseCo2Sample(line: string): Co2SampleLine | undefined {
  const m = SAMPLE_LINE.exec(line);
  if (!m) return undefined;
  return {
    problem: Number(m[1]),
    iteration: Number(m[2]),
    carbon: Number(m[3]),
    energy: Number(m[4]),
    intensity: Number(m[5]),
    extraLength: Number(m[6]),
    extraFnv: m[7] ?? "",
    extraHead: m[8] ?? "",
  };
}

/** The samples a reader peer printed so far. */
export function co2Samples(peer: PeerProcess): Co2SampleLine[] {
  return peer.lines.flatMap((line) => parseCo2Sample(line) ?? []);
}

/** FNV-1a 32-bit as the peer prints it in `extra_fnv=`. */
export function fnv1a32(bytes: Uint8Array): string {
  let hash = 0x811c9dc5;
  for (const byte of bytes) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  return hash.toString(16).padStart(8, "0");
}
