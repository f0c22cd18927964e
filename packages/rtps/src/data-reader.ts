import type { EndpointDescription } from "./discovery/endpoint-description.ts";
import type { IncompatibleReason } from "./discovery/matching.ts";
import type { ReceivedSample, RtpsReader } from "./endpoints/reader.ts";
import { Emitter } from "./events.ts";
import type { RemoteEndpointInfo } from "./remote-endpoint.ts";
import { SampleQueue } from "./sample-queue.ts";
import { guidToString } from "./wire/guid.ts";

export interface DataReaderEvents {
  sample: (sample: ReceivedSample) => void;
  matched: (writer: RemoteEndpointInfo) => void;
  unmatched: (writer: RemoteEndpointInfo) => void;
  incompatible: (writer: RemoteEndpointInfo, reasons: readonly IncompatibleReason[]) => void;
}

/** The application's handle on one reader: `on("sample")` or `for await (const s of reader)`. */
export class DataReader extends Emitter<DataReaderEvents> implements AsyncIterable<ReceivedSample> {
  private readonly matched = new Map<string, RemoteEndpointInfo>();
  private readonly queues = new Set<SampleQueue>();
  private rtpsReader: RtpsReader | undefined;

  /** @internal Created by `Participant.createReader`. */
  constructor(
    readonly description: EndpointDescription,
    private readonly onClose: (r: DataReader) => void,
  ) {
    super();
  }

  get guid(): string {
    return guidToString(this.description.guid);
  }

  get topicName(): string {
    return this.description.topicName;
  }

  get matchedWriters(): readonly RemoteEndpointInfo[] {
    return [...this.matched.values()];
  }

  /** @internal */
  get rtps(): RtpsReader {
    if (!this.rtpsReader) throw new Error("reader not attached");
    return this.rtpsReader;
  }

  /** @internal */
  attach(r: RtpsReader): void {
    this.rtpsReader = r;
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<ReceivedSample> {
    const q = new SampleQueue(this.description.qos.history, this.description.keyed, () =>
      this.queues.delete(q),
    );
    this.queues.add(q);
    return q;
  }

  /** Resolves true when at least `count` writers are matched, false after `timeoutMs`. */
  async waitForMatched(count: number, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (this.matched.size < count) {
      const left = deadline - Date.now();
      if (left <= 0 || (await this.once("matched", left)) === undefined)
        return this.matched.size >= count;
    }
    return true;
  }

  close(): void {
    this.onClose(this);
  }

  /** @internal */
  handleSample(sample: ReceivedSample): void {
    for (const q of this.queues) q.push(sample);
    this.emit("sample", sample);
  }

  /** @internal */
  handleMatched(info: RemoteEndpointInfo): void {
    this.matched.set(info.guid, info);
    this.emit("matched", info);
  }

  /** @internal */
  handleUnmatched(info: RemoteEndpointInfo): void {
    if (this.matched.delete(info.guid)) this.emit("unmatched", info);
  }

  /** @internal */
  handleIncompatible(info: RemoteEndpointInfo, reasons: readonly IncompatibleReason[]): void {
    this.emit("incompatible", info, reasons);
  }

  /** @internal */
  handleClosed(): void {
    for (const q of this.queues) q.end();
    this.queues.clear();
    this.matched.clear();
    this.removeAllListeners();
  }
}
