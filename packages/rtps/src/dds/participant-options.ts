import { err, type Failure, failure, ok, type Result } from "@wattprint/result";
import type { FragmentLimits } from "../endpoints/fragments.ts";
import { EARLY_TRAFFIC_PER_WRITER, EARLY_TRAFFIC_TOTAL } from "../routing/early-writer-traffic.ts";
import { PeerAllowlist } from "../routing/peer-allowlist.ts";
import { metatrafficUnicastPort } from "../transport/ports.ts";
import type { TransportFactory } from "../transport/transport.ts";
import { type Locator, udpV4Locator } from "../wire/locator.ts";

export interface ParticipantOptions {
  /** DDS domain; selects the well-known ports. Default 0. */
  readonly domainId?: number;
  /**
   * IPv4 address of the interface to use (tests pin "127.0.0.1"). Required
   * unless `transport` is given: the participant never guesses a NIC.
   */
  readonly interfaceAddress?: string;
  /** Overrides the UDP transport (tests use `MemoryNetwork`). */
  readonly transport?: TransportFactory;
  /** Announced as PID_ENTITY_NAME. */
  readonly name?: string;
  /** Announced as PID_PROPERTY_LIST. */
  readonly properties?: Readonly<Record<string, string>>;
  /** Our vendor id in headers and discovery. Default 0x0000 (unknown): never another vendor's. */
  readonly vendorId?: number;
  /** Lease we announce; peers drop us if silent this long. Default 20 s (as Fast DDS). */
  readonly leaseDurationMs?: number;
  /** Period of SPDP announcements after the initial burst. Default 3 s (as Fast DDS). */
  readonly announcementPeriodMs?: number;
  /** Period of writer heartbeats while readers have not acknowledged everything. Default 1 s. */
  readonly heartbeatPeriodMs?: number;
  /** Multicast TTL for the UDP transport. Default 1. */
  readonly multicastTtl?: number;
  /** Join 239.255.0.1 for SPDP (UDP transport). Default true; without it, list `initialPeers`. */
  readonly multicast?: boolean;
  /**
   * IPv4 addresses also sent our SPDP announcements, on the well-known metatraffic
   * unicast ports of participant ids 0..`initialPeerParticipantIds - 1` (unicast discovery).
   */
  readonly initialPeers?: readonly string[];
  /** How many participant ids per initial peer to announce to. Default 4. */
  readonly initialPeerParticipantIds?: number;
  /** Fixed GUID prefix (12 bytes); random by default. */
  readonly guidPrefix?: Uint8Array;

  // Hostile input: fragment reassembly. Sequence numbers need no option: any above 2^52 is
  // refused at decode (see the README, "Hostile input").
  /** Largest sample a reader reassembles from fragments (its announced size). Default 64 MiB. */
  readonly maxSampleSize?: number;
  /**
   * Bytes of incomplete fragmented samples held for one remote writer, 256 bytes of
   * bookkeeping per fragment included; a fragment that would pass it is dropped and counted
   * (`introspect().counters.fragments.dropped["writer-limit"]`). Default 96 MiB, or
   * 1.5 × `maxSampleSize` when that is larger, so one sample of the largest size fits.
   */
  readonly maxPendingFragmentBytesPerWriter?: number;
  /**
   * The same, over all remote writers together (`dropped["participant-limit"]`). Default
   * 192 MiB, or 3 × `maxSampleSize` when that is larger.
   */
  readonly maxPendingFragmentBytes?: number;

  // Hostile input: discovery, peers and amplification (README, "Hostile input"). What goes
  // beyond a limit is dropped and counted in `introspect().counters.peers`, never allocated.

  /**
   * Remote participants kept at once. A newcomer beyond it takes the place of the oldest one
   * that has not shown it receives our traffic (see the README's amplification rule) and was
   * discovered `evictUnverifiedAfterMs` ago or more; otherwise it is refused. Default 128.
   */
  readonly maxRemoteParticipants?: number;
  /** See `maxRemoteParticipants`. Default 5 s. */
  readonly evictUnverifiedAfterMs?: number;
  /**
   * Remote participants kept per source address (that of the datagram that first announced
   * each): a newcomer beyond it is refused. When the table is full and no unverified
   * participant can go, a newcomer from another address takes the place of the least recently
   * heard participant of the address holding the most (more than 8), verified or not.
   * Default 32.
   */
  readonly maxParticipantsPerAddress?: number;
  /**
   * Longest lease honoured from a remote participant: a longer (or infinite) announced lease
   * is cut to it, so a participant that stops announcing is forgotten. Default 100 s (the
   * DDSI-RTPS default lease, above Fast DDS's 20 s and Cyclone's 10 s).
   */
  readonly maxRemoteLeaseMs?: number;
  /** SEDP endpoints (writers and readers together) kept per remote participant. Default 512. */
  readonly maxEndpointsPerParticipant?: number;
  /** Submessages held for one remote writer that is not matched yet. Default 64. */
  readonly maxEarlyTrafficPerWriter?: number;
  /** Submessages held for all such writers together. Default 256. */
  readonly maxEarlyTraffic?: number;
  /**
   * Unconsumed samples an async iterator over a reader holds (its QoS `maxSamples` when
   * smaller); further samples are dropped and counted. Default 5 000.
   */
  readonly maxQueuedSamplesPerReader?: number;
  /**
   * IPv4 addresses or CIDR networks (e.g. `["127.0.0.1", "10.0.0.0/8"]`) of the peers we
   * accept. Datagrams from any other source address are dropped and counted, and announced
   * locators outside the list are never sent to. Default: every address.
   */
  readonly allowedPeers?: readonly string[];
}

const MIB = 1024 * 1024;

export const PARTICIPANT_DEFAULTS = {
  domainId: 0,
  vendorId: 0x0000,
  leaseDurationMs: 20_000,
  announcementPeriodMs: 3_000,
  heartbeatPeriodMs: 1_000,
  initialAnnouncements: 5,
  initialPeriodMs: 100,
  initialPeerParticipantIds: 4,
  // Hostile input: fragment reassembly.
  maxSampleSize: 64 * MIB,
  maxPendingFragmentBytesPerWriter: 96 * MIB,
  maxPendingFragmentBytes: 192 * MIB,
  // Hostile input: discovery, peers and amplification.
  maxRemoteParticipants: 128,
  evictUnverifiedAfterMs: 5_000,
  // Real hosts run a handful (a ROS 2 machine a few tens): one address cannot fill the table.
  maxParticipantsPerAddress: 32,
  maxRemoteLeaseMs: 100_000,
  maxEndpointsPerParticipant: 512,
  maxEarlyTrafficPerWriter: EARLY_TRAFFIC_PER_WRITER,
  maxEarlyTraffic: EARLY_TRAFFIC_TOTAL,
  maxQueuedSamplesPerReader: 5_000,
} as const;

/** An option out of range: `createParticipant` fails with it. */
export type BadOptions = Failure<"bad-options">;

/** The fragment limits `options` ask for, or a clear reason why they are unusable. */
export function fragmentLimits(options: ParticipantOptions): Result<FragmentLimits, BadOptions> {
  const maxSampleSize = options.maxSampleSize ?? PARTICIPANT_DEFAULTS.maxSampleSize;
  const limits: FragmentLimits = {
    maxSampleSize,
    maxPendingBytesPerWriter:
      options.maxPendingFragmentBytesPerWriter ??
      Math.max(
        PARTICIPANT_DEFAULTS.maxPendingFragmentBytesPerWriter,
        Math.ceil(maxSampleSize * 1.5),
      ),
    maxPendingBytes:
      options.maxPendingFragmentBytes ??
      Math.max(PARTICIPANT_DEFAULTS.maxPendingFragmentBytes, maxSampleSize * 3),
  };
  for (const [name, value] of [
    ["maxSampleSize", limits.maxSampleSize],
    ["maxPendingFragmentBytesPerWriter", limits.maxPendingBytesPerWriter],
    ["maxPendingFragmentBytes", limits.maxPendingBytes],
  ] as const) {
    if (!Number.isSafeInteger(value) || value < 0)
      return err(
        failure("bad-options", `${name} must be a whole number of bytes >= 0, got ${value}`),
      );
  }
  return ok(limits);
}

/** SPDP destinations for unicast discovery: each initial peer's well-known metatraffic ports. */
export function initialPeerLocators(options: ParticipantOptions, domainId: number): Locator[] {
  const ids = options.initialPeerParticipantIds ?? PARTICIPANT_DEFAULTS.initialPeerParticipantIds;
  return (options.initialPeers ?? []).flatMap((address) =>
    Array.from({ length: ids }, (_, p) =>
      udpV4Locator(address, metatrafficUnicastPort(domainId, p)),
    ),
  );
}

/** The hostile-input limits of `ParticipantOptions`, resolved and checked. */
export interface PeerLimits {
  readonly maxRemoteParticipants: number;
  readonly evictUnverifiedAfterMs: number;
  readonly maxParticipantsPerAddress: number;
  readonly maxRemoteLeaseMs: number;
  readonly maxEndpointsPerParticipant: number;
  readonly maxEarlyTrafficPerWriter: number;
  readonly maxEarlyTraffic: number;
  readonly maxQueuedSamplesPerReader: number;
  readonly allowedPeers: PeerAllowlist | undefined;
}

type CountOption =
  | "maxRemoteParticipants"
  | "maxParticipantsPerAddress"
  | "maxEndpointsPerParticipant"
  | "maxEarlyTrafficPerWriter"
  | "maxEarlyTraffic"
  | "maxQueuedSamplesPerReader";

/** Applies the defaults; the error names the first option out of range. */
export function resolvePeerLimits(options: ParticipantOptions): Result<PeerLimits, BadOptions> {
  const count = (name: CountOption): number | string => {
    const v = options[name] ?? PARTICIPANT_DEFAULTS[name];
    return Number.isInteger(v) && v >= 1 ? v : `${name} must be an integer >= 1, got ${v}`;
  };
  const duration = (name: "evictUnverifiedAfterMs" | "maxRemoteLeaseMs"): number | string => {
    const v = options[name] ?? PARTICIPANT_DEFAULTS[name];
    return Number.isFinite(v) && v > 0 ? v : `${name} must be a finite number of ms > 0, got ${v}`;
  };
  const values = {
    maxRemoteParticipants: count("maxRemoteParticipants"),
    evictUnverifiedAfterMs: duration("evictUnverifiedAfterMs"),
    maxParticipantsPerAddress: count("maxParticipantsPerAddress"),
    maxRemoteLeaseMs: duration("maxRemoteLeaseMs"),
    maxEndpointsPerParticipant: count("maxEndpointsPerParticipant"),
    maxEarlyTrafficPerWriter: count("maxEarlyTrafficPerWriter"),
    maxEarlyTraffic: count("maxEarlyTraffic"),
    maxQueuedSamplesPerReader: count("maxQueuedSamplesPerReader"),
  };
  for (const v of Object.values(values))
    if (typeof v === "string") return err(failure("bad-options", v));
  let allowedPeers: PeerAllowlist | undefined;
  if (options.allowedPeers !== undefined) {
    const parsed = PeerAllowlist.parse(options.allowedPeers);
    if (!parsed.ok) return err(failure("bad-options", `allowedPeers: ${parsed.error.message}`));
    allowedPeers = parsed.value;
  }
  return ok({ ...(values as { [K in keyof typeof values]: number }), allowedPeers });
}
