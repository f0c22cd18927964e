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

/**
 * A turn's writes are heartbeated again this long after, to readers that have not
 * acknowledged them: a lost last DATA (its piggybacked heartbeat lost with it) is then
 * repaired in a round trip, not after a heartbeat period.
 */
export const FOLLOW_UP_HEARTBEAT_MS = 50;

/** Ascending SNs as inclusive runs [start, end], one GAP each. */
export function toRuns(sorted: readonly SequenceNumber[]): Array<[SequenceNumber, SequenceNumber]> {
  const runs: Array<[SequenceNumber, SequenceNumber]> = [];
  let i = 0;
  while (i < sorted.length) {
    const start = sorted[i] ?? 0;
    let end = start;
    while (sorted[i + 1] === end + 1) {
      i++;
      end++;
    }
    i++;
    runs.push([start, end]);
  }
  return runs;
}
