import type { FragmentLimits } from "./endpoints/fragments.ts";
import { err, ok, type Result } from "./result.ts";
import { metatrafficUnicastPort } from "./transport/ports.ts";
import type { TransportFactory } from "./transport/transport.ts";
import { type Locator, udpV4Locator } from "./wire/locator.ts";

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
} as const;

/** The fragment limits `options` ask for, or a clear reason why they are unusable. */
export function fragmentLimits(options: ParticipantOptions): Result<FragmentLimits, string> {
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
      return err(`${name} must be a whole number of bytes >= 0, got ${value}`);
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
