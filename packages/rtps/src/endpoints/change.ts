import { bytesToHex } from "../wire/bytes.ts";
import type { SequenceNumber } from "../wire/sequence-number.ts";

export type InstanceState = "alive" | "disposed" | "unregistered";

/** A sample in a writer's history. */
export interface CacheChange {
  readonly sn: SequenceNumber;
  readonly instanceState: InstanceState;
  /** 16 bytes; undefined for unkeyed topics. */
  readonly keyHash: Uint8Array | undefined;
  /** Serialized data with its encapsulation header; for dispose/unregister, the serialized key or empty. */
  readonly payload: Uint8Array;
  readonly sourceTimestampMs: number;
  /** Pre-encoded inline QoS (key hash, status info) or undefined when there is none. */
  readonly inlineQos: Uint8Array | undefined;
}

export function keyHashToString(keyHash: Uint8Array | undefined): string {
  return keyHash ? bytesToHex(keyHash) : "";
}
