import type { HistoryQos, ResourceLimitsQos } from "../discovery/qos.ts";
import { err, ok, type Result } from "../result.ts";
import type { SequenceNumber } from "../wire/sequence-number.ts";
import { type CacheChange, keyHashToString } from "./change.ts";

export interface HistoryAddOutcome {
  readonly change: CacheChange;
  /** SNs dropped to make room; readers asking for them get a GAP. */
  readonly evicted: readonly SequenceNumber[];
}

export type HistoryError = { readonly kind: "out-of-resources"; readonly detail: string };

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

  add(change: Omit<CacheChange, "sn">): Result<HistoryAddOutcome, HistoryError> {
    const key = keyHashToString(change.keyHash);
    const evicted: SequenceNumber[] = [];
    let instance = this.instances.get(key);
    if (!instance) {
      if (this.instances.size >= this.limits.maxInstances && !this.evictRetiredInstance(evicted)) {
        return err({
          kind: "out-of-resources",
          detail: `max instances ${this.limits.maxInstances}`,
        });
      }
      instance = [];
    }
    const perInstance =
      this.history.kind === "keep-last"
        ? Math.min(this.history.depth, this.limits.maxSamplesPerInstance)
        : this.limits.maxSamplesPerInstance;
    if (instance.length >= perInstance) {
      if (this.history.kind === "keep-all") {
        return err({ kind: "out-of-resources", detail: `max samples per instance ${perInstance}` });
      }
      while (instance.length >= perInstance) {
        const oldest = instance.shift();
        if (oldest !== undefined) {
          this.changes.delete(oldest);
          evicted.push(oldest);
        }
      }
    }
    if (this.changes.size >= this.limits.maxSamples) {
      if (this.history.kind === "keep-all") {
        return err({ kind: "out-of-resources", detail: `max samples ${this.limits.maxSamples}` });
      }
      this.evictOldest(evicted);
    }
    const full: CacheChange = { ...change, sn: ++this.last };
    this.changes.set(full.sn, full);
    instance.push(full.sn);
    this.instances.set(key, instance);
    return ok({ change: full, evicted });
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
  private evictRetiredInstance(evicted: SequenceNumber[]): boolean {
    for (const [key, sns] of this.instances) {
      const lastSn = sns[sns.length - 1];
      const lastChange = lastSn === undefined ? undefined : this.changes.get(lastSn);
      if (lastChange && lastChange.instanceState !== "alive") {
        for (const s of sns) {
          this.changes.delete(s);
          evicted.push(s);
        }
        this.instances.delete(key);
        return true;
      }
    }
    return false;
  }

  private evictOldest(evicted: SequenceNumber[]): void {
    for (const [sn, c] of this.changes) {
      this.changes.delete(sn);
      evicted.push(sn);
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
