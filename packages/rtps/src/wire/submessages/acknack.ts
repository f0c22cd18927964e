import type { ByteReader, ByteWriter } from "../cursor.ts";
import { type EntityId, readEntityId, writeEntityId } from "../guid.ts";
import {
  readSequenceNumberSet,
  type SequenceNumberSet,
  writeSequenceNumberSet,
} from "../sequence-number.ts";
import { beginSubmessage, endSubmessage, SubmessageId } from "./framing.ts";

const FLAG_F = 0x02;

export interface AckNackSubmessage {
  readonly kind: "acknack";
  readonly readerId: EntityId;
  readonly writerId: EntityId;
  /** Everything below `base` is acknowledged; members are requested again. */
  readonly readerSNState: SequenceNumberSet;
  readonly count: number;
  readonly final: boolean;
}

/** A base of 0 is accepted: Fast DDS's preemptive ACKNACK carries one. */
export function readAckNack(r: ByteReader, flags: number): AckNackSubmessage {
  return {
    kind: "acknack",
    readerId: readEntityId(r),
    writerId: readEntityId(r),
    readerSNState: readSequenceNumberSet(r),
    count: r.i32(),
    final: (flags & FLAG_F) !== 0,
  };
}

export function writeAckNack(w: ByteWriter, a: Omit<AckNackSubmessage, "kind">): void {
  const start = beginSubmessage(w, SubmessageId.acknack, a.final ? FLAG_F : 0);
  writeEntityId(w, a.readerId);
  writeEntityId(w, a.writerId);
  writeSequenceNumberSet(w, a.readerSNState);
  w.i32(a.count);
  endSubmessage(w, start);
}
