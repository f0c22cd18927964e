/*
 * Hand-built RTPS datagrams for hostile-peer tests: a forged participant's SPDP announcement
 * and the writer submessages (HEARTBEAT, GAP, DATA_FRAG) it can follow up with, every field
 * chosen by the test. Written from DDSI-RTPS 2.3 §8.3/§9.4 on purpose without the code under
 * test, so a bug in its encoders cannot hide the same bug in its decoders. Little-endian
 * submessages (E flag set), as Fast DDS sends them.
 */

/** 4-byte entity ids, written big-endian on the wire whatever the submessage's endianness. */
export const EntityId = {
  unknown: 0x00000000,
  participant: 0x000001c1,
  spdpWriter: 0x000100c2,
  spdpReader: 0x000100c7,
  sedpPublicationsWriter: 0x000003c2,
  sedpPublicationsReader: 0x000003c7,
  sedpSubscriptionsWriter: 0x000004c2,
  sedpSubscriptionsReader: 0x000004c7,
} as const;

/** Fast DDS's vendor id (eProsima), the one the brief's captured template carries. */
export const VENDOR_EPROSIMA = 0x010f;

/** SPDP, SEDP publications and subscriptions announcers and detectors (bits 0-5). */
export const SPDP_SEDP_ENDPOINTS = 0x3f;

/** An RTPS timestamp: seconds since 1970 and a fraction of 2^32 per second. */
export interface RtpsTime {
  readonly seconds: number;
  readonly fraction: number;
}

export function rtpsTimeOf(epochMs: number): RtpsTime {
  const seconds = Math.floor(epochMs / 1000);
  return { seconds, fraction: Math.floor(((epochMs - seconds * 1000) / 1000) * 2 ** 32) };
}

/** A 12-byte guid prefix `fa ce 00 00 | n (u32 BE) | de ad be ef`: distinct per `n`. */
export function forgedGuidPrefix(n: number): Uint8Array {
  const prefix = new Uint8Array(12);
  const view = new DataView(prefix.buffer);
  view.setUint32(0, 0xface0000);
  view.setUint32(4, n >>> 0);
  view.setUint32(8, 0xdeadbeef);
  return prefix;
}

/** Growable little-endian writer; a test helper, so clarity over speed. */
class Bytes {
  private buf = new Uint8Array(256);
  private view = new DataView(this.buf.buffer);
  length = 0;

  private room(n: number): void {
    if (this.length + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.length + n));
    next.set(this.buf);
    this.buf = next;
    this.view = new DataView(next.buffer);
  }
  u8(v: number): void {
    this.room(1);
    this.view.setUint8(this.length, v);
    this.length += 1;
  }
  u16(v: number): void {
    this.room(2);
    this.view.setUint16(this.length, v, true);
    this.length += 2;
  }
  u32(v: number): void {
    this.room(4);
    this.view.setUint32(this.length, v >>> 0, true);
    this.length += 4;
  }
  u16At(offset: number, v: number): void {
    this.view.setUint16(offset, v, true);
  }
  /** Big-endian, for entity ids. */
  u32be(v: number): void {
    this.room(4);
    this.view.setUint32(this.length, v >>> 0, false);
    this.length += 4;
  }
  bytes(b: Uint8Array): void {
    this.room(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
  }
  pad4(): void {
    while (this.length % 4 !== 0) this.u8(0);
  }
  /** DDSI-RTPS SequenceNumber_t: high i32, low u32. */
  sequenceNumber(sn: bigint): void {
    this.u32(Number((sn >> 32n) & 0xffffffffn));
    this.u32(Number(sn & 0xffffffffn));
  }
  finish(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

function header(w: Bytes, guidPrefix: Uint8Array, vendorId: number): void {
  if (guidPrefix.length !== 12) throw new Error("a guid prefix has 12 bytes");
  w.bytes(new TextEncoder().encode("RTPS"));
  w.u8(2);
  w.u8(3);
  w.u8(vendorId >> 8);
  w.u8(vendorId & 0xff);
  w.bytes(guidPrefix);
}

/** Opens a submessage; returns where its length goes for `endSubmessage`. */
function beginSubmessage(w: Bytes, id: number, flags: number): number {
  w.u8(id);
  w.u8(flags | 0x01);
  const at = w.length;
  w.u16(0);
  return at;
}

function endSubmessage(w: Bytes, lengthAt: number): void {
  w.pad4();
  w.u16At(lengthAt, w.length - lengthAt - 2);
}

function parameter(w: Bytes, pid: number, value: (w: Bytes) => void): void {
  w.u16(pid);
  const at = w.length;
  w.u16(0);
  value(w);
  w.pad4();
  w.u16At(at, w.length - at - 2);
}

function udpV4Locator(w: Bytes, port: number, address: readonly number[]): void {
  w.u32(1);
  w.u32(port);
  for (let i = 0; i < 12; i++) w.u8(0);
  for (const octet of address) w.u8(octet);
}

export interface ForgedParticipantOptions {
  readonly guidPrefix: Uint8Array;
  readonly domainId: number;
  /** Where the forged participant asks for metatraffic (SPDP/SEDP) to be sent. */
  readonly metatrafficUnicastPort: number;
  /** Where it asks for user traffic to be sent. */
  readonly defaultUnicastPort: number;
  /** IPv4 octets of both locators; default 127.0.0.1. */
  readonly address?: readonly number[];
  readonly leaseSeconds?: number;
  readonly builtinEndpoints?: number;
  readonly name?: string;
  readonly timestamp?: RtpsTime;
  readonly vendorId?: number;
}

/**
 * One datagram: INFO_TS, then the SPDP DATA of a participant (inline key hash, PL_CDR_LE
 * payload with protocol version, vendor, guid, domain, builtin endpoints, lease, one
 * metatraffic and one default UDPv4 unicast locator, and its name), sent to the SPDP reader.
 */
export function forgedSpdpDatagram(o: ForgedParticipantOptions): Uint8Array {
  const vendorId = o.vendorId ?? VENDOR_EPROSIMA;
  const address = o.address ?? [127, 0, 0, 1];
  const guid = new Uint8Array(16);
  guid.set(o.guidPrefix);
  new DataView(guid.buffer).setUint32(12, EntityId.participant);
  const w = new Bytes();
  header(w, o.guidPrefix, vendorId);

  const time = o.timestamp ?? rtpsTimeOf(Date.now());
  const ts = beginSubmessage(w, 0x09, 0);
  w.u32(time.seconds);
  w.u32(time.fraction);
  endSubmessage(w, ts);

  // DATA with inline QoS (Q) and a serialized payload (D).
  const data = beginSubmessage(w, 0x15, 0x02 | 0x04);
  w.u16(0);
  w.u16(16); // octetsToInlineQos: reader id, writer id, sequence number
  w.u32be(EntityId.spdpReader);
  w.u32be(EntityId.spdpWriter);
  w.sequenceNumber(1n);
  parameter(w, 0x0070, (v) => v.bytes(guid)); // PID_KEY_HASH
  w.u32(0x0001); // PID_SENTINEL, length 0
  w.u8(0x00); // encapsulation PL_CDR_LE
  w.u8(0x03);
  w.u16(0);
  parameter(w, 0x0015, (v) => {
    v.u8(2);
    v.u8(3);
  });
  parameter(w, 0x0016, (v) => {
    v.u8(vendorId >> 8);
    v.u8(vendorId & 0xff);
  });
  parameter(w, 0x0050, (v) => v.bytes(guid));
  parameter(w, 0x000f, (v) => v.u32(o.domainId));
  parameter(w, 0x0058, (v) => v.u32(o.builtinEndpoints ?? SPDP_SEDP_ENDPOINTS));
  parameter(w, 0x0002, (v) => {
    v.u32(o.leaseSeconds ?? 20);
    v.u32(0);
  });
  parameter(w, 0x0032, (v) => udpV4Locator(v, o.metatrafficUnicastPort, address));
  parameter(w, 0x0031, (v) => udpV4Locator(v, o.defaultUnicastPort, address));
  const name = new TextEncoder().encode(o.name ?? "X");
  parameter(w, 0x0062, (v) => {
    v.u32(name.length + 1);
    v.bytes(name);
    v.u8(0);
  });
  w.u32(0x0001);
  endSubmessage(w, data);
  return w.finish();
}

export interface WriterSubmessageTarget {
  /** The sending participant's prefix (the RTPS header's). */
  readonly guidPrefix: Uint8Array;
  readonly readerId: number;
  readonly writerId: number;
  readonly vendorId?: number;
}

/** A HEARTBEAT announcing the writer holds `firstSn..lastSn`. */
export function heartbeatDatagram(
  o: WriterSubmessageTarget & { firstSn: bigint; lastSn: bigint; count: number },
): Uint8Array {
  const w = new Bytes();
  header(w, o.guidPrefix, o.vendorId ?? VENDOR_EPROSIMA);
  const at = beginSubmessage(w, 0x07, 0);
  w.u32be(o.readerId);
  w.u32be(o.writerId);
  w.sequenceNumber(o.firstSn);
  w.sequenceNumber(o.lastSn);
  w.u32(o.count);
  endSubmessage(w, at);
  return w.finish();
}

/** A GAP declaring `gapStart..bitmapBase-1` irrelevant, with an empty bitmap. */
export function gapDatagram(
  o: WriterSubmessageTarget & { gapStart: bigint; bitmapBase: bigint },
): Uint8Array {
  const w = new Bytes();
  header(w, o.guidPrefix, o.vendorId ?? VENDOR_EPROSIMA);
  const at = beginSubmessage(w, 0x08, 0);
  w.u32be(o.readerId);
  w.u32be(o.writerId);
  w.sequenceNumber(o.gapStart);
  w.sequenceNumber(o.bitmapBase);
  w.u32(0);
  endSubmessage(w, at);
  return w.finish();
}

/** One DATA_FRAG carrying fragments from `fragmentStartingNum` of a `sampleSize`-byte sample. */
export function dataFragDatagram(
  o: WriterSubmessageTarget & {
    writerSn: bigint;
    fragmentStartingNum: number;
    fragmentSize: number;
    sampleSize: number;
    fragments: Uint8Array;
  },
): Uint8Array {
  const w = new Bytes();
  header(w, o.guidPrefix, o.vendorId ?? VENDOR_EPROSIMA);
  const at = beginSubmessage(w, 0x16, 0);
  w.u16(0);
  w.u16(28); // octetsToInlineQos: ids, sequence number and the fragment fields
  w.u32be(o.readerId);
  w.u32be(o.writerId);
  w.sequenceNumber(o.writerSn);
  w.u32(o.fragmentStartingNum);
  w.u16(Math.max(1, Math.ceil(o.fragments.length / o.fragmentSize)));
  w.u16(o.fragmentSize);
  w.u32(o.sampleSize);
  w.bytes(o.fragments);
  endSubmessage(w, at);
  return w.finish();
}
