import { describe, expect, it } from "vitest";
import { EntityKind, makeEntityId } from "../wire/guid.ts";
import { MAX_SEQUENCE_NUMBER } from "../wire/sequence-number.ts";
import type { DataSubmessage } from "../wire/submessages/data.ts";
import type { GapSubmessage } from "../wire/submessages/gap.ts";
import { data, heartbeat, prefix, rig, writerGuid } from "./reader-rig.test-support.ts";
import { REORDER_WINDOW, SLOT_BYTES } from "./reorder-buffer.ts";

// A matched writer's extreme (but decodable) SNs and counts, at the reader where the loops
// over them live: every call returns at once and leaves the reader usable.

/**
 * Each call must return: a hang detector (the defects looped forever), not a speed claim, so
 * far above the microseconds a call takes that a loaded CI machine cannot decide it.
 */
const HANG_MS = 1_000;

const gap = (gapStart: number, base: number, members: number[] = []): GapSubmessage => ({
  kind: "gap",
  readerId: 0,
  writerId: writerGuid.entityId,
  gapStart,
  gapList: {
    base,
    numBits: members.length === 0 ? 0 : (members.at(-1) ?? base) - base + 1,
    members,
  },
});

describe("reader with a writer's extreme SNs", () => {
  it("answers a HEARTBEAT at 2^52 with one bounded ACKNACK and keeps going", () => {
    const r = rig();
    const ms = r.timed(() =>
      r.reader.onHeartbeat(heartbeat(MAX_SEQUENCE_NUMBER, MAX_SEQUENCE_NUMBER, 1), writerGuid),
    );
    expect(ms).toBeLessThan(HANG_MS);
    expect(r.acks).toHaveLength(1);
    expect(r.acks[0]?.readerSNState).toEqual({
      base: MAX_SEQUENCE_NUMBER,
      numBits: 1,
      members: [MAX_SEQUENCE_NUMBER],
    });
    expect(r.reader.counters.samplesLost).toBe(MAX_SEQUENCE_NUMBER - 1);
    r.reader.onData(data(MAX_SEQUENCE_NUMBER), writerGuid, undefined);
    expect(r.got).toEqual([MAX_SEQUENCE_NUMBER]);
  });

  it("walks at most 256 SNs for an ACKNACK however far the writer announces", () => {
    const r = rig();
    const ms = r.timed(() =>
      r.reader.onHeartbeat(heartbeat(1, MAX_SEQUENCE_NUMBER, 1), writerGuid),
    );
    expect(ms).toBeLessThan(HANG_MS);
    expect(r.acks[0]?.readerSNState.base).toBe(1);
    expect(r.acks[0]?.readerSNState.numBits).toBe(256);
  });

  it("skips to a GAP's end at 2^52 at once", () => {
    const r = rig();
    const ms = r.timed(() => r.reader.onGap(gap(1, MAX_SEQUENCE_NUMBER), writerGuid));
    expect(ms).toBeLessThan(HANG_MS);
    r.reader.onData(data(MAX_SEQUENCE_NUMBER), writerGuid, undefined);
    expect(r.got).toEqual([MAX_SEQUENCE_NUMBER]);
  });

  it("marks at most 256 SNs of a GAP range ahead of a hole, and nothing past the window", () => {
    const r = rig();
    // SN 1 missing; the writer claims [2, 2^52) irrelevant.
    const ms = r.timed(() => r.reader.onGap(gap(2, MAX_SEQUENCE_NUMBER), writerGuid));
    expect(ms).toBeLessThan(HANG_MS);
    r.reader.onData(data(1), writerGuid, undefined);
    // 1 delivered, 2..257 were irrelevant, 258 is the next one expected.
    r.reader.onData(data(259), writerGuid, undefined);
    r.reader.onData(data(258), writerGuid, undefined);
    expect(r.got).toEqual([1, 258, 259]);
    // A range far ahead lands beyond the reorder window: counted, not held.
    r.reader.onGap(gap(MAX_SEQUENCE_NUMBER - 10, MAX_SEQUENCE_NUMBER), writerGuid);
    expect(r.reader.counters.beyondWindow).toBe(10);
  });

  it("holds out-of-order samples only within the reorder window", () => {
    const r = rig();
    r.reader.onData(data(1 + REORDER_WINDOW), writerGuid, undefined);
    r.reader.onData(data(REORDER_WINDOW), writerGuid, undefined);
    expect(r.reader.counters.beyondWindow).toBe(1);
    for (let sn = 1; sn < REORDER_WINDOW; sn++) r.reader.onData(data(sn), writerGuid, undefined);
    expect(r.got).toHaveLength(REORDER_WINDOW);
    expect(r.got.at(-1)).toBe(REORDER_WINDOW);
  });

  it("asks only for what the writer's latest heartbeat says it wrote, whatever DATA said", () => {
    // A forged DATA far ahead (the writer is at SN 1) showed a hole 2..9: asked for once, then
    // after every heartbeat, and the writer answered each ask with a heartbeat.
    const r = rig();
    r.reader.onData(data(1), writerGuid, undefined);
    r.reader.onData(data(10), writerGuid, undefined);
    r.flush();
    expect(r.acks.at(-1)?.readerSNState.members).toEqual([2, 3, 4, 5, 6, 7, 8, 9]);
    r.reader.onHeartbeat(heartbeat(1, 1, 1), writerGuid);
    r.flush();
    expect(r.acks.at(-1)).toMatchObject({ final: true, readerSNState: { base: 2, members: [] } });
    // The writer goes on: SNs it now says it wrote are asked for again.
    r.reader.onHeartbeat(heartbeat(1, 3, 2), writerGuid);
    r.flush();
    expect(r.acks.at(-1)?.readerSNState.members).toEqual([2, 3]);
  });

  it("counts SNs a GAP declares irrelevant as lost neither way, with or without a hole first", () => {
    const gap = (gapStart: number, end: number) => ({
      kind: "gap" as const,
      readerId: 0,
      writerId: writerGuid.entityId,
      gapStart,
      gapList: { base: end, numBits: 0, members: [] },
    });
    const inOrder = rig();
    inOrder.reader.onData(data(1), writerGuid, undefined);
    inOrder.reader.onGap(gap(2, 5), writerGuid);
    const aheadOfHole = rig();
    aheadOfHole.reader.onGap(gap(2, 5), writerGuid);
    aheadOfHole.reader.onData(data(1), writerGuid, undefined);
    for (const r of [inOrder, aheadOfHole]) {
      r.reader.onData(data(5), writerGuid, undefined);
      expect(r.got).toEqual([1, 5]);
      expect(r.reader.counters.samplesLost).toBe(0);
    }
    // A heartbeat that moves past a hole still counts it lost.
    inOrder.reader.onHeartbeat(heartbeat(9, 9, 1), writerGuid);
    expect(inOrder.reader.counters.samplesLost).toBe(3);
  });

  it("hears heartbeat counts across the int32 wrap, and ignores older ones", () => {
    const r = rig();
    r.reader.onData(data(2), writerGuid, undefined); // hole at 1: every heartbeat is answered
    r.flush();
    r.acks.length = 0;
    r.timed(() => r.reader.onHeartbeat(heartbeat(1, 2, 2 ** 31 - 1), writerGuid));
    r.timed(() => r.reader.onHeartbeat(heartbeat(1, 2, -(2 ** 31)), writerGuid));
    r.timed(() => r.reader.onHeartbeat(heartbeat(1, 2, 2 ** 31 - 2), writerGuid));
    r.timed(() => r.reader.onHeartbeat(heartbeat(1, 2, -(2 ** 31) + 1), writerGuid));
    expect(r.acks).toHaveLength(3);
  });
});

describe("samples held out of order", () => {
  /** A DATA whose payload is a 4-byte view into a 64 KB datagram, as the socket hands it. */
  const inDatagram = (sn: number): DataSubmessage => ({
    ...data(sn),
    payload: new Uint8Array(65_536).subarray(100, 104),
  });

  it("are charged the datagram they keep alive, bounded per participant, and given back", () => {
    const { reader, got } = rig();
    const pool = reader.config.fragments;
    // SN 1 is missing: everything after it is held until it comes.
    for (let sn = 2; sn <= REORDER_WINDOW; sn++) reader.onData(inDatagram(sn), writerGuid, 0);
    const held = pool.counters.heldSampleBytes;
    // 64 MiB of 64 KB datagrams: about 1,020 held, the rest dropped and counted.
    const samples = REORDER_WINDOW - 1 - pool.counters.heldSamplesDropped;
    expect(samples).toBeGreaterThan(1_000);
    // SNs 2 to samples + 1 are held: the slots, doubled from 16 until past them, are charged too.
    let slots = 16;
    while (slots <= samples) slots *= 2;
    expect(held).toBe(samples * (65_536 + 128) + (slots - 16) * SLOT_BYTES);
    expect(held).toBeLessThanOrEqual(pool.maxHeldSampleBytes);
    expect(held).toBeGreaterThan(pool.maxHeldSampleBytes - 65_536 - 128 - slots * SLOT_BYTES);
    expect(got).toEqual([]);
    // The hole closes: what was held is delivered in order and its bytes come back.
    reader.onData(data(1), writerGuid, 0);
    expect(got.length).toBe(1 + samples);
    expect(got.slice(0, 3)).toEqual([1, 2, 3]);
    expect(pool.counters.heldSampleBytes).toBe(0);
  });

  it("gives the bytes back when the writer goes away", () => {
    const { reader } = rig();
    const pool = reader.config.fragments;
    for (let sn = 2; sn <= 10; sn++) reader.onData(inDatagram(sn), writerGuid, 0);
    expect(pool.counters.heldSampleBytes).toBe(9 * (65_536 + 128));
    reader.unmatchWriter(writerGuid);
    expect(pool.counters.heldSampleBytes).toBe(0);
  });

  it("charges the slots a GAP far ahead grows, bounded over every writer, and gives them back", () => {
    const { reader } = rig();
    const pool = reader.config.fragments;
    // 256 SNs irrelevant at the window's end, SN 1 missing: 4,096 slots, 32 KB for 32 bytes of
    // GAP. Before, uncharged: 512 writers a participant, 128 participants, 2 GB.
    const perWriter = (REORDER_WINDOW - 16) * SLOT_BYTES;
    const writers = Array.from(
      { length: Math.ceil(pool.maxHeldSampleBytes / perWriter) + 10 },
      (_, i) => ({
        prefix: prefix(3),
        entityId: makeEntityId(10 + i, EntityKind.writerNoKey),
      }),
    );
    for (const guid of writers) {
      reader.matchWriter({ guid, locators: [], reliable: true });
      reader.onGap(
        { ...gap(REORDER_WINDOW - 255, REORDER_WINDOW + 1), writerId: guid.entityId },
        guid,
      );
    }
    const held = pool.counters.heldSampleBytes;
    expect(held).toBeLessThanOrEqual(pool.maxHeldSampleBytes);
    expect(held % perWriter).toBe(0);
    // Each writer refused is counted once per SN it could not hold.
    expect(pool.counters.heldSamplesDropped).toBe((writers.length - held / perWriter) * 256);
    for (const guid of writers) reader.unmatchWriter(guid);
    expect(pool.counters.heldSampleBytes).toBe(0);
  });
});
