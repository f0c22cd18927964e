import { keyHashToString } from "../endpoints/change.ts";
import type { ReceivedSample } from "../endpoints/reader.ts";
import type { HistoryQos } from "../qos/endpoint-qos.ts";

/**
 * Buffers samples for an async iterator. With KEEP_LAST, an unconsumed sample
 * is replaced by a newer one of the same instance beyond `depth`, as a DDS
 * reader history would. At most `capacity` samples wait (the reader's
 * `resourceLimits.maxSamples`, bounded by the participant's `maxQueuedSamplesPerReader`):
 * a writer faster than the consumer, or KEEP_ALL, or many instances, must not grow it
 * without end. A sample beyond it is dropped and counted (`onDrop`), as a full
 * KEEP_ALL history refuses a new sample.
 */
export class SampleQueue implements AsyncIterableIterator<ReceivedSample> {
  private readonly items: ReceivedSample[] = [];
  /** Unconsumed samples per instance (KEEP_LAST): spares a scan of the queue per push. */
  private readonly perInstance = new Map<string, number>();
  private waiter: ((r: IteratorResult<ReceivedSample>) => void) | undefined;
  private done = false;

  constructor(
    private readonly history: HistoryQos,
    private readonly keyed: boolean,
    private readonly onReturn: () => void,
    private readonly capacity: number = Number.POSITIVE_INFINITY,
    private readonly onDrop: () => void = () => {},
  ) {}

  get size(): number {
    return this.items.length;
  }

  push(sample: ReceivedSample): void {
    if (this.done) return;
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = undefined;
      w({ value: sample, done: false });
      return;
    }
    const key = this.instanceKey(sample);
    if (key !== undefined && this.history.kind === "keep-last") {
      if ((this.perInstance.get(key) ?? 0) >= this.history.depth) {
        const i = this.items.findIndex((s) => this.instanceKey(s) === key);
        if (i >= 0) this.remove(i);
      }
    }
    if (this.items.length >= this.capacity) {
      this.onDrop();
      return;
    }
    this.items.push(sample);
    if (key !== undefined) this.perInstance.set(key, (this.perInstance.get(key) ?? 0) + 1);
  }

  end(): void {
    this.done = true;
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = undefined;
      w({ value: undefined, done: true });
    }
  }

  next(): Promise<IteratorResult<ReceivedSample>> {
    if (this.items.length > 0) {
      const item = this.remove(0);
      return Promise.resolve({ value: item, done: false });
    }
    if (this.done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => {
      this.waiter = resolve;
    });
  }

  return(): Promise<IteratorResult<ReceivedSample>> {
    this.end();
    this.onReturn();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<ReceivedSample> {
    return this;
  }

  /** The instance a sample counts against under KEEP_LAST; a keyed sample without a key hash
   * cannot be placed in one, so it is never replaced. */
  private instanceKey(sample: ReceivedSample): string | undefined {
    if (this.history.kind !== "keep-last" || (this.keyed && !sample.keyHash)) return undefined;
    return keyHashToString(sample.keyHash);
  }

  private remove(i: number): ReceivedSample {
    const [item] = this.items.splice(i, 1) as [ReceivedSample];
    const key = this.instanceKey(item);
    if (key !== undefined) {
      const n = (this.perInstance.get(key) ?? 1) - 1;
      if (n <= 0) this.perInstance.delete(key);
      else this.perInstance.set(key, n);
    }
    return item;
  }
}
