import { describe, expect, it } from "vitest";
import { Receiver } from "../routing/receiver.ts";
import { ByteReader, ByteWriter, guard } from "./cursor.ts";
import { decodeMessage } from "./message.ts";
import {
  MAX_SEQUENCE_NUMBER,
  readSequenceNumber,
  readSequenceNumberSet,
} from "./sequence-number.ts";

/** An SN as the wire has it: high int32, low uint32 (little-endian). */
function snBytes(high: number, low: number, trailing: readonly number[] = []): Uint8Array {
  const w = new ByteWriter();
  w.i32(high);
  w.u32(low);
  for (const x of trailing) w.u32(x);
  return w.toBytes();
}

const read = (b: Uint8Array) => guard(() => readSequenceNumber(new ByteReader(b, true)));
const readSet = (b: Uint8Array) => guard(() => readSequenceNumberSet(new ByteReader(b, true)));

const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, "hex"));
// A HEARTBEAT (first = last = 2^60) and a GAP (gapStart 2^60) from a peer's SEDP
// publications writer: the reported reproductions.
const HEARTBEAT_2_60 = hex(
  "525450530203010fface000000002060deadbeef07011c0000000000000003c20000001000000000000000100000000001000000",
);
const GAP_2_60 = hex(
  "525450530203010fface000000002060deadbeef08011c0000000000000003c20000001000000000000000200000000000000000",
);

describe("sequence number range", () => {
  it("accepts 0 to 2^52 exactly", () => {
    expect(read(snBytes(0, 0))).toEqual({ ok: true, value: 0 });
    expect(read(snBytes(0, 0xffff_ffff))).toEqual({ ok: true, value: 2 ** 32 - 1 });
    expect(read(snBytes(1, 5))).toEqual({ ok: true, value: 2 ** 32 + 5 });
    expect(read(snBytes(2 ** 20, 0))).toEqual({ ok: true, value: MAX_SEQUENCE_NUMBER });
    expect(MAX_SEQUENCE_NUMBER).toBe(2 ** 52);
  });

  it("refuses 2^52 + 1, 2^53, 2^60 and the int64 maximum as out-of-range", () => {
    for (const [high, low] of [
      [2 ** 20, 1],
      [2 ** 20 + 1, 0],
      [2 ** 21 - 1, 0xffff_ffff], // 2^53 - 1: a JS number holds it, the stack still refuses it
      [2 ** 21, 0], // 2^53: sn + 1 === sn from here on
      [2 ** 28, 0], // 2^60
      [0x7fff_ffff, 0xffff_ffff],
    ] as const) {
      expect(read(snBytes(high, low))).toMatchObject({
        ok: false,
        error: { kind: "out-of-range" },
      });
    }
  });

  it("refuses negative SNs, SEQUENCENUMBER_UNKNOWN included", () => {
    expect(read(snBytes(-1, 0))).toMatchObject({ ok: false, error: { kind: "out-of-range" } });
    expect(read(snBytes(-1, 0xffff_ffff))).toMatchObject({
      ok: false,
      error: { kind: "out-of-range" },
    });
    expect(read(snBytes(-(2 ** 31), 0))).toMatchObject({ ok: false });
  });

  it("refuses a set whose last bit would pass 2^52", () => {
    const base = MAX_SEQUENCE_NUMBER - 10;
    const high = Math.floor(base / 2 ** 32);
    const low = base % 2 ** 32;
    // numBits 11: the last member is exactly 2^52.
    const fits = readSet(snBytes(high, low, [11, 0xffe0_0000]));
    expect(fits.ok && fits.value.members.at(-1)).toBe(MAX_SEQUENCE_NUMBER);
    expect(readSet(snBytes(high, low, [12, 0]))).toMatchObject({
      ok: false,
      error: { kind: "out-of-range" },
    });
  });

  it("turns the reported HEARTBEAT and GAP into out-of-range items, counted by the receiver", () => {
    for (const d of [HEARTBEAT_2_60, GAP_2_60]) {
      const m = decodeMessage(d);
      expect(m.ok && m.value.items).toMatchObject([
        { kind: "invalid", error: { kind: "out-of-range" } },
      ]);
    }
    let routed = 0;
    const r = new Receiver(new Uint8Array(12), {
      onWriterSubmessage: () => routed++,
      onReaderSubmessage: () => routed++,
    });
    r.receive(HEARTBEAT_2_60);
    r.receive(GAP_2_60);
    expect(routed).toBe(0);
    expect(r.counters.dropped["out-of-range"]).toBe(2);
    expect(r.counters.dropped["invalid-submessage"]).toBe(0);
  });
});
