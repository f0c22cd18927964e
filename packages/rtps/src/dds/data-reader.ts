import type { EndpointDescription } from "../discovery/endpoint-description.ts";
import type { RemoteEndpointInfo } from "../discovery/remote-endpoint.ts";
import type { ReceivedSample, RtpsReader } from "../endpoints/reader.ts";
import { SampleQueue } from "./sample-queue.ts";
import { type MatchEvents, UserEndpoint } from "./user-endpoint.ts";

/** Readers emit their samples besides the match events; `remote` is a matched writer. */
export interface DataReaderEvents extends MatchEvents {
  sample: (sample: ReceivedSample) => void;
}

/** The application's handle on one reader: `on("sample")` or `for await (const s of reader)`. */
export class DataReader
  extends UserEndpoint<DataReaderEvents>
  implements AsyncIterable<ReceivedSample>
{
  private readonly queues = new Set<SampleQueue>();
  private rtpsReader: RtpsReader | undefined;
  /** Samples an iterator's queue was full for (see `SampleQueue`). */
  private queueDropped = 0;
  private readonly queueCapacity: number;

  /** @internal Created by `Participant.createReader`. */
  constructor(
    description: EndpointDescription,
    private readonly onClose: (r: DataReader) => void,
    maxQueuedSamples: number = Number.POSITIVE_INFINITY,
  ) {
    super(description);
    this.queueCapacity = Math.max(
      1,
      Math.min(description.qos.resourceLimits.maxSamples, maxQueuedSamples),
    );
  }

  /** Samples dropped because an iterator's unconsumed queue was full. */
  get samplesDroppedQueueFull(): number {
    return this.queueDropped;
  }

  get matchedWriters(): readonly RemoteEndpointInfo[] {
    return this.matched;
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
    const q = new SampleQueue(
      this.description.qos.history,
      this.description.keyed,
      () => this.queues.delete(q),
      this.queueCapacity,
      () => {
        this.queueDropped++;
      },
    );
    this.queues.add(q);
    return q;
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
  override handleClosed(): void {
    for (const q of this.queues) q.end();
    this.queues.clear();
    super.handleClosed();
  }
}
