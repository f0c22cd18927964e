import { err, type Failure, failure, ok, type Result } from "@wattprint/result";
import type { HistoryQos, ResourceLimitsQos } from "../qos/endpoint-qos.ts";
import type { SequenceNumber } from "../wire/sequence-number.ts";
import { type CacheChange, keyHashToString } from "./change.ts";

export type HistoryError = Failure<"out-of-resources">;

/**
 * A writer's history cache: KEEP_LAST applies per instance, resource limits
 * bound instances and samples. SNs are assigned here, strictly increasing.
 */
export class WriterHistory {
  private readonly changes = new Map<SequenceNumber, CacheChange>();
  private readonly instances = new Map<string, SequenceNumber[]>();
  private last: SequenceNumber = 0;

  constructor(
    private readonly history: HistoryQos,
    private readonly limits: ResourceLimitsQos,
  ) {}

  get lastSN(): SequenceNumber {
    return this.last;
  }

  /** Lowest SN still held, or lastSN + 1 when empty (DDSI-RTPS HEARTBEAT rule). */
  get firstSN(): SequenceNumber {
    for (const sn of this.changes.keys()) return sn;
    return this.last + 1;
  }

  get size(): number {
    return this.changes.size;
  }

  get instanceCount(): number {
    return this.instances.size;
  }

  get(sn: SequenceNumber): CacheChange | undefined {
    return this.changes.get(sn);
  }

  /** Held changes with from <= sn, ascending. */
  *from(from: SequenceNumber): IterableIterator<CacheChange> {
    for (const [sn, c] of this.changes) if (sn >= from) yield c;
  }

  /**
   * Adds a change and assigns its SN. Changes dropped to make room simply leave the history:
   * a reader asking for one gets a GAP.
   */
  add(change: Omit<CacheChange, "sn">): Result<CacheChange, HistoryError> {
    const key = keyHashToString(change.keyHash);
    let instance = this.instances.get(key);
    if (!instance) {
      if (this.instances.size >= this.limits.maxInstances && !this.evictRetiredInstance()) {
        return err(failure("out-of-resources", `max instances ${this.limits.maxInstances}`));
      }
    } else {
      // At least one: a depth or limit of 0 (invalid in DDS) would otherwise loop forever below.
      const perInstance = Math.max(
        1,
        this.history.kind === "keep-last"
          ? Math.min(this.history.depth, this.limits.maxSamplesPerInstance)
          : this.limits.maxSamplesPerInstance,
      );
      if (instance.length >= perInstance) {
        if (this.history.kind === "keep-all") {
          return err(failure("out-of-resources", `max samples per instance ${perInstance}`));
        }
        while (instance.length >= perInstance) {
          const oldest = instance.shift();
          if (oldest !== undefined) this.changes.delete(oldest);
        }
      }
    }
    if (this.changes.size >= this.limits.maxSamples) {
      if (this.history.kind === "keep-all") {
        return err(failure("out-of-resources", `max samples ${this.limits.maxSamples}`));
      }
      this.evictOldest();
      // The oldest change may have been this instance's last: its list then left the table,
      // and an SN pushed onto it was held with no instance (past the depth, and never evicted
      // by it), while the instance started again empty.
      instance = this.instances.get(key);
    }
    const full: CacheChange = {
      sn: ++this.last,
      instanceState: change.instanceState,
      keyHash: change.keyHash,
      payload: change.payload,
      sourceTimestampMs: change.sourceTimestampMs,
      inlineQos: change.inlineQos,
    };
    this.changes.set(full.sn, full);
    // A literal for a new instance: an empty array would reserve room for 16 SNs it never holds.
    if (instance) instance.push(full.sn);
    else this.instances.set(key, [full.sn]);
    return ok(full);
  }

  /** Drops changes below `sn` (a volatile writer once every reader acknowledged them). */
  removeBelow(sn: SequenceNumber): void {
    for (const [s, c] of this.changes) {
      if (s >= sn) break;
      this.changes.delete(s);
      const key = keyHashToString(c.keyHash);
      const inst = this.instances.get(key);
      if (!inst) continue;
      const i = inst.indexOf(s);
      if (i >= 0) inst.splice(i, 1);
      if (inst.length === 0) this.instances.delete(key);
    }
  }

  /** Frees the oldest instance whose latest change is a dispose or unregister. */
  private evictRetiredInstance(): boolean {
    for (const [key, sns] of this.instances) {
      const lastSn = sns[sns.length - 1];
      const lastChange = lastSn === undefined ? undefined : this.changes.get(lastSn);
      if (lastChange && lastChange.instanceState !== "alive") {
        for (const s of sns) this.changes.delete(s);
        this.instances.delete(key);
        return true;
      }
    }
    return false;
  }

  private evictOldest(): void {
    for (const [sn, c] of this.changes) {
      this.changes.delete(sn);
      const key = keyHashToString(c.keyHash);
      const inst = this.instances.get(key);
      if (inst) {
        inst.shift();
        if (inst.length === 0) this.instances.delete(key);
      }
      return;
    }
  }
}
