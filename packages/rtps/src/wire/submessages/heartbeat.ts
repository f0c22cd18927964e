import type { ByteReader, ByteWriter } from "../cursor.ts";
import { type EntityId, readEntityId, writeEntityId } from "../guid.ts";
import {
  readSequenceNumber,
  type SequenceNumber,
  writeSequenceNumber,
} from "../sequence-number.ts";
import { beginSubmessage, endSubmessage, SubmessageId } from "./framing.ts";

const FLAG_F = 0x02;
const FLAG_L = 0x04;

export interface HeartbeatSubmessage {
  readonly kind: "heartbeat";
  readonly readerId: EntityId;
  readonly writerId: EntityId;
  readonly firstSN: SequenceNumber;
  readonly lastSN: SequenceNumber;
  readonly count: number;
  readonly final: boolean;
  readonly liveliness: boolean;
}

export function readHeartbeat(r: ByteReader, flags: number): HeartbeatSubmessage {
  return {
    kind: "heartbeat",
    readerId: readEntityId(r),
    writerId: readEntityId(r),
    firstSN: readSequenceNumber(r),
    lastSN: readSequenceNumber(r),
    count: r.i32(),
    final: (flags & FLAG_F) !== 0,
    liveliness: (flags & FLAG_L) !== 0,
  };
}

export function writeHeartbeat(w: ByteWriter, hb: Omit<HeartbeatSubmessage, "kind">): void {
  const flags = (hb.final ? FLAG_F : 0) | (hb.liveliness ? FLAG_L : 0);
  const start = beginSubmessage(w, SubmessageId.heartbeat, flags);
  writeEntityId(w, hb.readerId);
  writeEntityId(w, hb.writerId);
  writeSequenceNumber(w, hb.firstSN);
  writeSequenceNumber(w, hb.lastSN);
  w.i32(hb.count);
  endSubmessage(w, start);
}
