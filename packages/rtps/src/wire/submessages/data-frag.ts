import { type ByteReader, type ByteWriter, fail } from "../cursor.ts";
import { type EntityId, readEntityId, writeEntityId } from "../guid.ts";
import { type ParameterList, readParameterList } from "../parameter-list.ts";
import {
  readSequenceNumber,
  type SequenceNumber,
  writeSequenceNumber,
} from "../sequence-number.ts";
import { beginSubmessage, endSubmessage, SubmessageId } from "./framing.ts";

const FLAG_Q = 0x02;
const FLAG_K = 0x04;

export interface DataFragSubmessage {
  readonly kind: "data-frag";
  readonly readerId: EntityId;
  readonly writerId: EntityId;
  readonly writerSN: SequenceNumber;
  /** 1-based number of the first fragment carried. */
  readonly fragmentStartingNum: number;
  readonly fragmentsInSubmessage: number;
  readonly fragmentSize: number;
  readonly sampleSize: number;
  readonly inlineQos: ParameterList | undefined;
  readonly fragments: Uint8Array;
  readonly payloadIsKey: boolean;
}

export function readDataFrag(r: ByteReader, flags: number): DataFragSubmessage {
  r.u16();
  const octetsToInlineQos = r.u16();
  const afterOctets = r.offset;
  const readerId = readEntityId(r);
  const writerId = readEntityId(r);
  const writerSN = readSequenceNumber(r);
  const fragmentStartingNum = r.u32();
  const fragmentsInSubmessage = r.u16();
  const fragmentSize = r.u16();
  const sampleSize = r.u32();
  if (writerSN <= 0) fail("invalid-value", "DATA_FRAG with sequence number <= 0");
  // DDSI-RTPS 8.3.7.3.3: the first fragment carried must exist in the announced layout.
  if (
    fragmentSize === 0 ||
    sampleSize === 0 ||
    fragmentStartingNum < 1 ||
    fragmentStartingNum > Math.ceil(sampleSize / fragmentSize)
  )
    fail("invalid-value", "bad fragment numbering");
  r.offset = afterOctets;
  r.skip(octetsToInlineQos);
  const inlineQos = flags & FLAG_Q ? readParameterList(r) : undefined;
  const fragments = r.bytes(r.remaining);
  return {
    kind: "data-frag",
    readerId,
    writerId,
    writerSN,
    fragmentStartingNum,
    fragmentsInSubmessage,
    fragmentSize,
    sampleSize,
    inlineQos,
    fragments,
    payloadIsKey: (flags & FLAG_K) !== 0,
  };
}

export interface DataFragToWrite {
  readonly readerId: EntityId;
  readonly writerId: EntityId;
  readonly writerSN: SequenceNumber;
  readonly fragmentStartingNum: number;
  readonly fragmentsInSubmessage: number;
  readonly fragmentSize: number;
  readonly sampleSize: number;
  readonly inlineQos?: Uint8Array | undefined;
  readonly fragments: Uint8Array;
}

export function writeDataFrag(w: ByteWriter, d: DataFragToWrite): void {
  const start = beginSubmessage(w, SubmessageId.dataFrag, d.inlineQos ? FLAG_Q : 0);
  w.u16(0);
  w.u16(28);
  writeEntityId(w, d.readerId);
  writeEntityId(w, d.writerId);
  writeSequenceNumber(w, d.writerSN);
  w.u32(d.fragmentStartingNum);
  w.u16(d.fragmentsInSubmessage);
  w.u16(d.fragmentSize);
  w.u32(d.sampleSize);
  if (d.inlineQos) w.bytes(d.inlineQos);
  w.bytes(d.fragments);
  w.align(4, start);
  endSubmessage(w, start);
}
