import { bytesToHex } from "@wattprint/rtps";
import type { BusPort, BusReader, BusSample, BusWriter, TopicSpec } from "../ports/bus.ts";

/**
 * An in-process bus for unit tests of nodes. It keeps what a DDS domain would: KEEP_LAST
 * history per instance for TRANSIENT_LOCAL writers replayed to late readers, type checks on
 * topic names, and asynchronous delivery (a write never runs a reader's callback re-entrantly).
 */
interface Subscription {
  readonly spec: TopicSpec;
  readonly onSample: (sample: BusSample) => void;
}

interface WriterState {
  readonly spec: TopicSpec;
  readonly name: string;
  /** keyHash hex -> last samples, oldest first (KEEP_LAST depth per instance). */
  readonly history: Map<string, Uint8Array[]>;
}

function durable(spec: TopicSpec): boolean {
  return spec.qos.durability === "transient-local";
}

export class MemoryDomain {
  private readonly subscriptions = new Set<Subscription>();
  private readonly writers = new Set<WriterState>();
  private writerCount = 0;

  connect(participantName: string): BusPort {
    const opened: (() => void)[] = [];
    const domain = this;
    return {
      participantName,
      describe: () => `memory bus (${participantName})`,
      async openWriter(spec) {
        const writer = domain.addWriter(participantName, spec);
        opened.push(() => domain.writers.delete(writer.state));
        return writer.port;
      },
      async openReader(spec, onSample) {
        const reader = domain.addReader(spec, onSample);
        opened.push(() => domain.subscriptions.delete(reader.subscription));
        return reader.port;
      },
      async close() {
        for (const undo of opened.splice(0)) undo();
      },
    };
  }

  private checkType(spec: TopicSpec): void {
    const other = [...this.writers]
      .map((w) => w.spec)
      .concat([...this.subscriptions].map((s) => s.spec));
    const clash = other.find((o) => o.topicName === spec.topicName && o.typeName !== spec.typeName);
    if (clash) {
      throw new Error(`topic ${spec.topicName} carries ${clash.typeName}, not ${spec.typeName}`);
    }
  }

  private addWriter(
    participantName: string,
    spec: TopicSpec,
  ): { state: WriterState; port: BusWriter } {
    this.checkType(spec);
    this.writerCount += 1;
    const state: WriterState = {
      spec,
      name: `${participantName}/${this.writerCount}`,
      history: new Map(),
    };
    this.writers.add(state);
    const depth =
      spec.qos.history.kind === "keep-last" ? spec.qos.history.depth : Number.POSITIVE_INFINITY;
    const deliver = (sample: BusSample): void => {
      for (const subscription of this.subscriptions) {
        if (subscription.spec.topicName === spec.topicName) {
          queueMicrotask(() => subscription.onSample(sample));
        }
      }
    };
    const retire = (keyHash: Uint8Array): void => {
      state.history.delete(bytesToHex(keyHash));
      deliver({
        payload: new Uint8Array(0),
        keyHash: keyHash.slice(),
        disposed: true,
        writer: state.name,
      });
    };
    const port: BusWriter = {
      write: async (payload, keyHash) => {
        const copy = payload.slice();
        if (durable(spec)) {
          const kept = state.history.get(bytesToHex(keyHash)) ?? [];
          kept.push(copy);
          while (kept.length > depth) kept.shift();
          state.history.set(bytesToHex(keyHash), kept);
        }
        deliver({ payload: copy, keyHash: keyHash.slice(), disposed: false, writer: state.name });
      },
      dispose: async (keyHash) => retire(keyHash),
      unregister: async (keyHash) => retire(keyHash),
      close: async () => {
        this.writers.delete(state);
      },
    };
    return { state, port };
  }

  private addReader(
    spec: TopicSpec,
    onSample: (sample: BusSample) => void,
  ): { subscription: Subscription; port: BusReader } {
    this.checkType(spec);
    const subscription: Subscription = { spec, onSample };
    this.subscriptions.add(subscription);
    if (durable(spec)) {
      for (const writer of this.writers) {
        if (writer.spec.topicName !== spec.topicName || !durable(writer.spec)) continue;
        for (const [key, samples] of writer.history) {
          const keyHash = Uint8Array.from(Buffer.from(key, "hex"));
          for (const payload of samples) {
            queueMicrotask(() =>
              onSample({ payload, keyHash, disposed: false, writer: writer.name }),
            );
          }
        }
      }
    }
    return {
      subscription,
      port: {
        close: async () => {
          this.subscriptions.delete(subscription);
        },
      },
    };
  }
}
