import { err, type Failure, ok, type Result } from "@wattprint/result";

/**
 * Why a decoder gave up on its input. `out-of-range`: a number beyond what the stack counts
 * (an SN outside [0, 2^52], a set or fragment range running past its limit).
 */
export type DecodeErrorKind =
  | "short"
  | "bad-magic"
  | "bad-length"
  | "invalid-value"
  | "out-of-range";

export type DecodeError = Failure<DecodeErrorKind>;

/**
 * Thrown only inside wire/ decoders and always caught by `guard`: it keeps the
 * decoders linear without letting a bad datagram escape as an exception. Not an Error:
 * capturing a stack trace cost 10-40 µs per refused submessage, so a datagram packed with
 * 2,000 of them (a hostile peer's cheapest flood) took up to 80 ms to walk.
 */
class DecodeFailure {
  constructor(readonly decodeError: DecodeError) {}
}

export function fail(kind: DecodeErrorKind, message: string): never {
  throw new DecodeFailure({ kind, message });
}

/** A failure built once, for refusals a peer can repeat at will: throwing it allocates nothing. */
export type PreparedFailure = DecodeFailure;

export function prepareFailure(kind: DecodeErrorKind, message: string): PreparedFailure {
  return new DecodeFailure({ kind, message });
}

export function failWith(failure: PreparedFailure): never {
  throw failure;
}

/** Runs a throwing decoder and turns any decode failure into a Result. */
export function guard<T>(decode: () => T): Result<T, DecodeError> {
  try {
    return ok(decode());
  } catch (e) {
    const error = asDecodeError(e);
    if (error) return err(error);
    throw e;
  }
}

/** The decode failure `e` stands for, or undefined when it is some other error (a bug). */
export function asDecodeError(e: unknown): DecodeError | undefined {
  if (e instanceof DecodeFailure) return e.decodeError;
  if (e instanceof RangeError) return { kind: "short", message: e.message };
  return undefined;
}

// ignoreBOM keeps a leading U+FEFF in a peer's string instead of silently dropping it.
const textDecoder = new TextDecoder("utf-8", { fatal: false, ignoreBOM: true });
const textEncoder = new TextEncoder();

/** Bounds-checked reader over a byte range; offsets are absolute in `bytes`. */
export class ByteReader {
  private readonly view: DataView;
  offset = 0;
  end: number;

  constructor(
    readonly data: Uint8Array,
    public littleEndian: boolean,
  ) {
    this.view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    this.end = data.length;
  }

  /** Points this reader at another range of the same bytes (one reader per datagram). */
  range(offset: number, end: number, littleEndian: boolean): this {
    this.offset = offset;
    this.end = Math.min(end, this.data.length);
    this.littleEndian = littleEndian;
    return this;
  }

  get remaining(): number {
    return this.end - this.offset;
  }

  private need(n: number): number {
    const at = this.offset;
    if (n < 0 || at + n > this.end)
      fail("short", `need ${n} bytes at ${at}, have ${this.end - at}`);
    this.offset = at + n;
    return at;
  }

  u8(): number {
    return this.view.getUint8(this.need(1));
  }
  u16(): number {
    return this.view.getUint16(this.need(2), this.littleEndian);
  }
  i16(): number {
    return this.view.getInt16(this.need(2), this.littleEndian);
  }
  u32(): number {
    return this.view.getUint32(this.need(4), this.littleEndian);
  }
  i32(): number {
    return this.view.getInt32(this.need(4), this.littleEndian);
  }
  /** Big-endian u32 regardless of the stream's endianness (entity ids are octet arrays). */
  u32be(): number {
    return this.view.getUint32(this.need(4), false);
  }
  /** A view into the underlying bytes, not a copy. */
  bytes(n: number): Uint8Array {
    const at = this.need(n);
    return this.data.subarray(at, at + n);
  }
  skip(n: number): void {
    this.need(n);
  }
  /** Aligns relative to `base` (CDR alignment is relative to the start of the encapsulated data). */
  align(n: number, base: number): void {
    const mis = (this.offset - base) % n;
    if (mis !== 0) this.skip(n - mis);
  }
  /** CDR string: u32 length including the NUL, then the bytes. */
  string(): string {
    const len = this.u32();
    if (len === 0) return "";
    const raw = this.bytes(len);
    const body = raw[len - 1] === 0 ? raw.subarray(0, len - 1) : raw;
    return textDecoder.decode(body);
  }
}

/** Growable little-endian writer; everything we send uses the E flag. */
export class ByteWriter {
  private buf: Uint8Array;
  private view: DataView;
  offset = 0;

  constructor(initialSize = 256) {
    this.buf = new Uint8Array(initialSize);
    this.view = new DataView(this.buf.buffer);
  }

  private ensure(n: number): void {
    if (this.offset + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.offset + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.offset));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  u8(v: number): void {
    this.ensure(1);
    this.view.setUint8(this.offset, v);
    this.offset += 1;
  }
  u16(v: number): void {
    this.ensure(2);
    this.view.setUint16(this.offset, v, true);
    this.offset += 2;
  }
  i16(v: number): void {
    this.ensure(2);
    this.view.setInt16(this.offset, v, true);
    this.offset += 2;
  }
  u32(v: number): void {
    this.ensure(4);
    this.view.setUint32(this.offset, v, true);
    this.offset += 4;
  }
  i32(v: number): void {
    this.ensure(4);
    this.view.setInt32(this.offset, v, true);
    this.offset += 4;
  }
  u32be(v: number): void {
    this.ensure(4);
    this.view.setUint32(this.offset, v, false);
    this.offset += 4;
  }
  bytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.offset);
    this.offset += b.length;
  }
  zeros(n: number): void {
    this.ensure(n);
    this.buf.fill(0, this.offset, this.offset + n);
    this.offset += n;
  }
  align(n: number, base = 0): void {
    const mis = (this.offset - base) % n;
    if (mis !== 0) this.zeros(n - mis);
  }
  string(s: string): void {
    const encoded = textEncoder.encode(s);
    this.u32(encoded.length + 1);
    this.bytes(encoded);
    this.u8(0);
  }
  patchU16(at: number, v: number): void {
    this.view.setUint16(at, v, true);
  }
  patchU32(at: number, v: number): void {
    this.view.setUint32(at, v, true);
  }
  /** A copy of the written bytes, safe to hand to a socket while this writer is reused. */
  toBytes(): Uint8Array {
    return this.buf.slice(0, this.offset);
  }
  /** The written bytes in place: valid only until the next write or reset. */
  written(): Uint8Array {
    return this.buf.subarray(0, this.offset);
  }
  reset(): void {
    this.offset = 0;
  }
}
