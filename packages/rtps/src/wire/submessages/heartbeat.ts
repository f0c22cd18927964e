import { type ByteReader, type ByteWriter, failWith, prepareFailure } from "../cursor.ts";
import { type EntityId, readEntityId, writeEntityId } from "../guid.ts";
import {
  readSequenceNumber,
  type SequenceNumber,
  writeSequenceNumber,
} from "../sequence-number.ts";
import { beginSubmessage, endSubmessage, SubmessageId } from "./framing.ts";

const FLAG_F = 0x02;
const FLAG_L = 0x04;
const BAD_RANGE = prepareFailure("invalid-value", "HEARTBEAT with first < 1 or last < first - 1");

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
  const readerId = readEntityId(r);
  const writerId = readEntityId(r);
  const firstSN = readSequenceNumber(r);
  const lastSN = readSequenceNumber(r);
  // DDSI-RTPS 8.3.7.5.3: firstSN >= 1, and lastSN = firstSN - 1 at the least (nothing held).
  if (firstSN < 1 || lastSN < firstSN - 1) failWith(BAD_RANGE);
  return {
    kind: "heartbeat",
    readerId,
    writerId,
    firstSN,
    lastSN,
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
