import type { ByteReader, ByteWriter } from "../cursor.ts";
import { type GuidPrefix, readPrefix } from "../guid.ts";
import type { ProtocolVersion } from "../header.ts";
import { type Locator, readLocator } from "../locator.ts";
import { readTimeMs, writeTimeMs } from "../time.ts";
import { beginSubmessage, endSubmessage, SubmessageId } from "./framing.ts";

const FLAG_I = 0x02;
const FLAG_M = 0x02;

/** Interpreter submessages: they change the receiver's state, not an endpoint's. */
export interface InfoTsSubmessage {
  readonly kind: "info-ts";
  /** Undefined when the I flag invalidates the timestamp. */
  readonly timestampMs: number | undefined;
}

export interface InfoDstSubmessage {
  readonly kind: "info-dst";
  readonly guidPrefix: GuidPrefix;
}

export interface InfoSrcSubmessage {
  readonly kind: "info-src";
  readonly version: ProtocolVersion;
  readonly vendorId: number;
  readonly guidPrefix: GuidPrefix;
}

export interface InfoReplySubmessage {
  readonly kind: "info-reply";
  readonly unicast: readonly Locator[];
  readonly multicast: readonly Locator[];
}

export function readInfoTs(r: ByteReader, flags: number): InfoTsSubmessage {
  if (flags & FLAG_I) return { kind: "info-ts", timestampMs: undefined };
  return { kind: "info-ts", timestampMs: readTimeMs(r) };
}

export function writeInfoTs(w: ByteWriter, timestampMs: number): void {
  const start = beginSubmessage(w, SubmessageId.infoTs, 0);
  writeTimeMs(w, timestampMs);
  endSubmessage(w, start);
}

export function readInfoDst(r: ByteReader): InfoDstSubmessage {
  return { kind: "info-dst", guidPrefix: readPrefix(r) };
}

export function writeInfoDst(w: ByteWriter, prefix: GuidPrefix): void {
  const start = beginSubmessage(w, SubmessageId.infoDst, 0);
  w.bytes(prefix);
  endSubmessage(w, start);
}

export function readInfoSrc(r: ByteReader): InfoSrcSubmessage {
  r.u32(); // unused
  const major = r.u8();
  const minor = r.u8();
  const vendorId = (r.u8() << 8) | r.u8();
  return {
    kind: "info-src",
    version: { major, minor },
    vendorId,
    guidPrefix: readPrefix(r),
  };
}

const MAX_REPLY_LOCATORS = 64;

function readLocatorList(r: ByteReader): Locator[] {
  const n = Math.min(r.u32(), MAX_REPLY_LOCATORS);
  const out: Locator[] = [];
  for (let i = 0; i < n; i++) out.push(readLocator(r));
  return out;
}

export function readInfoReply(r: ByteReader, flags: number): InfoReplySubmessage {
  const unicast = readLocatorList(r);
  const multicast = flags & FLAG_M ? readLocatorList(r) : [];
  return { kind: "info-reply", unicast, multicast };
}
