import { type Guid, guidToString, prefixToString } from "../wire/guid.ts";
import type { ReceiveContext } from "../wire/receive-context.ts";
import type { WriterSubmessage } from "../wire/submessage.ts";
import { detachedSubmessage, heldBytes } from "./detached-submessage.ts";

/** How long a submessage from a not yet matched writer is kept for its match. */
export const EARLY_TRAFFIC_TTL_MS = 2_000;
/**
 * Default bounds, per remote writer and in all, on what peers can make us hold (the
 * participant's `maxEarlyTrafficPerWriter` and `maxEarlyTraffic` options).
 */
export const EARLY_TRAFFIC_PER_WRITER = 64;
export const EARLY_TRAFFIC_TOTAL = 256;
/**
 * Bytes held in all (copies of payloads, see `detachedSubmessage`). What the hold exists for
 * is the first few samples of a writer, small tasks: 4 MiB is 64 DATAs of a full UDP
 * datagram, and a quarter of the 16 MiB that 256 such slots would otherwise take.
 */
export const EARLY_TRAFFIC_MAX_BYTES = 4 * 2 ** 20;

export interface EarlyTrafficLimits {
  /** Submessages held per remote writer. */
  readonly perWriter: number;
  /** Submessages held in all. */
  readonly total: number;
  /** Bytes held in all; `EARLY_TRAFFIC_MAX_BYTES` when absent. */
  readonly bytes?: number;
}

interface Held {
  readonly m: WriterSubmessage;
  readonly ctx: ReceiveContext;
  readonly atMs: number;
  readonly bytes: number;
}

/** What one remote participant holds, over all its writers. */
interface Share {
  count: number;
  bytes: number;
}

/**
 * Traffic from a remote user writer that reached us before its SEDP announcement did. A
 * writer matches our reader as soon as it learns of it, and may write at once; our side then
 * sees DATA from a writer it does not know yet. Dropping it costs the writer's whole heartbeat
 * period (3 s for Fast DDS, which does not answer a reader's first ACKNACK with a heartbeat):
 * measured as a 3 s first task when wattprint-node joined a running orchestrator. Held here
 * for a short while, it is replayed the moment the writer is matched.
 *
 * The caller holds only traffic of discovered participants. The slots and bytes are shared
 * fairly among them: when full, a participant holding less than the one holding the most takes
 * that one's oldest submessage's place. One participant (or a few) sending early traffic
 * without end so cannot keep the hold full for the rest, as first come, first served let it.
 */
export class EarlyWriterTraffic {
  private readonly byWriter = new Map<string, Held[]>();
  private readonly byParticipant = new Map<string, Share>();
  private total = 0;
  private totalBytes = 0;
  private readonly maxBytes: number;
  /** Submessages dropped unreplayed (expired, over the bounds, or giving up their place to
   * another participant's). Replays are counted by the participant
   * (`counters.replayedAfterMatch`), which does the replaying. */
  dropped = 0;

  constructor(
    private readonly now: () => number = () => performance.now(),
    private readonly limits: EarlyTrafficLimits = {
      perWriter: EARLY_TRAFFIC_PER_WRITER,
      total: EARLY_TRAFFIC_TOTAL,
    },
  ) {
    this.maxBytes = limits.bytes ?? EARLY_TRAFFIC_MAX_BYTES;
  }

  hold(m: WriterSubmessage, ctx: ReceiveContext): void {
    const atMs = this.now();
    this.expire(atMs);
    const key = guidToString({ prefix: ctx.sourcePrefix, entityId: m.writerId });
    const held = this.byWriter.get(key) ?? [];
    const bytes = heldBytes(m);
    const who = prefixToString(ctx.sourcePrefix);
    if (held.length >= this.limits.perWriter || !this.makeRoom(who, bytes)) {
      this.dropped++;
      return;
    }
    held.push({ m: detachedSubmessage(m), ctx, atMs, bytes });
    this.byWriter.set(key, held);
    const share = this.byParticipant.get(who) ?? { count: 0, bytes: 0 };
    share.count++;
    share.bytes += bytes;
    this.byParticipant.set(who, share);
    this.total++;
    this.totalBytes += bytes;
  }

  /** Removes and returns what `writer` sent before it matched, oldest first. */
  take(writer: Guid): Array<{ m: WriterSubmessage; ctx: ReceiveContext }> {
    this.expire(this.now());
    const key = guidToString(writer);
    const held = this.byWriter.get(key);
    if (!held) return [];
    this.byWriter.delete(key);
    const who = prefixToString(writer.prefix);
    for (const h of held) this.release(who, h);
    return held;
  }

  get size(): number {
    return this.total;
  }

  get bytes(): number {
    return this.totalBytes;
  }

  /**
   * Frees room for `bytes` more from `who` by evicting the oldest submessages of whoever holds
   * the most, as long as that is someone holding more than `who` would; false when `who` is
   * over its fair share (or the submessage is over the byte bound by itself). Bounded: each
   * turn evicts one of at most `limits.total` held submessages.
   */
  private makeRoom(who: string, bytes: number): boolean {
    if (bytes > this.maxBytes) return false;
    const mine = this.byParticipant.get(who) ?? { count: 0, bytes: 0 };
    for (;;) {
      const slotsFull = this.total >= this.limits.total;
      if (!slotsFull && this.totalBytes + bytes <= this.maxBytes) return true;
      const victim = this.largestShare(slotsFull);
      if (!victim || victim[0] === who) return false;
      const fair = slotsFull
        ? victim[1].count > mine.count + 1
        : victim[1].bytes > mine.bytes + bytes;
      if (!fair || !this.evictOldestOf(victim[0])) return false;
    }
  }

  private largestShare(bySlots: boolean): [string, Share] | undefined {
    let best: [string, Share] | undefined;
    for (const entry of this.byParticipant) {
      const [, s] = entry;
      if (!best || (bySlots ? s.count > best[1].count : s.bytes > best[1].bytes)) best = entry;
    }
    return best;
  }

  private evictOldestOf(who: string): boolean {
    let oldest: [string, Held[]] | undefined;
    for (const entry of this.byWriter) {
      const head = entry[1][0];
      if (head === undefined || prefixToString(head.ctx.sourcePrefix) !== who) continue;
      if (!oldest || head.atMs < (oldest[1][0]?.atMs ?? Infinity)) oldest = entry;
    }
    const evicted = oldest?.[1].shift();
    if (!oldest || !evicted) return false;
    if (oldest[1].length === 0) this.byWriter.delete(oldest[0]);
    this.release(who, evicted);
    this.dropped++;
    return true;
  }

  private release(who: string, h: Held): void {
    this.total--;
    this.totalBytes -= h.bytes;
    const share = this.byParticipant.get(who);
    if (!share) return;
    share.count--;
    share.bytes -= h.bytes;
    if (share.count === 0) this.byParticipant.delete(who);
  }

  private expire(nowMs: number): void {
    if (this.total === 0) return;
    for (const [key, held] of this.byWriter) {
      const keep = held.filter((h) => nowMs - h.atMs <= EARLY_TRAFFIC_TTL_MS);
      if (keep.length === held.length) continue;
      for (const h of held) {
        if (nowMs - h.atMs > EARLY_TRAFFIC_TTL_MS)
          this.release(prefixToString(h.ctx.sourcePrefix), h);
      }
      this.dropped += held.length - keep.length;
      if (keep.length === 0) this.byWriter.delete(key);
      else this.byWriter.set(key, keep);
    }
  }
}
