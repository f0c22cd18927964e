import { type ByteReader, type ByteWriter, fail } from "../cursor.ts";
import { type EntityId, readEntityId, writeEntityId } from "../guid.ts";
import { type ParameterList, readParameterList } from "../parameter-list.ts";
import {
  readSequenceNumber,
  type SequenceNumber,
  writeSequenceNumber,
} from "../sequence-number.ts";
import { beginSubmessage, endSubmessage, SubmessageId } from "./framing.ts";

export const FLAG_Q = 0x02;
export const FLAG_D = 0x04;
export const FLAG_K = 0x08;

export interface DataSubmessage {
  readonly kind: "data";
  readonly readerId: EntityId;
  readonly writerId: EntityId;
  readonly writerSN: SequenceNumber;
  readonly inlineQos: ParameterList | undefined;
  /** Serialized data (D) or serialized key (K), encapsulation header included. */
  readonly payload: Uint8Array | undefined;
  readonly payloadIsKey: boolean;
}

export function readData(r: ByteReader, flags: number): DataSubmessage {
  r.u16(); // extraFlags
  const octetsToInlineQos = r.u16();
  const afterOctets = r.offset;
  const readerId = readEntityId(r);
  const writerId = readEntityId(r);
  const writerSN = readSequenceNumber(r);
  if (writerSN <= 0) fail("invalid-value", `DATA with sequence number ${writerSN}`);
  r.offset = afterOctets;
  r.skip(octetsToInlineQos);
  const inlineQos = flags & FLAG_Q ? readParameterList(r) : undefined;
  const hasPayload = (flags & (FLAG_D | FLAG_K)) !== 0;
  const payload = hasPayload ? r.bytes(r.remaining) : undefined;
  return {
    kind: "data",
    readerId,
    writerId,
    writerSN,
    inlineQos,
    payload,
    payloadIsKey: (flags & FLAG_D) === 0 && (flags & FLAG_K) !== 0,
  };
}

export interface DataToWrite {
  readonly readerId: EntityId;
  readonly writerId: EntityId;
  readonly writerSN: SequenceNumber;
  /** An encoded parameter list, sentinel included. */
  readonly inlineQos?: Uint8Array | undefined;
  readonly payload?: Uint8Array | undefined;
  readonly payloadIsKey?: boolean;
}

export function writeData(w: ByteWriter, d: DataToWrite): void {
  let flags = 0;
  if (d.inlineQos) flags |= FLAG_Q;
  if (d.payload) flags |= d.payloadIsKey ? FLAG_K : FLAG_D;
  const start = beginSubmessage(w, SubmessageId.data, flags);
  w.u16(0);
  w.u16(16);
  writeEntityId(w, d.readerId);
  writeEntityId(w, d.writerId);
  writeSequenceNumber(w, d.writerSN);
  if (d.inlineQos) w.bytes(d.inlineQos);
  if (d.payload) {
    w.bytes(d.payload);
    w.align(4, start);
  }
  endSubmessage(w, start);
}
