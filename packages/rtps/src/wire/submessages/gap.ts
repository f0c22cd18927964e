import type { ByteReader, ByteWriter } from "../cursor.ts";
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

/** [gapStart, gapList.base) are irrelevant, and so is every member of gapList. */
export interface GapSubmessage {
  readonly kind: "gap";
  readonly readerId: EntityId;
  readonly writerId: EntityId;
  readonly gapStart: SequenceNumber;
  readonly gapList: SequenceNumberSet;
}

export function readGap(r: ByteReader): GapSubmessage {
  return {
    kind: "gap",
    readerId: readEntityId(r),
    writerId: readEntityId(r),
    gapStart: readSequenceNumber(r),
    gapList: readSequenceNumberSet(r),
  };
}

export function writeGap(w: ByteWriter, g: Omit<GapSubmessage, "kind">): void {
  const start = beginSubmessage(w, SubmessageId.gap, 0);
  writeEntityId(w, g.readerId);
  writeEntityId(w, g.writerId);
  writeSequenceNumber(w, g.gapStart);
  writeSequenceNumberSet(w, g.gapList);
  endSubmessage(w, start);
}
