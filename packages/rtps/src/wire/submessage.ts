import { asDecodeError, ByteReader, type DecodeError } from "./cursor.ts";
import { type AckNackSubmessage, readAckNack } from "./submessages/acknack.ts";
import { type DataSubmessage, readData } from "./submessages/data.ts";
import { type DataFragSubmessage, readDataFrag } from "./submessages/data-frag.ts";
import {
  type HeartbeatFragSubmessage,
  type NackFragSubmessage,
  readHeartbeatFrag,
  readNackFrag,
} from "./submessages/fragment-control.ts";
import { FLAG_E, SubmessageId } from "./submessages/framing.ts";
import { type GapSubmessage, readGap } from "./submessages/gap.ts";
import { type HeartbeatSubmessage, readHeartbeat } from "./submessages/heartbeat.ts";
import {
  type InfoDstSubmessage,
  type InfoReplySubmessage,
  type InfoSrcSubmessage,
  type InfoTsSubmessage,
  readInfoDst,
  readInfoReply,
  readInfoSrc,
  readInfoTs,
} from "./submessages/info.ts";

/** Submessages consumed by readers (writer-sent). */
export type WriterSubmessage =
  | DataSubmessage
  | DataFragSubmessage
  | GapSubmessage
  | HeartbeatSubmessage
  | HeartbeatFragSubmessage;

/** Submessages consumed by writers (reader-sent). */
export type ReaderSubmessage = AckNackSubmessage | NackFragSubmessage;

/** Submessages that only change the receiver's state. */
export type InterpreterSubmessage =
  | InfoTsSubmessage
  | InfoDstSubmessage
  | InfoSrcSubmessage
  | InfoReplySubmessage;

export type Submessage = WriterSubmessage | ReaderSubmessage | InterpreterSubmessage;

/** What the framing layer yields for each submessage slot in a datagram. */
export type SubmessageItem =
  | Submessage
  | { readonly kind: "pad" }
  | { readonly kind: "unknown"; readonly id: number }
  | { readonly kind: "invalid"; readonly id: number; readonly error: DecodeError };

const SUBMESSAGE_HEADER_LENGTH = 4;

function readBody(id: number, flags: number, r: ByteReader): SubmessageItem {
  switch (id) {
    case SubmessageId.data:
      return readData(r, flags);
    case SubmessageId.dataFrag:
      return readDataFrag(r, flags);
    case SubmessageId.heartbeat:
      return readHeartbeat(r, flags);
    case SubmessageId.acknack:
      return readAckNack(r, flags);
    case SubmessageId.gap:
      return readGap(r);
    case SubmessageId.nackFrag:
      return readNackFrag(r);
    case SubmessageId.heartbeatFrag:
      return readHeartbeatFrag(r);
    case SubmessageId.infoTs:
      return readInfoTs(r, flags);
    case SubmessageId.infoDst:
      return readInfoDst(r);
    case SubmessageId.infoSrc:
      return readInfoSrc(r);
    case SubmessageId.infoReply:
      return readInfoReply(r, flags);
    case SubmessageId.pad:
      return { kind: "pad" };
    default:
      // Includes vendor-specific ids (>= 0x80), which we never interpret.
      return { kind: "unknown", id };
  }
}

/**
 * Splits the submessages after the 20-byte header. A body that fails to decode
 * becomes an `invalid` item and the walk goes on; a length running past the
 * datagram ends the walk with an `invalid` item, as DDSI-RTPS §8.3.4.1 asks.
 */
export function readSubmessages(data: Uint8Array, start: number): SubmessageItem[] {
  const items: SubmessageItem[] = [];
  const reader = new ByteReader(data, true);
  let at = start;
  while (at < data.length) {
    if (data.length - at < SUBMESSAGE_HEADER_LENGTH) {
      items.push({
        kind: "invalid",
        id: data[at] ?? 0,
        error: { kind: "short", message: "truncated submessage header" },
      });
      break;
    }
    const id = data[at] ?? 0;
    const flags = data[at + 1] ?? 0;
    const littleEndian = (flags & FLAG_E) !== 0;
    const b2 = data[at + 2] ?? 0;
    const b3 = data[at + 3] ?? 0;
    const length = littleEndian ? b2 | (b3 << 8) : (b2 << 8) | b3;
    const bodyStart = at + SUBMESSAGE_HEADER_LENGTH;
    // Zero means "to the end of the message" except for PAD and INFO_TS, which may be empty.
    const runsToEnd = length === 0 && id !== SubmessageId.pad && id !== SubmessageId.infoTs;
    const bodyEnd = runsToEnd ? data.length : bodyStart + length;
    if (bodyEnd > data.length) {
      items.push({
        kind: "invalid",
        id,
        error: {
          kind: "bad-length",
          message: `submessage 0x${id.toString(16)} runs past datagram`,
        },
      });
      break;
    }
    reader.range(bodyStart, bodyEnd, littleEndian);
    // Inline rather than `guard(() => ...)`: a closure and a Result per submessage were
    // most of the receive path's garbage.
    try {
      items.push(readBody(id, flags, reader));
    } catch (e) {
      const error = asDecodeError(e);
      if (!error) throw e;
      items.push({ kind: "invalid", id, error });
    }
    at = bodyEnd;
  }
  return items;
}
