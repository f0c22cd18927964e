import { type ByteReader, type ByteWriter, fail, failWith, prepareFailure } from "../cursor.ts";
import { type EntityId, readEntityId, writeEntityId } from "../guid.ts";
import {
  MAX_SET_BITS,
  readSequenceNumber,
  type SequenceNumber,
  writeBitmap,
  writeSequenceNumber,
} from "../sequence-number.ts";
import { beginSubmessage, endSubmessage, SubmessageId } from "./framing.ts";

/** FragmentNumberSet: like an SN set but with a 32-bit base. */
export interface FragmentNumberSet {
  readonly base: number;
  readonly numBits: number;
  readonly members: readonly number[];
}

export interface NackFragSubmessage {
  readonly kind: "nack-frag";
  readonly readerId: EntityId;
  readonly writerId: EntityId;
  readonly writerSN: SequenceNumber;
  readonly fragmentNumberState: FragmentNumberSet;
  readonly count: number;
}

export interface HeartbeatFragSubmessage {
  readonly kind: "heartbeat-frag";
  readonly readerId: EntityId;
  readonly writerId: EntityId;
  readonly writerSN: SequenceNumber;
  readonly lastFragmentNum: number;
  readonly count: number;
}

/** Fragment numbers are 32-bit unsigned and start at 1. */
const MAX_FRAGMENT_NUMBER = 0xffff_ffff;
const SET_OUT_OF_RANGE = prepareFailure("out-of-range", "fragment number set passes 2^32 - 1");
const BAD_NACK_FRAG = prepareFailure("invalid-value", "NACK_FRAG with sequence number 0");
const BAD_HEARTBEAT_FRAG = prepareFailure("invalid-value", "HEARTBEAT_FRAG sequence or fragment 0");

function readFragmentNumberSet(r: ByteReader): FragmentNumberSet {
  const base = r.u32();
  const numBits = r.u32();
  if (numBits > MAX_SET_BITS) fail("invalid-value", `numBits ${numBits} > 256`);
  if (base < 1) fail("invalid-value", "fragment number set with base 0");
  if (base + numBits > MAX_FRAGMENT_NUMBER + 1) failWith(SET_OUT_OF_RANGE);
  const members: number[] = [];
  const words = (numBits + 31) >>> 5;
  for (let w = 0; w < words; w++) {
    const word = r.u32();
    for (let bit = 0; bit < 32; bit++) {
      const i = w * 32 + bit;
      if (i >= numBits) break;
      if ((word >>> (31 - bit)) & 1) members.push(base + i);
    }
  }
  return { base, numBits, members };
}

export function readNackFrag(r: ByteReader): NackFragSubmessage {
  const readerId = readEntityId(r);
  const writerId = readEntityId(r);
  const writerSN = readSequenceNumber(r);
  if (writerSN < 1) failWith(BAD_NACK_FRAG);
  return {
    kind: "nack-frag",
    readerId,
    writerId,
    writerSN,
    fragmentNumberState: readFragmentNumberSet(r),
    count: r.i32(),
  };
}

export function writeNackFrag(w: ByteWriter, n: Omit<NackFragSubmessage, "kind">): void {
  const start = beginSubmessage(w, SubmessageId.nackFrag, 0);
  writeEntityId(w, n.readerId);
  writeEntityId(w, n.writerId);
  writeSequenceNumber(w, n.writerSN);
  w.u32(n.fragmentNumberState.base);
  writeBitmap(
    w,
    n.fragmentNumberState.base,
    n.fragmentNumberState.numBits,
    n.fragmentNumberState.members,
  );
  w.i32(n.count);
  endSubmessage(w, start);
}

export function readHeartbeatFrag(r: ByteReader): HeartbeatFragSubmessage {
  const readerId = readEntityId(r);
  const writerId = readEntityId(r);
  const writerSN = readSequenceNumber(r);
  const lastFragmentNum = r.u32();
  // DDSI-RTPS 8.3.7.6.3.
  if (writerSN < 1 || lastFragmentNum < 1) failWith(BAD_HEARTBEAT_FRAG);
  return { kind: "heartbeat-frag", readerId, writerId, writerSN, lastFragmentNum, count: r.i32() };
}

export function writeHeartbeatFrag(w: ByteWriter, h: Omit<HeartbeatFragSubmessage, "kind">): void {
  const start = beginSubmessage(w, SubmessageId.heartbeatFrag, 0);
  writeEntityId(w, h.readerId);
  writeEntityId(w, h.writerId);
  writeSequenceNumber(w, h.writerSN);
  w.u32(h.lastFragmentNum);
  w.i32(h.count);
  endSubmessage(w, start);
}
