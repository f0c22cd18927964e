import { createHash } from "node:crypto";
import { stringProblem } from "./cdr/encode.ts";
import type { FieldKind, StructLayout, StructValue } from "./cdr/layout.ts";

/*
 * Instance key hash as Fast DDS computes it (`serialize_key` / `compute_key` in
 * typesImplCdrAux.ipp): the key members only, in declaration order, big-endian PLAIN_CDR2 with
 * no header and no DHEADERs. If the type's maximum key size fits in 16 bytes the hash is that
 * buffer zero-padded to 16, otherwise the MD5 of it.
 */

const KEY_HASH_SIZE = 16;
const textEncoder = new TextEncoder();

/** Key members of a layout; a nested struct without `@key` members contributes all its members. */
function keyFields(layout: StructLayout, nested: boolean): readonly FieldKindWithName[] {
  const keyed = layout.fields.filter((field) => field.key === true);
  const chosen = keyed.length === 0 && nested ? layout.fields : keyed;
  return chosen.map((field) => ({ name: field.name, kind: field.kind }));
}

interface FieldKindWithName {
  readonly name: string;
  readonly kind: FieldKind;
}

/** Largest serialized key in bytes, or `Infinity` when a key member is unbounded. */
export function maxKeySize(layout: StructLayout): number {
  return keySizeOf(layout, false, 0);
}

function keySizeOf(layout: StructLayout, nested: boolean, start: number): number {
  let at = start;
  for (const { kind } of keyFields(layout, nested)) {
    switch (kind.type) {
      case "u32":
      case "i32":
      case "enum":
        at += ((4 - (at % 4)) % 4) + 4;
        break;
      case "f64":
        at += ((4 - (at % 4)) % 4) + 8; // PLAIN_CDR2: 8-byte values align to 4
        break;
      case "bool":
        at += 1;
        break;
      case "struct":
        at = keySizeOf(kind.layout, true, at);
        break;
      case "string":
      case "bytes":
      case "strings":
        return Number.POSITIVE_INFINITY;
    }
  }
  return at;
}

/** Whether the type has `@key` members (every SustainML topic type does; TaskIdImpl does not). */
export function isKeyedLayout(layout: StructLayout): boolean {
  return layout.fields.some((field) => field.key === true);
}

class KeyWriter {
  private chunks: number[] = [];

  private align(size: number): void {
    while (this.chunks.length % size !== 0) this.chunks.push(0);
  }

  u32(value: number): void {
    this.align(4);
    this.chunks.push(
      (value >>> 24) & 0xff,
      (value >>> 16) & 0xff,
      (value >>> 8) & 0xff,
      value & 0xff,
    );
  }

  raw(bytes: Uint8Array): void {
    for (const byte of bytes) this.chunks.push(byte);
  }

  f64(value: number): void {
    this.align(4);
    const view = new DataView(new ArrayBuffer(8));
    view.setFloat64(0, value, false);
    this.raw(new Uint8Array(view.buffer));
  }

  bytes(): Uint8Array {
    return Uint8Array.from(this.chunks);
  }
}

function writeKey(writer: KeyWriter, layout: StructLayout, value: StructValue, nested: boolean) {
  for (const { name, kind } of keyFields(layout, nested)) {
    const member = value[name];
    switch (kind.type) {
      case "u32":
      case "i32":
      case "enum":
        writer.u32(Number(member) >>> 0);
        break;
      case "f64":
        writer.f64(Number(member));
        break;
      case "bool":
        writer.raw(Uint8Array.of(member === true ? 1 : 0));
        break;
      case "string": {
        const text = String(member);
        const problem = stringProblem(text);
        if (problem !== undefined) throw new TypeError(`key ${layout.typeName}.${name} ${problem}`);
        const utf8 = textEncoder.encode(text);
        writer.u32(utf8.length + 1);
        writer.raw(utf8);
        writer.raw(Uint8Array.of(0));
        break;
      }
      case "bytes":
      case "strings":
        throw new TypeError(`${layout.typeName}.${name}: sequence keys are not used by SustainML`);
      case "struct":
        writeKey(writer, kind.layout, (member ?? {}) as StructValue, true);
        break;
    }
  }
}

/** The serialized key (before padding or MD5), exposed for tests and diagnostics. */
export function serializeKey(layout: StructLayout, value: StructValue): Uint8Array {
  const writer = new KeyWriter();
  writeKey(writer, layout, value, false);
  return writer.bytes();
}

/**
 * The 16-byte key hash sent as `PID_KEY_HASH`. An unkeyed layout (TaskIdImpl used on its own)
 * gets the nil handle, 16 zero bytes.
 */
export function computeKeyHash(layout: StructLayout, value: StructValue): Uint8Array {
  return keyHashFunction(layout)(value);
}

/**
 * The key hash of one layout, its kind chosen once: a codec keeps one of these, so the
 * function a task path calls for its small task-id keys never meets an MD5 branch (taking it
 * once, for the status's string key, would make V8 recompile the task path's copy).
 */
export function keyHashFunction(layout: StructLayout): (value: StructValue) => Uint8Array {
  if (!isKeyedLayout(layout)) return () => new Uint8Array(KEY_HASH_SIZE);
  if (maxKeySize(layout) <= KEY_HASH_SIZE) {
    return (value) => {
      const hash = new Uint8Array(KEY_HASH_SIZE);
      hash.set(serializeKey(layout, value));
      return hash;
    };
  }
  return (value) => new Uint8Array(createHash("md5").update(serializeKey(layout, value)).digest());
}
