import { type ByteReader, type ByteWriter, fail } from "./cursor.ts";
import { type GuidPrefix, readPrefix } from "./guid.ts";

export const RTPS_HEADER_LENGTH = 20;

export interface ProtocolVersion {
  readonly major: number;
  readonly minor: number;
}

export interface MessageHeader {
  readonly version: ProtocolVersion;
  readonly vendorId: number;
  readonly guidPrefix: GuidPrefix;
}

export const PROTOCOL_VERSION: ProtocolVersion = { major: 2, minor: 3 };

/** "RTPS" as a big-endian u32; anything else (RTI's RTPX, stray traffic) is dropped. */
const MAGIC = 0x52545053;

export function readHeader(r: ByteReader): MessageHeader {
  if (r.remaining < RTPS_HEADER_LENGTH) fail("short", "datagram shorter than an RTPS header");
  if (r.u32be() !== MAGIC) fail("bad-magic", "not an RTPS datagram");
  const major = r.u8();
  const minor = r.u8();
  if (major !== 2) fail("invalid-value", `unsupported protocol major version ${major}`);
  const vendorId = (r.u8() << 8) | r.u8();
  const guidPrefix = readPrefix(r);
  return { version: { major, minor }, vendorId, guidPrefix };
}

export function writeHeader(w: ByteWriter, vendorId: number, prefix: GuidPrefix): void {
  w.u32be(MAGIC);
  w.u8(PROTOCOL_VERSION.major);
  w.u8(PROTOCOL_VERSION.minor);
  w.u8((vendorId >> 8) & 0xff);
  w.u8(vendorId & 0xff);
  w.bytes(prefix);
}
