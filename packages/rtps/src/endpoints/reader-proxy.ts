import type { Guid } from "../wire/guid.ts";
import type { Locator } from "../wire/locator.ts";
import { MAX_SET_BITS, type SequenceNumber } from "../wire/sequence-number.ts";

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
  /** It let every probe go by without an ACKNACK: see UNRESPONSIVE_PROBE_MS. */
  unresponsive: boolean;
  /**
   * SNs resent to this reader lately, with when (the writer's clock), oldest first: see
   * RESEND_SUPPRESSION_MS. At most MAX_RESENDS_REMEMBERED.
   */
  readonly recentResends: Map<SequenceNumber, number>;
}

/**
 * An SN resent to a reader is not resent to it again for this long (counted as
 * `resendsSuppressed`), as Fast DDS's `nack_suppression_duration` does. A resend goes with a
 * heartbeat, and a reader answers every heartbeat at once: a reader that could not take the
 * sample (its fragment pool full) asked for it again at once, and the two looped at round-trip
 * speed (3,800 resends of a 100 KB sample a second in the audit's probe). That ask comes within
 * a round trip of the resend, well inside 10 ms; with no heartbeat after a suppressed ask the
 * reader's next comes from its own timers, so the loop is broken. A reader whose resend was
 * lost asks again 100 ms later (REPAIR_PERIOD_MS) and must get through: a window of 100 ms, and
 * still one of 50 ms, refused such asks, and the bus node's warm-up, which loses datagrams on
 * purpose, went from 2.6 to 2.8 s to 3.4 to 6.8 s (2.9 to 3.1 s at 10 ms).
 */
export const RESEND_SUPPRESSION_MS = 10;
/**
 * Resends remembered per reader: one ACKNACK window. Those older than RESEND_SUPPRESSION_MS go
 * as new ones come, and past this the oldest goes (it may then be resent early): a reader
 * that was resent many SNs once and stopped asking keeps no more than this.
 */
export const MAX_RESENDS_REMEMBERED = MAX_SET_BITS;

/**
 * Whether `sn` may be resent to `proxy` now (`nowMs`, the writer's clock): not when it was
 * within RESEND_SUPPRESSION_MS. A resend it allows is remembered.
 */
export function mayResend(proxy: ReaderProxy, sn: SequenceNumber, nowMs: number): boolean {
  const recent = proxy.recentResends;
  const last = recent.get(sn);
  if (last !== undefined && nowMs - last < RESEND_SUPPRESSION_MS) return false;
  // Oldest first: the first one still recent ends the look.
  for (const [old, at] of recent) {
    if (nowMs - at < RESEND_SUPPRESSION_MS && recent.size < MAX_RESENDS_REMEMBERED) break;
    recent.delete(old);
  }
  recent.delete(sn);
  recent.set(sn, nowMs);
  return true;
}

/**
 * A reader that has not answered yet has probably not discovered us, and drops
 * what we send. Heartbeating it every 100 ms (for up to 5 s) instead of once a
 * period gets discovery and late-joiner replay done in round trips, not periods.
 */
export const PROBE_PERIOD_MS = 100;
export const PROBES = 50;

/**
 * A reliable reader that let all PROBES go by without a single ACKNACK is unresponsive: it is
 * sent no samples and no periodic or follow-up heartbeats, only a heartbeat this often, and it
 * is back at its first ACKNACK (which asks for what it lacks, repaired as usual). A peer may
 * announce 128 × 512 such readers: each kept getting every sample and a heartbeat a period for
 * ever (3.8 MB/s of heartbeats in the audit's probe, 13 MB per 100-byte write). A genuine
 * reader that matches us late ACKNACKs on its own (ours and Fast DDS's send one at the match),
 * and this heartbeat, non-final, makes one that missed that answer.
 */
export const UNRESPONSIVE_PROBE_MS = 5_000;

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
