import { type ByteReader, type ByteWriter, failWith, prepareFailure } from "../cursor.ts";
import { type EntityId, readEntityId, writeEntityId } from "../guid.ts";
import {
  readSequenceNumber,
  readSequenceNumberSet,
  type SequenceNumber,
  type SequenceNumberSet,
  writeSequenceNumber,
  writeSequenceNumberSet,
} from "../sequence-number.ts";
import { beginSubmessage, endSubmessage, SubmessageId } from "./framing.ts";

const BAD_RANGE = prepareFailure("invalid-value", "GAP with a start or list base below 1");

/** [gapStart, gapList.base) are irrelevant, and so is every member of gapList. */
export interface GapSubmessage {
  readonly kind: "gap";
  readonly readerId: EntityId;
  readonly writerId: EntityId;
  readonly gapStart: SequenceNumber;
  readonly gapList: SequenceNumberSet;
}

export function readGap(r: ByteReader): GapSubmessage {
  const readerId = readEntityId(r);
  const writerId = readEntityId(r);
  const gapStart = readSequenceNumber(r);
  const gapList = readSequenceNumberSet(r);
  // DDSI-RTPS 8.3.7.4.3 and 8.3.5.5: SNs start at 1.
  if (gapStart < 1 || gapList.base < 1) failWith(BAD_RANGE);
  return { kind: "gap", readerId, writerId, gapStart, gapList };
}

export function writeGap(w: ByteWriter, g: Omit<GapSubmessage, "kind">): void {
  const start = beginSubmessage(w, SubmessageId.gap, 0);
  writeEntityId(w, g.readerId);
  writeEntityId(w, g.writerId);
  writeSequenceNumber(w, g.gapStart);
  writeSequenceNumberSet(w, g.gapList);
  endSubmessage(w, start);
}
