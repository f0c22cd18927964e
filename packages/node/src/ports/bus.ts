import type { EndpointQos } from "@wattprint/messages";

/**
 * The only thing the node runtime knows of transport. Payloads are serialized samples
 * (encapsulation header included): adapters move bytes, the runtime owns the codecs, so a
 * memory bus exercises the same encode/decode path as the RTPS one.
 */
export interface TopicSpec {
  readonly topicName: string;
  readonly typeName: string;
  readonly keyed: boolean;
  readonly qos: EndpointQos;
}

export interface BusSample {
  readonly payload: Uint8Array;
  /** 16-byte instance key hash, when the writer sent one. */
  readonly keyHash?: Uint8Array | undefined;
  /** True for dispose/unregister notifications; such samples carry no data. */
  readonly disposed: boolean;
  /** Identifies the remote writer, for logs. */
  readonly writer: string;
}

export interface BusWriter {
  write(payload: Uint8Array, keyHash: Uint8Array): Promise<void>;
  dispose(keyHash: Uint8Array): Promise<void>;
  /** Stops updating an instance; its history may then be reclaimed (resource limits). */
  unregister(keyHash: Uint8Array): Promise<void>;
  close(): Promise<void>;
}

export interface BusReader {
  close(): Promise<void>;
}

export interface BusPort {
  /** The participant name peers see (the orchestrator maps it to a node id). */
  readonly participantName: string;
  /** Where the bus listens, for the startup log (e.g. "rtps domain 0 on 127.0.0.1"). */
  describe(): string;
  openWriter(spec: TopicSpec): Promise<BusWriter>;
  openReader(spec: TopicSpec, onSample: (sample: BusSample) => void): Promise<BusReader>;
  close(): Promise<void>;
}
