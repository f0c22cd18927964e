import { type ByteReader, ByteWriter, fail } from "./cursor.ts";
import { Pid } from "./pids.ts";

/** One undecoded parameter; `value` is a view into the datagram. */
export interface Parameter {
  readonly pid: number;
  readonly value: Uint8Array;
}

export interface ParameterList {
  readonly littleEndian: boolean;
  readonly parameters: readonly Parameter[];
}

/** Upper bound on parameters per list, so a hostile list cannot make us allocate without end. */
const MAX_PARAMETERS = 4096;

/** Reads parameters until PID_SENTINEL; the M flag and vendor bit are left to the caller. */
export function readParameterList(r: ByteReader): ParameterList {
  const parameters: Parameter[] = [];
  for (;;) {
    const pid = r.u16();
    const length = r.u16();
    if (pid === Pid.sentinel) break;
    if (parameters.length >= MAX_PARAMETERS) fail("bad-length", "too many parameters");
    const value = r.bytes(length);
    // Strip the must-understand bit (0x4000); implementation-specific stays in the id.
    if (pid !== Pid.pad) parameters.push({ pid: pid & ~0x4000, value });
  }
  return { littleEndian: r.littleEndian, parameters };
}

export function findParameter(list: ParameterList, pid: number): Parameter | undefined {
  for (const p of list.parameters) if (p.pid === pid) return p;
  return undefined;
}

export function findParameters(list: ParameterList, pid: number): Parameter[] {
  return list.parameters.filter((p) => p.pid === pid);
}

/** Accumulates parameters with 4-byte padding and ends them with a sentinel. */
export class ParameterListBuilder {
  private readonly w = new ByteWriter(256);

  /** Adds a parameter whose value is produced by `fill`, padded to a multiple of 4. */
  add(pid: number, fill: (w: ByteWriter) => void): this {
    this.w.u16(pid);
    const lengthAt = this.w.offset;
    this.w.u16(0);
    const start = this.w.offset;
    fill(this.w);
    this.w.align(4, start);
    this.w.patchU16(lengthAt, this.w.offset - start);
    return this;
  }

  addBytes(pid: number, value: Uint8Array): this {
    return this.add(pid, (w) => w.bytes(value));
  }

  /** The encoded list including the sentinel. */
  finish(): Uint8Array {
    this.w.u16(Pid.sentinel);
    this.w.u16(0);
    return this.w.toBytes();
  }
}
