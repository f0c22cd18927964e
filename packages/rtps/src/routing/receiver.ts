import type { GuidPrefix } from "../wire/guid.ts";
import { isZeroPrefix, prefixEquals } from "../wire/guid.ts";
import { decodeMessage } from "../wire/message.ts";
import type { ReceiveContext } from "../wire/receive-context.ts";
import type { ReaderSubmessage, WriterSubmessage } from "../wire/submessage.ts";

/** The participant side of the receiver: RustDDS's Writer/Reader submessage groups. */
export interface ReceiverSink {
  /** DATA, DATA_FRAG, GAP, HEARTBEAT, HEARTBEAT_FRAG: for our readers. */
  onWriterSubmessage(m: WriterSubmessage, ctx: ReceiveContext): void;
  /** ACKNACK, NACK_FRAG: for our writers. */
  onReaderSubmessage(m: ReaderSubmessage, ctx: ReceiveContext): void;
  /** Before the submessages of each message from another participant: its header's prefix and size. */
  onMessage?(sourcePrefix: GuidPrefix, bytes: number): void;
  /** The first INFO_DST of that message that names us (its sender knows our GUID prefix). */
  onAddressedToUs?(sourcePrefix: GuidPrefix): void;
}

export type DropReason =
  | "not-rtps"
  | "truncated-header"
  | "bad-version"
  | "own-message"
  | "invalid-submessage"
  /** A submessage carrying a number the stack does not count (an SN above 2^52, a negative SN). */
  | "out-of-range"
  | "unknown-submessage"
  | "vendor-submessage"
  | "not-for-us"
  | "handler-error"
  /** The source address is outside the participant's `allowedPeers`. */
  | "peer-not-allowed";

export interface ReceiverCounters {
  datagramsReceived: number;
  bytesReceived: number;
  submessagesReceived: number;
  dropped: Record<DropReason, number>;
}

export function emptyReceiverCounters(): ReceiverCounters {
  return {
    datagramsReceived: 0,
    bytesReceived: 0,
    submessagesReceived: 0,
    dropped: {
      "not-rtps": 0,
      "truncated-header": 0,
      "bad-version": 0,
      "own-message": 0,
      "invalid-submessage": 0,
      "out-of-range": 0,
      "unknown-submessage": 0,
      "vendor-submessage": 0,
      "not-for-us": 0,
      "handler-error": 0,
      "peer-not-allowed": 0,
    },
  };
}

/**
 * Interprets one datagram (DDSI-RTPS §8.3.4): keeps the INFO_* state, routes the
 * rest to the sink, and counts everything it skips. It never throws.
 */
export class Receiver {
  readonly counters = emptyReceiverCounters();

  constructor(
    private readonly ownPrefix: GuidPrefix,
    private readonly sink: ReceiverSink,
  ) {}

  /** Counts a datagram the participant refused before reading it. */
  refuse(data: Uint8Array, reason: DropReason): void {
    this.counters.datagramsReceived++;
    this.counters.bytesReceived += data.length;
    this.counters.dropped[reason]++;
  }

  receive(data: Uint8Array): void {
    this.counters.datagramsReceived++;
    this.counters.bytesReceived += data.length;
    const decoded = decodeMessage(data);
    if (!decoded.ok) {
      const k = decoded.error.kind;
      this.counters.dropped[
        k === "bad-magic" ? "not-rtps" : k === "short" ? "truncated-header" : "bad-version"
      ]++;
      return;
    }
    const { header, items } = decoded.value;
    if (prefixEquals(header.guidPrefix, this.ownPrefix)) {
      // Our own multicast looped back.
      this.counters.dropped["own-message"]++;
      return;
    }
    this.sink.onMessage?.(header.guidPrefix, data.length);
    let sourcePrefix = header.guidPrefix;
    let sourceVendorId = header.vendorId;
    let timestampMs: number | undefined;
    let forUs = true;
    let addressedToUs = false;
    // One context per run of submessages with the same INFO_* state, not one per submessage.
    let ctx: ReceiveContext | undefined;
    for (const item of items) {
      this.counters.submessagesReceived++;
      switch (item.kind) {
        case "info-ts":
          timestampMs = item.timestampMs;
          ctx = undefined;
          break;
        case "info-dst":
          if (prefixEquals(item.guidPrefix, this.ownPrefix)) {
            forUs = true;
            if (!addressedToUs) {
              addressedToUs = true;
              this.sink.onAddressedToUs?.(header.guidPrefix);
            }
          } else forUs = isZeroPrefix(item.guidPrefix);
          break;
        case "info-src":
          sourcePrefix = item.guidPrefix;
          sourceVendorId = item.vendorId;
          timestampMs = undefined;
          forUs = true;
          ctx = undefined;
          break;
        case "info-reply":
        case "pad":
          break;
        case "unknown":
          this.counters.dropped[item.id >= 0x80 ? "vendor-submessage" : "unknown-submessage"]++;
          break;
        case "invalid":
          this.counters.dropped[
            item.error.kind === "out-of-range" ? "out-of-range" : "invalid-submessage"
          ]++;
          break;
        case "acknack":
        case "nack-frag":
          if (!forUs) this.counters.dropped["not-for-us"]++;
          else {
            // Inline try/catch: a closure per submessage was measurable garbage.
            try {
              ctx ??= { sourcePrefix, sourceVendorId, timestampMs };
              this.sink.onReaderSubmessage(item, ctx);
            } catch {
              this.counters.dropped["handler-error"]++;
            }
          }
          break;
        default:
          if (!forUs) this.counters.dropped["not-for-us"]++;
          else {
            try {
              ctx ??= { sourcePrefix, sourceVendorId, timestampMs };
              this.sink.onWriterSubmessage(item, ctx);
            } catch {
              // A bug in a handler must not kill the socket loop; it is counted, the walk goes on.
              this.counters.dropped["handler-error"]++;
            }
          }
      }
    }
  }
}
