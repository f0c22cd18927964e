import type { Guid } from "../wire/guid.ts";
import type { Locator } from "../wire/locator.ts";
import type { SequenceNumber } from "../wire/sequence-number.ts";

export interface MatchedReader {
  readonly guid: Guid;
  readonly locators: readonly Locator[];
  readonly reliable: boolean;
  /** The reader asked for TRANSIENT_LOCAL or more, so it gets the held history. */
  readonly wantsHistory: boolean;
}

/** Writer-side state for one matched reader (DDSI-RTPS ReaderProxy). */
export interface ReaderProxy {
  readonly info: MatchedReader;
  /** Every SN below this is acknowledged. */
  ackedBelow: SequenceNumber;
  /** SNs below this were written before the reader mattered; they are GAPped. */
  readonly minRelevant: SequenceNumber;
  lastAckNackCount: number;
  lastNackFragCount: number;
  /** Fast heartbeats left before this reader has answered once (see `probeUnheard`). */
  probesLeft: number;
}

/**
 * A reader that has not answered yet has probably not discovered us, and drops
 * what we send. Heartbeating it every 100 ms (for up to 5 s) instead of once a
 * period gets discovery and late-joiner replay done in round trips, not periods.
 */
export const PROBE_PERIOD_MS = 100;
export const PROBES = 50;
