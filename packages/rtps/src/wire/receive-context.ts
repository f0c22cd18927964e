import type { GuidPrefix } from "./guid.ts";

/**
 * Where a submessage came from, after the INFO_SRC/INFO_TS/INFO_DST before it in its message
 * were applied (DDSI-RTPS §8.3.4, the receiver's state). Here, not beside the receiver, because
 * what consumes submessages (discovery, the early-traffic store) reads it too.
 */
export interface ReceiveContext {
  readonly sourcePrefix: GuidPrefix;
  readonly sourceVendorId: number;
  readonly timestampMs: number | undefined;
}
