import { describe, expect, it } from "vitest";
import { ByteReader, ByteWriter } from "./cursor.ts";
import { decodeMessage, MessageBuilder } from "./message.ts";
import {
  makeSequenceNumberSet,
  readSequenceNumberSet,
  writeSequenceNumberSet,
} from "./sequence-number.ts";
import { writeAckNack } from "./submessages/acknack.ts";
import { writeData } from "./submessages/data.ts";
import { writeDataFrag } from "./submessages/data-frag.ts";
import { writeHeartbeatFrag, writeNackFrag } from "./submessages/fragment-control.ts";
import { writeGap } from "./submessages/gap.ts";
import { writeHeartbeat } from "./submessages/heartbeat.ts";

const prefix = Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);

function roundTrip(fill: (mb: MessageBuilder) => void) {
  const mb = new MessageBuilder(0x0000, prefix);
  fill(mb);
  const decoded = decodeMessage(mb.take());
  if (!decoded.ok) throw new Error(decoded.error.message);
  return decoded.value;
}

describe("wire round trips", () => {
  it("header", () => {
    const m = roundTrip(() => {});
    expect(m.header.guidPrefix).toEqual(prefix);
    expect(m.header.version).toEqual({ major: 2, minor: 3 });
    expect(m.items).toEqual([]);
  });

  it("INFO_DST, INFO_TS and DATA with inline QoS and payload", () => {
    const m = roundTrip((mb) => {
      mb.infoDst(prefix).infoTs(1_700_000_000_500);
      writeData(mb.w, {
        readerId: 0x000003c7,
        writerId: 0x000003c2,
        writerSN: 2 ** 33 + 5,
        inlineQos: Uint8Array.of(0x70, 0, 4, 0, 1, 2, 3, 4, 1, 0, 0, 0),
        payload: Uint8Array.of(0, 1, 0, 0, 42, 0, 0, 0),
      });
    });
    expect(m.items[0]).toEqual({ kind: "info-dst", guidPrefix: prefix });
    expect(m.items[1]).toMatchObject({ kind: "info-ts" });
    const ts = m.items[1];
    if (ts?.kind === "info-ts") expect(ts.timestampMs).toBeCloseTo(1_700_000_000_500, 0);
    const d = m.items[2];
    expect(d?.kind).toBe("data");
    if (d?.kind !== "data") return;
    expect(d.writerSN).toBe(2 ** 33 + 5);
    expect(d.readerId).toBe(0x000003c7);
    expect(d.inlineQos?.parameters[0]?.pid).toBe(0x70);
    expect([...(d.payload ?? [])]).toEqual([0, 1, 0, 0, 42, 0, 0, 0]);
  });

  it("HEARTBEAT, ACKNACK, GAP, DATA_FRAG, NACK_FRAG, HEARTBEAT_FRAG", () => {
    const m = roundTrip((mb) => {
      writeHeartbeat(mb.w, {
        readerId: 0,
        writerId: 0x102,
        firstSN: 1,
        lastSN: 9,
        count: 3,
        final: true,
        liveliness: false,
      });
      writeAckNack(mb.w, {
        readerId: 0x107,
        writerId: 0x102,
        readerSNState: makeSequenceNumberSet(4, [4, 6, 40]),
        count: 2,
        final: false,
      });
      writeGap(mb.w, {
        readerId: 0x107,
        writerId: 0x102,
        gapStart: 3,
        gapList: makeSequenceNumberSet(5, [7]),
      });
      writeDataFrag(mb.w, {
        readerId: 0x107,
        writerId: 0x102,
        writerSN: 8,
        fragmentStartingNum: 2,
        fragmentsInSubmessage: 1,
        fragmentSize: 3,
        sampleSize: 7,
        fragments: Uint8Array.of(4, 5, 6),
      });
      writeNackFrag(mb.w, {
        readerId: 0x107,
        writerId: 0x102,
        writerSN: 8,
        fragmentNumberState: { base: 1, numBits: 3, members: [1, 3] },
        count: 1,
      });
      writeHeartbeatFrag(mb.w, {
        readerId: 0x107,
        writerId: 0x102,
        writerSN: 8,
        lastFragmentNum: 3,
        count: 1,
      });
    });
    expect(m.items.map((i) => i.kind)).toEqual([
      "heartbeat",
      "acknack",
      "gap",
      "data-frag",
      "nack-frag",
      "heartbeat-frag",
    ]);
    expect(m.items[0]).toMatchObject({ firstSN: 1, lastSN: 9, count: 3, final: true });
    expect(m.items[1]).toMatchObject({
      readerSNState: { base: 4, numBits: 37, members: [4, 6, 40] },
      count: 2,
    });
    expect(m.items[2]).toMatchObject({ gapStart: 3, gapList: { base: 5, members: [7] } });
    expect(m.items[3]).toMatchObject({
      writerSN: 8,
      fragmentStartingNum: 2,
      fragmentSize: 3,
      sampleSize: 7,
    });
    expect(m.items[4]).toMatchObject({
      fragmentNumberState: { base: 1, numBits: 3, members: [1, 3] },
    });
    expect(m.items[5]).toMatchObject({ lastFragmentNum: 3 });
  });

  it("reads big-endian submessages (E flag clear)", () => {
    const w = new ByteWriter();
    const mb = new MessageBuilder(0, prefix);
    w.bytes(mb.take());
    // HEARTBEAT, flags 0 (big-endian), length 28.
    w.bytes(Uint8Array.of(0x07, 0x00, 0x00, 28));
    w.bytes(Uint8Array.of(0, 0, 0, 0, 0, 0, 1, 2));
    w.bytes(Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 7));
    const d = decodeMessage(w.toBytes());
    expect(d.ok && d.value.items[0]).toMatchObject({
      kind: "heartbeat",
      writerId: 0x102,
      firstSN: 1,
      lastSN: 5,
      count: 7,
    });
  });

  it("SN sets keep at most 256 bits and set bit 0 as the MSB", () => {
    const w = new ByteWriter();
    writeSequenceNumberSet(w, makeSequenceNumberSet(1, [1, 2, 300]));
    const bytes = w.toBytes();
    expect(bytes[12 + 3]).toBe(0xc0); // first bitmap word, little-endian: MSB in the last byte
    expect(readSequenceNumberSet(new ByteReader(bytes, true))).toEqual({
      base: 1,
      numBits: 2,
      members: [1, 2],
    });
  });

  it("rejects non-RTPS and truncated datagrams as values", () => {
    const rtpx = new TextEncoder().encode("RTPX0123456789012345678");
    expect(decodeMessage(rtpx)).toMatchObject({ ok: false, error: { kind: "bad-magic" } });
    expect(decodeMessage(Uint8Array.of(0x52, 0x54))).toMatchObject({
      ok: false,
      error: { kind: "short" },
    });
  });

  it("CDR strings keep a leading byte-order mark and non-ASCII text", () => {
    const w = new ByteWriter();
    w.string("\ufeffparticipant é😀");
    const r = new ByteReader(w.toBytes(), true);
    expect(r.string()).toBe("\ufeffparticipant é😀");
    expect(r.remaining).toBe(0);
  });

  it("skips unknown and vendor submessages by length", () => {
    const mb = new MessageBuilder(0, prefix);
    mb.w.bytes(Uint8Array.of(0x80, 0x01, 8, 0, 1, 2, 3, 4, 5, 6, 7, 8));
    mb.w.bytes(Uint8Array.of(0x33, 0x01, 0, 0));
    const d = decodeMessage(mb.take());
    expect(d.ok && d.value.items).toEqual([
      { kind: "unknown", id: 0x80 },
      { kind: "unknown", id: 0x33 },
    ]);
  });
});
