import type { EndpointDescription } from "./discovery/endpoint-description.ts";
import type { IncompatibleReason } from "./discovery/matching.ts";
import type { RtpsWriter, WriteError, WriteOptions } from "./endpoints/writer.ts";
import { Emitter } from "./events.ts";
import type { RemoteEndpointInfo } from "./remote-endpoint.ts";
import type { Result } from "./result.ts";
import { guidToString } from "./wire/guid.ts";
import type { SequenceNumber } from "./wire/sequence-number.ts";

export interface DataWriterEvents {
  matched: (reader: RemoteEndpointInfo) => void;
  unmatched: (reader: RemoteEndpointInfo) => void;
  /** Same topic, but QoS or kind rules refuse the pair. */
  incompatible: (reader: RemoteEndpointInfo, reasons: readonly IncompatibleReason[]) => void;
}

/** The application's handle on one writer. Payloads are opaque bytes (encapsulation header included). */
export class DataWriter extends Emitter<DataWriterEvents> {
  private readonly matched = new Map<string, RemoteEndpointInfo>();

  /** @internal Created by `Participant.createWriter`. */
  constructor(
    readonly description: EndpointDescription,
    readonly rtps: RtpsWriter,
    private readonly onClose: (w: DataWriter) => void,
  ) {
    super();
  }

  get guid(): string {
    return guidToString(this.description.guid);
  }

  get topicName(): string {
    return this.description.topicName;
  }

  get matchedReaders(): readonly RemoteEndpointInfo[] {
    return [...this.matched.values()];
  }

  /** Writes a sample; keyed writers need `keyHash` (16 bytes). Never throws on the network's behalf. */
  write(payload: Uint8Array, options: WriteOptions = {}): Result<SequenceNumber, WriteError> {
    return this.rtps.write(payload, options);
  }

  /**
   * Like `write`, but when a KEEP_ALL history is full it waits for readers to
   * acknowledge (up to the reliability max_blocking_time), as a DDS write blocks.
   */
  async writeAsync(
    payload: Uint8Array,
    options: WriteOptions = {},
  ): Promise<Result<SequenceNumber, WriteError>> {
    const deadline = Date.now() + this.description.qos.maxBlockingTimeMs;
    for (;;) {
      const r = this.rtps.write(payload, options);
      const left = deadline - Date.now();
      if (r.ok || r.error.kind !== "out-of-resources" || left <= 0) return r;
      await this.rtps.nextAckProgress(left);
    }
  }

  /** Disposes an instance; `serializedKey` is optional (readers identify it by the key hash). */
  dispose(keyHash: Uint8Array, serializedKey?: Uint8Array): Result<SequenceNumber, WriteError> {
    return this.rtps.retire("disposed", { keyHash }, serializedKey);
  }

  unregister(keyHash: Uint8Array, serializedKey?: Uint8Array): Result<SequenceNumber, WriteError> {
    return this.rtps.retire("unregistered", { keyHash }, serializedKey);
  }

  /** True once every matched reliable reader acknowledged everything written. */
  waitForAcknowledgments(timeoutMs: number): Promise<boolean> {
    return this.rtps.waitForAcknowledgments(timeoutMs);
  }

  /** Resolves true when at least `count` readers are matched, false after `timeoutMs`. */
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

  /** @internal Called by the participant. */
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
    this.matched.clear();
    this.removeAllListeners();
  }
}
