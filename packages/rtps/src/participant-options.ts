import type { TransportFactory } from "./transport/transport.ts";

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
  /** Largest sample a reader reassembles from fragments. Default 64 MiB. */
  readonly maxSampleSize?: number;
  /** Fixed GUID prefix (12 bytes); random by default. */
  readonly guidPrefix?: Uint8Array;
}

export const PARTICIPANT_DEFAULTS = {
  domainId: 0,
  vendorId: 0x0000,
  leaseDurationMs: 20_000,
  announcementPeriodMs: 3_000,
  heartbeatPeriodMs: 1_000,
  maxSampleSize: 64 * 1024 * 1024,
  initialAnnouncements: 5,
  initialPeriodMs: 100,
} as const;
