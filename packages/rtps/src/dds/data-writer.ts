import type { Result } from "@wattprint/result";
import type { EndpointDescription } from "../discovery/endpoint-description.ts";
import type { RemoteEndpointInfo } from "../discovery/remote-endpoint.ts";
import type { RtpsWriter, WriteError, WriteOptions } from "../endpoints/writer.ts";
import type { SequenceNumber } from "../wire/sequence-number.ts";
import { type MatchEvents, UserEndpoint } from "./user-endpoint.ts";

/** Writers emit only the match events; `remote` is a matched reader. */
export type DataWriterEvents = MatchEvents;

/** The application's handle on one writer. Payloads are opaque bytes (encapsulation header included). */
export class DataWriter extends UserEndpoint<DataWriterEvents> {
  /** @internal Created by `Participant.createWriter`. */
  constructor(
    description: EndpointDescription,
    readonly rtps: RtpsWriter,
    private readonly onClose: (w: DataWriter) => void,
  ) {
    super(description);
  }

  get matchedReaders(): readonly RemoteEndpointInfo[] {
    return this.matched;
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
    const deadline = performance.now() + this.description.qos.maxBlockingTimeMs;
    for (;;) {
      const r = this.rtps.write(payload, options);
      const left = deadline - performance.now();
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

  close(): void {
    this.onClose(this);
  }
}
