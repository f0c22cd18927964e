import { CdrReader } from "@foxglove/cdr";
import type { DecodeError, DecodeErrorKind, DecodeResult } from "../errors.ts";
import { type Encapsulation, lookupEncapsulation } from "./encapsulation.ts";
import { defaultValue, type FieldKind, type StructLayout } from "./layout.ts";

export interface DecodeOptions {
  /**
   * Accept bytes after the last known member (an appendable type extended by a newer peer,
   * under XCDR1 where no DHEADER bounds the struct). Default false: at most 3 bytes of end
   * padding are accepted, anything longer is a `trailing` error.
   */
  readonly allowTrailing?: boolean;
}

/** Internal unwinding only; `decodeStruct` turns it into a `DecodeError` value. */
class DecodeFailure {
  constructor(readonly error: DecodeError) {}
}

// Non-fatal on purpose: Fast DDS does not check string encodings, and dropping a peer's sample
// over one bad byte in a description would stall a task; bad bytes become U+FFFD.
// ignoreBOM keeps a leading U+FEFF: it is the sender's text, and dropping it breaks round trips.
const textDecoder = new TextDecoder("utf-8", { ignoreBOM: true });

/**
 * Field paths for error messages ("task_id.problem_id"), built once per layout and prefix:
 * building them per decoded member was most of the decoder's garbage.
 */
const pathsByLayout = new WeakMap<StructLayout, Map<string, readonly string[]>>();
const nestedPaths = new Map<string, string>();

function fieldPaths(layout: StructLayout, path: string): readonly string[] {
  let byPath = pathsByLayout.get(layout);
  if (!byPath) {
    byPath = new Map();
    pathsByLayout.set(layout, byPath);
  }
  let names = byPath.get(path);
  if (!names) {
    names = layout.fields.map((member) => `${path}${member.name}`);
    byPath.set(path, names);
  }
  return names;
}

function nestedPath(name: string): string {
  let path = nestedPaths.get(name);
  if (path === undefined) {
    path = `${name}.`;
    nestedPaths.set(name, path);
  }
  return path;
}

/** Maximum end-of-payload padding (Fast DDS pads the serialized payload to 4 bytes). */
const MAX_PADDING = 3;

/**
 * Bounds-checked walk over one payload. `@foxglove/cdr`'s CdrReader does the endian-aware
 * primitive reads; every read is preceded by a check against the buffer end and the enclosing
 * DHEADER, so no length from the wire is trusted before it is compared with what remains.
 */
class Walker {
  private readonly reader: CdrReader;
  /** End of the innermost DHEADER-delimited object (absolute offset). */
  private limit: number;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly enc: Encapsulation,
    private readonly typeName: string,
  ) {
    this.reader = new CdrReader(bytes);
    this.limit = bytes.byteLength;
  }

  get offset(): number {
    return this.reader.offset;
  }

  fail(kind: DecodeErrorKind, field: string, message: string, offset = this.offset): never {
    const where = field === "" ? "" : ` ${field}`;
    throw new DecodeFailure({
      kind,
      typeName: this.typeName,
      field,
      offset,
      message: `${this.typeName}${where}: ${message} (offset ${offset})`,
    });
  }

  /** Checks that `size` bytes, after aligning to `align`, fit; returns the aligned offset. */
  private need(size: number, align: number, field: string, what: string): number {
    const rem = (this.offset - 4) % align;
    const start = this.offset + (rem === 0 ? 0 : align - rem);
    if (start + size > this.bytes.byteLength) {
      this.fail("short", field, `buffer ends inside ${what}, ${size} bytes needed`, start);
    }
    if (start + size > this.limit) {
      this.fail("bad-length", field, `${what} runs past its DHEADER end ${this.limit}`, start);
    }
    return start;
  }

  u32(field: string, what = "u32"): number {
    this.need(4, 4, field, what);
    return this.reader.uint32();
  }

  i32(field: string): number {
    this.need(4, 4, field, "i32");
    return this.reader.int32();
  }

  f64(field: string): number {
    this.need(8, this.enc.xcdr2 ? 4 : 8, field, "f64");
    return this.reader.float64();
  }

  bool(field: string): boolean {
    this.need(1, 1, field, "bool");
    const byte = this.reader.uint8();
    if (byte > 1)
      this.fail("invalid-value", field, `bool byte is ${byte}, not 0 or 1`, this.offset - 1);
    return byte === 1;
  }

  /** Reads a length and checks that `length * minElementSize` bytes remain. */
  private length(field: string, what: string, minElementSize: number): number {
    const count = this.u32(field, `${what} length`);
    const remaining = Math.min(this.bytes.byteLength, this.limit) - this.offset;
    if (count * minElementSize > remaining) {
      this.fail(
        "bad-length",
        field,
        `${what} length ${count} needs at least ${count * minElementSize} bytes, ${remaining} remain`,
        this.offset - 4,
      );
    }
    return count;
  }

  string(field: string): string {
    const length = this.length(field, "string", 1);
    if (length === 0) return ""; // Not what Fast DDS writes, but XCDR readers accept it.
    const start = this.offset;
    const end = start + length - 1;
    const { bytes } = this;
    if (bytes[end] !== 0) this.fail("invalid-value", field, "string lacks its NUL", start);
    const nul = bytes.indexOf(0, start);
    if (nul < end) this.fail("invalid-value", field, "string contains NUL", nul);
    this.reader.seekTo(end + 1);
    return textDecoder.decode(bytes.subarray(start, end));
  }

  bytesField(field: string): Uint8Array {
    const length = this.length(field, "sequence<octet>", 1);
    // Copy so the value does not pin (or alias) the caller's receive buffer.
    return this.reader.uint8Array(length).slice();
  }

  strings(field: string): string[] {
    return this.delimited(this.enc.xcdr2, field, "sequence<string> DHEADER", () => {
      // Each element takes at least its 4-byte length, which bounds the loop by the buffer.
      const count = this.length(field, "sequence<string>", 4);
      const out: string[] = [];
      for (let i = 0; i < count; i++) out.push(this.string(`${field}[${i}]`));
      return out;
    });
  }

  /**
   * Runs `body` inside a DHEADER when `enabled`: the object may not run past the DHEADER end,
   * and bytes a newer peer appended inside it are skipped.
   */
  delimited<T>(enabled: boolean, field: string, what: string, body: () => T): T {
    if (!enabled) return body();
    const size = this.u32(field, what);
    const start = this.offset;
    const end = start + size;
    if (end > this.limit) {
      const bound = Math.min(this.limit, this.bytes.byteLength);
      const kind = this.limit === this.bytes.byteLength ? "short" : "bad-length";
      this.fail(kind, field, `${what} ${size} runs past end ${bound}`, start - 4);
    }
    const outer = this.limit;
    this.limit = end;
    const value = body();
    this.limit = outer;
    this.reader.seekTo(end);
    return value;
  }

  /** Inside a DHEADER, members a shorter (older) writer left out take their defaults. */
  private exhausted(): boolean {
    return this.enc.delimited && this.offset >= this.limit;
  }

  struct(layout: StructLayout, path: string, field: string): Record<string, unknown> {
    // XCDR1 (what Fast DDS 2.9 sends) has no DHEADER: no closure, no label string per struct.
    if (!this.enc.delimited) return this.members(layout, path);
    return this.delimited(true, field, `${layout.typeName} DHEADER`, () =>
      this.members(layout, path),
    );
  }

  private members(layout: StructLayout, path: string): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const names = fieldPaths(layout, path);
    const { fields } = layout;
    for (let i = 0; i < fields.length; i++) {
      const member = fields[i];
      const name = names[i];
      if (member === undefined || name === undefined) continue;
      out[member.name] = this.exhausted()
        ? defaultValue(member.kind)
        : this.field(member.kind, name);
    }
    return out;
  }

  private field(kind: FieldKind, name: string): unknown {
    switch (kind.type) {
      case "u32":
        return this.u32(name);
      case "i32":
        return this.i32(name);
      case "f64":
        return this.f64(name);
      case "bool":
        return this.bool(name);
      case "string":
        return this.string(name);
      case "bytes":
        return this.bytesField(name);
      case "strings":
        return this.strings(name);
      case "enum": {
        const value = this.i32(name);
        if (!kind.values.includes(value)) {
          this.fail(
            "invalid-value",
            name,
            `${value} is not a ${kind.enumName} value`,
            this.offset - 4,
          );
        }
        return value;
      }
      case "struct":
        return this.struct(kind.layout, nestedPath(name), name);
    }
  }
}

function failure(typeName: string, kind: DecodeErrorKind, message: string, offset: number) {
  return {
    ok: false as const,
    error: { kind, typeName, message: `${typeName}: ${message} (offset ${offset})`, offset },
  };
}

/**
 * Decodes one serialized payload (4-byte encapsulation header + body) into an untyped struct.
 * Never throws for any input bytes; every failure is a `DecodeError` value.
 */
export function decodeStruct(
  layout: StructLayout,
  bytes: Uint8Array,
  options: DecodeOptions = {},
): DecodeResult<Record<string, unknown>> {
  const { typeName } = layout;
  const [high, low] = bytes;
  if (high === undefined || low === undefined || bytes.byteLength < 4) {
    return failure(
      typeName,
      "short",
      `${bytes.byteLength} bytes, no 4-byte encapsulation header`,
      0,
    );
  }
  const enc = lookupEncapsulation(high, low);
  if (!enc.ok) return failure(typeName, "bad-encapsulation", enc.error.message, 0);
  const walker = new Walker(bytes, enc.value, typeName);
  try {
    const value = walker.struct(layout, "", "");
    const rest = bytes.byteLength - walker.offset;
    if (rest > MAX_PADDING && options.allowTrailing !== true) {
      walker.fail("trailing", "", `${rest} bytes follow the last member`);
    }
    return { ok: true, value };
  } catch (thrown) {
    if (thrown instanceof DecodeFailure) return { ok: false, error: thrown.error };
    throw thrown;
  }
}
