import { CdrWriter, EncapsulationKind } from "@foxglove/cdr";
import { EncodeError } from "../errors.ts";
import type { FieldKind, StructLayout, StructValue } from "./layout.ts";

/** Output encoding. Fast DDS peers expect the default, XCDR1 little-endian. */
export interface EncodeOptions {
  /** Default `CDR_LE`; the XCDR2 kinds exist so tests can feed the decoder real XCDR2 bytes. */
  readonly kind?: EncapsulationKind;
}

const textEncoder = new TextEncoder();
const U32_MAX = 0xffff_ffff;
const I32_MIN = -0x8000_0000;
const I32_MAX = 0x7fff_ffff;
// A lone surrogate cannot be written as UTF-8; TextEncoder would silently turn it into U+FFFD.
const LONE_SURROGATE = /\p{Cs}/u;

/** Why a string may not go on the wire, or undefined when it may. */
export function stringProblem(value: string): string | undefined {
  if (value.includes("\0")) return "contains NUL, which CDR strings cannot carry";
  if (LONE_SURROGATE.test(value))
    return "contains a lone UTF-16 surrogate (not encodable as UTF-8)";
  return undefined;
}

interface Mode {
  readonly xcdr2: boolean;
  readonly delimited: boolean;
  readonly typeName: string;
}

function modeOf(kind: EncapsulationKind, typeName: string): Mode {
  switch (kind) {
    case EncapsulationKind.CDR_LE:
    case EncapsulationKind.CDR_BE:
      return { xcdr2: false, delimited: false, typeName };
    case EncapsulationKind.RTPS_CDR2_LE:
    case EncapsulationKind.RTPS_CDR2_BE:
      return { xcdr2: true, delimited: false, typeName };
    case EncapsulationKind.RTPS_DELIMITED_CDR2_LE:
    case EncapsulationKind.RTPS_DELIMITED_CDR2_BE:
      return { xcdr2: true, delimited: true, typeName };
    default:
      throw new EncodeError(typeName, "(encapsulation)", `cannot encode kind ${kind}`);
  }
}

function pad(offset: number, align: number): number {
  // Alignment counts from the byte after the 4-byte encapsulation header.
  const rem = (offset - 4) % align;
  return rem === 0 ? 0 : align - rem;
}

/**
 * First pass: checks every value against its field kind, UTF-8-encodes strings once (in
 * traversal order, for the write pass) and returns the end offset. Computing the exact size
 * up front means one allocation, even for a 1 MB `raw_model`.
 */
function measureStruct(
  layout: StructLayout,
  value: StructValue,
  offset: number,
  mode: Mode,
  path: string,
  encoded: Uint8Array[],
): number {
  let at = offset;
  if (mode.delimited) at += pad(at, 4) + 4;
  for (const field of layout.fields) {
    at = measureField(field.kind, value[field.name], at, mode, `${path}${field.name}`, encoded);
  }
  return at;
}

function fail(mode: Mode, path: string, message: string): never {
  throw new EncodeError(mode.typeName, path, message);
}

function measureString(value: unknown, at: number, mode: Mode, path: string, out: Uint8Array[]) {
  if (typeof value !== "string") fail(mode, path, "expected a string");
  const problem = stringProblem(value);
  if (problem !== undefined) fail(mode, path, problem);
  const utf8 = textEncoder.encode(value);
  out.push(utf8);
  return at + pad(at, 4) + 4 + utf8.length + 1;
}

function measureField(
  kind: FieldKind,
  value: unknown,
  at: number,
  mode: Mode,
  path: string,
  out: Uint8Array[],
): number {
  switch (kind.type) {
    case "u32":
      if (!Number.isInteger(value) || (value as number) < 0 || (value as number) > U32_MAX) {
        fail(mode, path, `expected an integer in 0..${U32_MAX}, got ${String(value)}`);
      }
      return at + pad(at, 4) + 4;
    case "i32":
      if (!Number.isInteger(value) || (value as number) < I32_MIN || (value as number) > I32_MAX) {
        fail(mode, path, `expected an integer in ${I32_MIN}..${I32_MAX}, got ${String(value)}`);
      }
      return at + pad(at, 4) + 4;
    case "enum":
      if (typeof value !== "number" || !kind.values.includes(value)) {
        fail(mode, path, `${String(value)} is not a ${kind.enumName} value`);
      }
      return at + pad(at, 4) + 4;
    case "f64":
      if (typeof value !== "number") fail(mode, path, "expected a number");
      return at + pad(at, mode.xcdr2 ? 4 : 8) + 8;
    case "bool":
      if (typeof value !== "boolean") fail(mode, path, "expected a boolean");
      return at + 1;
    case "string":
      return measureString(value, at, mode, path, out);
    case "bytes":
      if (!(value instanceof Uint8Array)) fail(mode, path, "expected a Uint8Array");
      return at + pad(at, 4) + 4 + value.length;
    case "strings": {
      if (!Array.isArray(value)) fail(mode, path, "expected an array of strings");
      let end = at;
      if (mode.xcdr2) end += pad(end, 4) + 4; // DHEADER: sequence of a non-primitive type
      end += pad(end, 4) + 4;
      value.forEach((item: unknown, index) => {
        end = measureString(item, end, mode, `${path}[${index}]`, out);
      });
      return end;
    }
    case "struct":
      if (typeof value !== "object" || value === null) fail(mode, path, "expected an object");
      return measureStruct(kind.layout, value as StructValue, at, mode, `${path}.`, out);
  }
}

/** Second pass: writes what the first pass checked, patching DHEADERs once sizes are known. */
class Emitter {
  private index = 0;

  constructor(
    private readonly writer: CdrWriter,
    private readonly view: DataView,
    private readonly littleEndian: boolean,
    private readonly mode: Mode,
    private readonly encoded: readonly Uint8Array[],
  ) {}

  struct(layout: StructLayout, value: StructValue): void {
    const patchAt = this.beginDelimited(this.mode.delimited);
    for (const field of layout.fields) this.field(field.kind, value[field.name]);
    this.endDelimited(patchAt);
  }

  private beginDelimited(enabled: boolean): number | undefined {
    if (!enabled) return undefined;
    this.writer.uint32(0);
    return this.writer.size;
  }

  private endDelimited(bodyStart: number | undefined): void {
    if (bodyStart === undefined) return;
    this.view.setUint32(bodyStart - 4, this.writer.size - bodyStart, this.littleEndian);
  }

  private string(): void {
    const utf8 = this.encoded[this.index++];
    if (utf8 === undefined) throw new Error("encoder passes out of step");
    this.writer.uint32(utf8.length + 1);
    this.writer.uint8Array(utf8, false);
    this.writer.uint8(0);
  }

  // Values were checked by the measure pass, hence the plain casts.
  private field(kind: FieldKind, value: unknown): void {
    switch (kind.type) {
      case "u32":
        this.writer.uint32(value as number);
        return;
      case "i32":
      case "enum":
        this.writer.int32(value as number);
        return;
      case "f64":
        this.writer.float64(value as number);
        return;
      case "bool":
        this.writer.uint8(value === true ? 1 : 0);
        return;
      case "string":
        this.string();
        return;
      case "bytes":
        this.writer.uint8Array(value as Uint8Array, true);
        return;
      case "strings": {
        const items = value as readonly unknown[];
        const patchAt = this.beginDelimited(this.mode.xcdr2);
        this.writer.sequenceLength(items.length);
        for (let i = 0; i < items.length; i++) this.string();
        this.endDelimited(patchAt);
        return;
      }
      case "struct":
        this.struct(kind.layout, value as StructValue);
        return;
    }
  }
}

const LITTLE_ENDIAN_KINDS: ReadonlySet<EncapsulationKind> = new Set([
  EncapsulationKind.CDR_LE,
  EncapsulationKind.RTPS_CDR2_LE,
  EncapsulationKind.RTPS_DELIMITED_CDR2_LE,
]);

/** Serialises a struct with its encapsulation header. Throws `EncodeError` on invalid values. */
export function encodeStruct(
  layout: StructLayout,
  value: StructValue,
  options: EncodeOptions = {},
): Uint8Array {
  const kind = options.kind ?? EncapsulationKind.CDR_LE;
  const mode = modeOf(kind, layout.typeName);
  if (typeof value !== "object" || value === null) fail(mode, "(root)", "expected an object");
  const encoded: Uint8Array[] = [];
  const size = measureStruct(layout, value, 4, mode, "", encoded);
  const buffer = new ArrayBuffer(size);
  const writer = new CdrWriter({ buffer, kind });
  const littleEndian = LITTLE_ENDIAN_KINDS.has(kind);
  new Emitter(writer, new DataView(buffer), littleEndian, mode, encoded).struct(layout, value);
  return writer.data;
}
