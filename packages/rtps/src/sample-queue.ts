import type { HistoryQos } from "./discovery/qos.ts";
import { keyHashToString } from "./endpoints/change.ts";
import type { ReceivedSample } from "./endpoints/reader.ts";

/**
 * Buffers samples for an async iterator. With KEEP_LAST, an unconsumed sample
 * is replaced by a newer one of the same instance beyond `depth`, as a DDS
 * reader history would.
 */
export class SampleQueue implements AsyncIterableIterator<ReceivedSample> {
  private readonly items: ReceivedSample[] = [];
  private waiter: ((r: IteratorResult<ReceivedSample>) => void) | undefined;
  private done = false;

  constructor(
    private readonly history: HistoryQos,
    private readonly keyed: boolean,
    private readonly onReturn: () => void,
  ) {}

  push(sample: ReceivedSample): void {
    if (this.done) return;
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = undefined;
      w({ value: sample, done: false });
      return;
    }
    // A keyed sample without a key hash cannot be placed in an instance: never replaced.
    if (this.history.kind === "keep-last" && (sample.keyHash || !this.keyed)) {
      const key = keyHashToString(sample.keyHash);
      let same = 0;
      for (const s of this.items) if (keyHashToString(s.keyHash) === key) same++;
      if (same >= this.history.depth) {
        const i = this.items.findIndex((s) => keyHashToString(s.keyHash) === key);
        if (i >= 0) this.items.splice(i, 1);
      }
    }
    this.items.push(sample);
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
    const item = this.items.shift();
    if (item) return Promise.resolve({ value: item, done: false });
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
}
