import type { ByteReader, ByteWriter } from "./cursor.ts";

/** 12 bytes identifying a participant; every entity of that participant shares it. */
export type GuidPrefix = Uint8Array;

/** Entity ids are 4-octet arrays on the wire; held here as a big-endian u32. */
export type EntityId = number;

export interface Guid {
  readonly prefix: GuidPrefix;
  readonly entityId: EntityId;
}

export const GUID_PREFIX_LENGTH = 12;

export const EntityKind = {
  writerWithKey: 0x02,
  writerNoKey: 0x03,
  readerNoKey: 0x04,
  readerWithKey: 0x07,
  participant: 0xc1,
} as const;

export const EntityIds = {
  unknown: 0x00000000,
  participant: 0x000001c1,
  spdpWriter: 0x000100c2,
  spdpReader: 0x000100c7,
  sedpPublicationsWriter: 0x000003c2,
  sedpPublicationsReader: 0x000003c7,
  sedpSubscriptionsWriter: 0x000004c2,
  sedpSubscriptionsReader: 0x000004c7,
  participantMessageWriter: 0x000200c2,
  participantMessageReader: 0x000200c7,
} as const;

export function entityKind(id: EntityId): number {
  return id & 0xff;
}

export function isBuiltinEntity(id: EntityId): boolean {
  return (id & 0xc0) === 0xc0;
}

export function isWriterEntity(id: EntityId): boolean {
  const k = id & 0x0f;
  return k === 0x02 || k === 0x03;
}

export function isKeyedEntity(id: EntityId): boolean {
  const k = id & 0x0f;
  return k === 0x02 || k === 0x07;
}

export function makeEntityId(key: number, kind: number): EntityId {
  return (((key & 0xffffff) << 8) | (kind & 0xff)) >>> 0;
}

const HEX_BYTE = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

/** Lowercase hex of `b`, two digits per byte. */
export const hex = (b: Uint8Array): string => {
  let s = "";
  for (let i = 0; i < b.length; i++) s += HEX_BYTE[b[i] ?? 0];
  return s;
};

/**
 * Map keys are built from prefixes on every submessage, nearly always the same few peers'
 * ones: remembering the last one spares its string (and garbage) per lookup.
 */
const lastPrefix = new Uint8Array(GUID_PREFIX_LENGTH);
let lastPrefixHex = hex(lastPrefix);

function prefixHex(prefix: GuidPrefix): string {
  if (prefix.length !== GUID_PREFIX_LENGTH) return hex(prefix);
  if (!prefixEquals(prefix, lastPrefix)) {
    lastPrefix.set(prefix);
    lastPrefixHex = hex(prefix);
  }
  return lastPrefixHex;
}

export function prefixToString(prefix: GuidPrefix): string {
  return prefixHex(prefix);
}

export function entityIdToString(id: EntityId): string {
  return id.toString(16).padStart(8, "0");
}

/** Stable map key and human-readable form: `<24 hex prefix>.<8 hex entity>`. */
export function guidToString(guid: Guid): string {
  return `${prefixHex(guid.prefix)}.${entityIdToString(guid.entityId)}`;
}

export function guidToBytes(guid: Guid): Uint8Array {
  const out = new Uint8Array(16);
  out.set(guid.prefix, 0);
  new DataView(out.buffer).setUint32(12, guid.entityId, false);
  return out;
}

export function guidFromBytes(b: Uint8Array): Guid {
  const prefix = b.slice(0, 12);
  const entityId = new DataView(b.buffer, b.byteOffset, b.byteLength).getUint32(12, false);
  return { prefix, entityId };
}

export function prefixEquals(a: GuidPrefix, b: GuidPrefix): boolean {
  for (let i = 0; i < GUID_PREFIX_LENGTH; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function isZeroPrefix(p: GuidPrefix): boolean {
  for (const x of p) if (x !== 0) return false;
  return true;
}

export function readPrefix(r: ByteReader): GuidPrefix {
  return r.bytes(GUID_PREFIX_LENGTH).slice();
}

export function readEntityId(r: ByteReader): EntityId {
  return r.u32be();
}

export function writeEntityId(w: ByteWriter, id: EntityId): void {
  w.u32be(id);
}
