import { describe, expect, it } from "vitest";
import { ByteReader, ByteWriter } from "./cursor.ts";
import { readDurationMs, writeDurationMs } from "./time.ts";

function read(seconds: number, fraction: number): number {
  const bytes = new Uint8Array(8);
  const view = new DataView(bytes.buffer);
  view.setInt32(0, seconds, true);
  view.setUint32(4, fraction, true);
  return readDurationMs(new ByteReader(bytes, true));
}

describe("Duration_t", () => {
  it("reads 7fffffff ffffffff, and only that, as infinite", () => {
    expect(read(0x7fffffff, 0xffffffff)).toBe(Number.POSITIVE_INFINITY);
    expect(read(0x7fffffff, 0xfffffffe)).toBeCloseTo(0x7fffffff * 1000 + 1000, 3);
    expect(read(0x7ffffffe, 0xffffffff)).toBeLessThan(Number.POSITIVE_INFINITY);
    expect(read(0, 0xffffffff)).toBeCloseTo(1000, 6);
    expect(read(-1, 0xffffffff)).toBeCloseTo(0, 6);
    expect(read(1, 0x80000000)).toBe(1500);
  });

  it("writes infinity as 7fffffff ffffffff and reads back what it wrote", () => {
    const roundTrip = (ms: number): number => {
      const w = new ByteWriter();
      writeDurationMs(w, ms);
      return readDurationMs(new ByteReader(w.written(), true));
    };
    expect(roundTrip(Number.POSITIVE_INFINITY)).toBe(Number.POSITIVE_INFINITY);
    for (const ms of [0, 1500, 20_000, 0.25]) expect(roundTrip(ms)).toBeCloseTo(ms, 6);
  });
});
