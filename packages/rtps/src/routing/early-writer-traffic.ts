import { type Guid, guidToString } from "../wire/guid.ts";
import type { ReceiveContext } from "../wire/receive-context.ts";
import type { WriterSubmessage } from "../wire/submessage.ts";

/** How long a submessage from a not yet matched writer is kept for its match. */
export const EARLY_TRAFFIC_TTL_MS = 2_000;
/**
 * Default bounds, per remote writer and in all, on what peers can make us hold (the
 * participant's `maxEarlyTrafficPerWriter` and `maxEarlyTraffic` options).
 */
export const EARLY_TRAFFIC_PER_WRITER = 64;
export const EARLY_TRAFFIC_TOTAL = 256;

export interface EarlyTrafficLimits {
  /** Submessages held per remote writer. */
  readonly perWriter: number;
  /** Submessages held in all. */
  readonly total: number;
}

interface Held {
  readonly m: WriterSubmessage;
  readonly ctx: ReceiveContext;
  readonly atMs: number;
}

/**
 * Traffic from a remote user writer that reached us before its SEDP announcement did. A
 * writer matches our reader as soon as it learns of it, and may write at once; our side then
 * sees DATA from a writer it does not know yet. Dropping it costs the writer's whole heartbeat
 * period (3 s for Fast DDS, which does not answer a reader's first ACKNACK with a heartbeat):
 * measured as a 3 s first task when wattprint-node joined a running orchestrator. Held here
 * for a short while, it is replayed the moment the writer is matched.
 */
export class EarlyWriterTraffic {
  private readonly byWriter = new Map<string, Held[]>();
  private total = 0;
  /** Submessages dropped unreplayed (expired, or over the bounds). Replays are counted by
   * the participant (`counters.replayedAfterMatch`), which does the replaying. */
  dropped = 0;

  constructor(
    private readonly now: () => number = () => performance.now(),
    private readonly limits: EarlyTrafficLimits = {
      perWriter: EARLY_TRAFFIC_PER_WRITER,
      total: EARLY_TRAFFIC_TOTAL,
    },
  ) {}

  hold(m: WriterSubmessage, ctx: ReceiveContext): void {
    const atMs = this.now();
    this.expire(atMs);
    const key = guidToString({ prefix: ctx.sourcePrefix, entityId: m.writerId });
    const held = this.byWriter.get(key) ?? [];
    if (held.length >= this.limits.perWriter || this.total >= this.limits.total) {
      this.dropped++;
      return;
    }
    held.push({ m, ctx, atMs });
    this.byWriter.set(key, held);
    this.total++;
  }

  /** Removes and returns what `writer` sent before it matched, oldest first. */
  take(writer: Guid): Array<{ m: WriterSubmessage; ctx: ReceiveContext }> {
    this.expire(this.now());
    const key = guidToString(writer);
    const held = this.byWriter.get(key);
    if (!held) return [];
    this.byWriter.delete(key);
    this.total -= held.length;
    return held;
  }

  get size(): number {
    return this.total;
  }

  private expire(nowMs: number): void {
    if (this.total === 0) return;
    for (const [key, held] of this.byWriter) {
      const keep = held.filter((h) => nowMs - h.atMs <= EARLY_TRAFFIC_TTL_MS);
      if (keep.length === held.length) continue;
      this.dropped += held.length - keep.length;
      this.total -= held.length - keep.length;
      if (keep.length === 0) this.byWriter.delete(key);
      else this.byWriter.set(key, keep);
    }
  }
}
