import { parseArgs } from "node:util";
import { type LatencyUnit, resolvePue } from "@wattprint/core";
import { DOMAIN_ID_ENV } from "@wattprint/messages";
import {
  allowedPeersProblem,
  type CarbonNodeSettings,
  defaultCarbonNodeSettings,
  isLogLevel,
  type LogLevel,
  type RtpsPeerLimits,
} from "@wattprint/node";

export const HELP = `usage: wattprint-node [options]

Runs the SustainML Carbontracker Node (participant CARBON_FOOTPRINT_NODE) on a DDS domain.

  --domain N            DDS domain id (env ${DOMAIN_ID_ENV}; default 0)
  --interface ADDR      IPv4 address of the network interface to use (env WATTPRINT_INTERFACE;
                        default 127.0.0.1, which keeps all traffic on this machine)
  --latency-unit U      unit of HWResource.latency: h (SustainML main, default), s, or ms (v0.1/v0.2)
  --pue P               PUE applied to energy: a number >= 1 or a profile (default local = 1,
                        as the reference node applies none)
  --grid-ci G           gCO2eq/kWh for every task (env SUSTAINML_GRID_CI; 0 or unset: by region)
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
  --help                this text
`;

export interface NodeAppOptions {
  readonly domainId: number;
  readonly interfaceAddress: string;
  readonly settings: CarbonNodeSettings;
  readonly maxPendingPerInput: number;
  readonly maxPendingAgeMs: number;
  readonly logLevel: LogLevel;
  /** Synthetic tasks before the node joins the bus (0: none). */
  readonly warmUpTasks: number;
  /** Notes for the startup log, e.g. an unparsable domain id that fell back to 0. */
  readonly notes: readonly string[];
  /** Limits on remote peers for the RTPS participant; omitted ones take its defaults. */
  readonly peerLimits: RtpsPeerLimits;
}

export class OptionsError extends Error {
  override readonly name = "OptionsError";
}

/**
 * Enough synthetic tasks for V8 to optimise the task path (the bench's tail stopped
 * improving past about 2,000 real tasks); about a second at startup.
 */
const DEFAULT_WARM_UP_TASKS = 3000;

const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;

function number(
  flag: string,
  raw: string,
  check: (n: number) => boolean,
  expected: string,
): number {
  const value = Number(raw.trim());
  if (raw.trim() === "" || !Number.isFinite(value) || !check(value)) {
    throw new OptionsError(`--${flag} expects ${expected}, got "${raw}"`);
  }
  return value;
}

/** A setting read from its flag or else its variable: unset or blank means `fallback`. */
function numberOr(
  fallback: number,
  flag: string,
  raw: string | undefined,
  check: (n: number) => boolean,
  expected: string,
): number {
  return raw === undefined || raw.trim() === "" ? fallback : number(flag, raw, check, expected);
}

/** Flags win over environment variables; every value is checked before the node starts. */
export function parseNodeOptions(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): NodeAppOptions | "help" {
  let parsed: ReturnType<typeof parseArgs<{ args: string[]; options: typeof FLAGS; strict: true }>>;
  try {
    parsed = parseArgs({ args: [...argv], options: FLAGS, strict: true });
  } catch (error) {
    throw new OptionsError(
      (error instanceof Error ? error.message : String(error)).split("\n")[0] ?? "bad arguments",
    );
  }
  const { values } = parsed;
  if (values.help) return "help";
  const notes: string[] = [];

  let domainId = 0;
  const rawDomain = values.domain ?? env[DOMAIN_ID_ENV];
  if (values.domain !== undefined) {
    domainId = number(
      "domain",
      values.domain,
      (n) => Number.isInteger(n) && n >= 0 && n <= 232,
      "an integer 0..232",
    );
  } else if (rawDomain !== undefined && rawDomain.trim() !== "") {
    // SustainML's parse_sustainml_env falls back to 0 on garbage; we do too, but say so.
    const n = Number(rawDomain.trim());
    if (Number.isInteger(n) && n >= 0 && n <= 232) domainId = n;
    else
      notes.push(`${DOMAIN_ID_ENV}="${rawDomain}" is not a domain id; using 0 as SustainML does`);
  }

  const interfaceAddress = (values.interface ?? env.WATTPRINT_INTERFACE ?? "127.0.0.1").trim();
  if (!IPV4.test(interfaceAddress)) {
    throw new OptionsError(`--interface expects an IPv4 address, got "${interfaceAddress}"`);
  }

  const defaults = defaultCarbonNodeSettings();
  const unit = values["latency-unit"] ?? "h";
  if (unit !== "h" && unit !== "s" && unit !== "ms") {
    throw new OptionsError(`--latency-unit expects h, s or ms, got "${unit}"`);
  }
  let pue = defaults.pue;
  if (values.pue !== undefined) {
    const resolved = resolvePue(values.pue);
    if (!resolved.ok) throw new OptionsError(`--pue: ${resolved.error.message}`);
    pue = resolved.value;
  }
  const grid = numberOr(
    0,
    "grid-ci",
    values["grid-ci"] ?? env.SUSTAINML_GRID_CI,
    (n) => n >= 0,
    "a non-negative gCO2eq/kWh (SUSTAINML_GRID_CI)",
  );

  const logLevel = values["log-level"] ?? env.WATTPRINT_LOG_LEVEL ?? "info";
  if (!isLogLevel(logLevel))
    throw new OptionsError(`--log-level expects debug, info, warn or error, got "${logLevel}"`);

  const warmUpTasks = numberOr(
    DEFAULT_WARM_UP_TASKS,
    "warm-up-tasks",
    values["warm-up-tasks"] ?? env.WATTPRINT_WARM_UP_TASKS,
    (n) => Number.isInteger(n) && n >= 0 && n <= 1_000_000,
    "an integer 0..1000000",
  );

  const maxPending = values["max-pending"];
  const maxAge = values["max-pending-age"];
  return {
    domainId,
    interfaceAddress,
    settings: {
      latencyUnit: unit satisfies LatencyUnit,
      pue,
      // As in the Python node, 0 means "not set": intensity then comes from the user's region.
      ...(grid > 0 ? { gridIntensityOverride: grid } : {}),
    },
    maxPendingPerInput:
      maxPending === undefined
        ? 50
        : number(
            "max-pending",
            maxPending,
            (n) => Number.isInteger(n) && n >= 1,
            "an integer >= 1",
          ),
    maxPendingAgeMs:
      maxAge === undefined
        ? 600_000
        : number("max-pending-age", maxAge, (n) => n > 0, "seconds > 0") * 1000,
    logLevel,
    warmUpTasks,
    notes,
    peerLimits: peerLimits(values),
  };
}

/** The participant's hostile-input limits (rtps README, "Hostile input"). */
function peerLimits(values: {
  readonly "allow-peers"?: string | undefined;
  readonly "max-peers"?: string | undefined;
  readonly "max-peer-endpoints"?: string | undefined;
  readonly "max-peer-lease"?: string | undefined;
}): RtpsPeerLimits {
  const count = (flag: string, raw: string | undefined): number | undefined =>
    raw === undefined
      ? undefined
      : number(flag, raw, (n) => Number.isInteger(n) && n >= 1, "an integer >= 1");
  const allow = values["allow-peers"];
  const allowedPeers = allow
    ?.split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "");
  const problem = allowedPeers && allowedPeersProblem(allowedPeers);
  if (problem) throw new OptionsError(`--allow-peers: ${problem}`);
  const maxRemoteParticipants = count("max-peers", values["max-peers"]);
  const maxEndpointsPerParticipant = count("max-peer-endpoints", values["max-peer-endpoints"]);
  const lease = values["max-peer-lease"];
  const maxRemoteLeaseMs =
    lease === undefined
      ? undefined
      : number("max-peer-lease", lease, (n) => n > 0 && n <= 86_400, "seconds, > 0 and <= 86400") *
        1000;
  return {
    ...(allowedPeers ? { allowedPeers } : {}),
    ...(maxRemoteParticipants === undefined ? {} : { maxRemoteParticipants }),
    ...(maxEndpointsPerParticipant === undefined ? {} : { maxEndpointsPerParticipant }),
    ...(maxRemoteLeaseMs === undefined ? {} : { maxRemoteLeaseMs }),
  };
}

const FLAGS = {
  domain: { type: "string" },
  interface: { type: "string" },
  "latency-unit": { type: "string" },
  pue: { type: "string" },
  "grid-ci": { type: "string" },
  "max-pending": { type: "string" },
  "max-pending-age": { type: "string" },
  "log-level": { type: "string" },
  "warm-up-tasks": { type: "string" },
  "allow-peers": { type: "string" },
  "max-peers": { type: "string" },
  "max-peer-endpoints": { type: "string" },
  "max-peer-lease": { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;
