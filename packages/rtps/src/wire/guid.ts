import { bytesToHex } from "./bytes.ts";
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

export function isReaderEntity(id: EntityId): boolean {
  const k = id & 0x0f;
  return k === 0x04 || k === 0x07;
}

export function isKeyedEntity(id: EntityId): boolean {
  const k = id & 0x0f;
  return k === 0x02 || k === 0x07;
}

export function makeEntityId(key: number, kind: number): EntityId {
  return (((key & 0xffffff) << 8) | (kind & 0xff)) >>> 0;
}

/**
 * Map keys are built from prefixes on every submessage, nearly always the same few peers'
 * ones: remembering the last one spares its string (and garbage) per lookup.
 */
const lastPrefix = new Uint8Array(GUID_PREFIX_LENGTH);
let lastPrefixHex = bytesToHex(lastPrefix);

function prefixHex(prefix: GuidPrefix): string {
  if (prefix.length !== GUID_PREFIX_LENGTH) return bytesToHex(prefix);
  if (!prefixEquals(prefix, lastPrefix)) {
    lastPrefix.set(prefix);
    lastPrefixHex = bytesToHex(prefix);
  }
  return lastPrefixHex;
}

export function prefixToString(prefix: GuidPrefix): string {
  return prefixHex(prefix);
}

export function entityIdToString(id: EntityId): string {
  return id.toString(16).padStart(8, "0");
}

/**
 * GUID strings key the routing and proxy maps and are built several times per received
 * submessage; they are remembered per prefix (a few peers, a few dozen endpoints each),
 * bounded so that a peer inventing entity ids cannot grow them without end.
 */
const GUID_STRINGS_PER_PREFIX = 1024;
const guidStrings = new Map<string, Map<EntityId, string>>();

/** Stable map key and human-readable form: `<24 hex prefix>.<8 hex entity>`. */
export function guidToString(guid: Guid): string {
  const prefix = prefixHex(guid.prefix);
  let byEntity = guidStrings.get(prefix);
  if (!byEntity) {
    if (guidStrings.size >= INTERNED_PREFIXES) guidStrings.clear();
    byEntity = new Map();
    guidStrings.set(prefix, byEntity);
  }
  let text = byEntity.get(guid.entityId);
  if (text === undefined) {
    if (byEntity.size >= GUID_STRINGS_PER_PREFIX) byEntity.clear();
    text = `${prefix}.${entityIdToString(guid.entityId)}`;
    byEntity.set(guid.entityId, text);
  }
  return text;
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

/**
 * Every datagram carries its sender's prefix (header, INFO_DST): a fresh 12-byte copy each
 * time was the receive path's largest garbage. Prefixes come from a handful of peers, so a
 * small table of canonical copies serves them; callers never mutate a prefix.
 */
const INTERNED_PREFIXES = 64;
const internedPrefixes: GuidPrefix[] = [];

export function internPrefix(view: Uint8Array): GuidPrefix {
  return internPrefixAt(view, 0);
}

/** The canonical copy of the prefix at `data[at..at+12]`, compared in place (no view). */
function internPrefixAt(data: Uint8Array, at: number): GuidPrefix {
  for (const known of internedPrefixes) {
    let same = true;
    // Last byte first: prefixes of one host or vendor share their first bytes (Fast DDS: vendor,
    // host, process), and a flood of forged ones may share all but the last few.
    for (let i = GUID_PREFIX_LENGTH - 1; i >= 0; i--) {
      if (known[i] !== data[at + i]) {
        same = false;
        break;
      }
    }
    if (same) return known;
  }
  const copy = data.slice(at, at + GUID_PREFIX_LENGTH);
  if (internedPrefixes.length >= INTERNED_PREFIXES) internedPrefixes.shift();
  internedPrefixes.push(copy);
  return copy;
}

export function readPrefix(r: ByteReader): GuidPrefix {
  const at = r.offset;
  r.skip(GUID_PREFIX_LENGTH);
  return internPrefixAt(r.data, at);
}

export function readEntityId(r: ByteReader): EntityId {
  return r.u32be();
}

export function writeEntityId(w: ByteWriter, id: EntityId): void {
  w.u32be(id);
}
