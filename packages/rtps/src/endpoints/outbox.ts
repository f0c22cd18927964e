import type { GuidPrefix } from "../wire/guid.ts";
import type { Locator } from "../wire/locator.ts";

/** How endpoints reach the network: the participant's transport, seen from inside. */
export interface Outbox {
  readonly prefix: GuidPrefix;
  readonly vendorId: number;
  /**
   * Queues a message; messages to one locator within one event-loop turn share a datagram.
   * The bytes are only read during the call (the outbox copies them), so a sender may pass a
   * view into a buffer it reuses. `recipient`: the remote participant the message is for, whose
   * own proof or credit decides whether it may go (see `AmplificationGuard.allows`).
   */
  send(datagram: Uint8Array, locators: readonly Locator[], recipient?: GuidPrefix): void;
  /** Runs `fn` once before this turn's datagrams leave, so what it sends joins them. */
  beforeFlush(fn: () => void): void;
}

/**
 * Largest datagram we build. Fast DDS 2.9 receives at most 65,500 bytes per
 * datagram, so anything bigger would be cut there.
 */
export const MAX_DATAGRAM = 64_000;

/** Samples whose payload exceeds this go out as DATA_FRAG. */
export const MAX_UNFRAGMENTED_PAYLOAD = 62_000;

/** Fragment size for DATA_FRAG; one fragment per datagram. */
export const FRAGMENT_SIZE = 60_000;
