import { describe, expect, it } from "vitest";
import type { ByteWriter } from "../wire/cursor.ts";
import { EntityKind, type Guid, makeEntityId } from "../wire/guid.ts";
import { decodeMessage, MessageBuilder } from "../wire/message.ts";
import { MAX_SEQUENCE_NUMBER, MAX_SET_BITS } from "../wire/sequence-number.ts";
import type { SubmessageItem } from "../wire/submessage.ts";
import { type DataFragSubmessage, writeDataFrag } from "../wire/submessages/data-frag.ts";
import {
  type HeartbeatFragSubmessage,
  writeHeartbeatFrag,
} from "../wire/submessages/fragment-control.ts";
import { COUNTS_ANSWERED, COUNTS_IGNORED, COUNTS_IN_ORDER } from "./count-order.test-support.ts";
import { FRAGMENT_OVERHEAD_BYTES, MAX_ASSEMBLIES_PER_WRITER } from "./fragments.ts";
import { data, heartbeat, rig, writerGuid } from "./reader-rig.test-support.ts";

// A matched writer's HEARTBEAT_FRAGs and DATA_FRAGs, built as bytes and decoded, at the
// reader that reassembles and NACKs: what they may make it store or send. A call that never
// returned would fail by the test's timeout.

/** Decodes what `fill` writes behind a header from the writer's participant. */
function decoded(fill: (w: ByteWriter) => void, from: Guid = writerGuid): SubmessageItem {
  const mb = new MessageBuilder(0x010f, from.prefix);
  fill(mb.w);
  const m = decodeMessage(mb.take());
  const item = m.ok ? m.value.items[0] : undefined;
  if (!item) throw new Error("nothing decoded");
  return item;
}

interface FragLayout {
  readonly sampleSize: number;
  readonly fragmentSize: number;
  readonly start?: number;
  readonly count?: number;
  /** Bytes carried; by default what `count` fragments need. */
  readonly bytes?: number;
}

function dataFrag(writerSN: number, l: FragLayout, from: Guid = writerGuid): DataFragSubmessage {
  const count = l.count ?? 1;
  const item = decoded(
    (w) =>
      writeDataFrag(w, {
        readerId: 0,
        writerId: from.entityId,
        writerSN,
        fragmentStartingNum: l.start ?? 1,
        fragmentsInSubmessage: count,
        fragmentSize: l.fragmentSize,
        sampleSize: l.sampleSize,
        fragments: new Uint8Array(l.bytes ?? Math.min(count * l.fragmentSize, l.sampleSize)),
      }),
    from,
  );
  if (item.kind !== "data-frag") throw new Error(`decoded as ${item.kind}`);
  return item;
}

function heartbeatFrag(
  writerSN: number,
  lastFragmentNum: number,
  count: number,
  from: Guid = writerGuid,
): HeartbeatFragSubmessage {
  const item = decoded(
    (w) =>
      writeHeartbeatFrag(w, {
        readerId: 0,
        writerId: from.entityId,
        writerSN,
        lastFragmentNum,
        count,
      }),
    from,
  );
  if (item.kind !== "heartbeat-frag") throw new Error(`decoded as ${item.kind}`);
  return item;
}

describe("reader given hostile HEARTBEAT_FRAGs", () => {
  it("NACKs lastFragmentNum 2^32 - 1 within the sample's own fragments, one window at most", () => {
    const r = rig();
    const pool = r.reader.config.fragments;
    // SN 1: 1,000 one-byte fragments, the first one in. SN 2: 10 fragments, the first one in.
    r.reader.onDataFrag(dataFrag(1, { sampleSize: 1000, fragmentSize: 1 }), writerGuid, 0);
    r.reader.onDataFrag(dataFrag(2, { sampleSize: 10, fragmentSize: 1 }), writerGuid, 0);
    const held = pool.counters.pendingBytes;
    r.reader.onHeartbeatFrag(heartbeatFrag(1, 2 ** 32 - 1, 1), writerGuid);
    r.reader.onHeartbeatFrag(heartbeatFrag(2, 2 ** 32 - 1, 2), writerGuid);
    r.flush();
    expect(r.nackFrags.map((n) => [n.writerSN, n.fragmentNumberState.base])).toEqual([
      [1, 2],
      [2, 2],
    ]);
    const [first, second] = r.nackFrags;
    expect(first?.fragmentNumberState.numBits).toBe(MAX_SET_BITS);
    expect(first?.fragmentNumberState.members).toHaveLength(MAX_SET_BITS);
    expect(second?.fragmentNumberState.members).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10]);
    // Asking costs no memory: nothing is stored for a heartbeat.
    expect(pool.counters.pendingBytes).toBe(held);
  });

  it("stores and sends nothing for a sample it never saw", () => {
    const r = rig();
    for (const [sn, count] of [
      [7, 1],
      [MAX_SEQUENCE_NUMBER, 2],
    ] as const)
      r.reader.onHeartbeatFrag(heartbeatFrag(sn, 2 ** 32 - 1, count), writerGuid);
    r.flush();
    expect(r.nackFrags).toEqual([]);
    expect(r.acks).toEqual([]);
    expect(r.reader.config.fragments.counters.pendingBytes).toBe(0);
  });

  it("answers a turn's HEARTBEAT_FRAGs with one NACK_FRAG per sample, up to the highest last", () => {
    const r = rig();
    r.reader.onDataFrag(dataFrag(1, { sampleSize: 100, fragmentSize: 10 }), writerGuid, 0);
    // 1,000 HEARTBEAT_FRAGs in one turn (a datagram holds 2,000), each with a new count.
    for (let count = 1; count <= 1000; count++)
      r.reader.onHeartbeatFrag(heartbeatFrag(1, count === 500 ? 6 : 3, count), writerGuid);
    r.flush();
    expect(r.nackFrags.map((n) => n.fragmentNumberState.members)).toEqual([[2, 3, 4, 5, 6]]);
    expect(r.reader.counters.nackFragsSent).toBe(1);
  });

  it("ignores HEARTBEAT_FRAG counts that repeat or go backwards, and hears them across the wrap", () => {
    const r = rig();
    r.reader.onDataFrag(dataFrag(1, { sampleSize: 100, fragmentSize: 10 }), writerGuid, 0);
    const answered = (count: number): boolean => {
      r.nackFrags.length = 0;
      r.reader.onHeartbeatFrag(heartbeatFrag(1, 10, count), writerGuid);
      r.flush();
      return r.nackFrags.length > 0;
    };
    expect(COUNTS_IN_ORDER.map(answered)).toEqual(COUNTS_ANSWERED);
    expect(r.reader.counters.heartbeatFragsIgnored).toBe(COUNTS_IGNORED);
  });

  it("never NACKs for a best-effort writer", () => {
    const r = rig();
    const bestEffort: Guid = { ...writerGuid, entityId: makeEntityId(9, EntityKind.writerWithKey) };
    r.reader.matchWriter({ guid: bestEffort, locators: [], reliable: false });
    r.reader.onDataFrag(
      dataFrag(1, { sampleSize: 100, fragmentSize: 10 }, bestEffort),
      bestEffort,
      0,
    );
    r.reader.onHeartbeatFrag(heartbeatFrag(1, 10, 1, bestEffort), bestEffort);
    r.flush();
    expect(r.nackFrags).toEqual([]);
    expect(r.reader.counters.heartbeatFragsIgnored).toBe(1);
  });
});

describe("reader given DATA_FRAGs whose layout does not add up", () => {
  it("refuses a sampleSize of 2^32 - 1 before storing anything", () => {
    const r = rig();
    const pool = r.reader.config.fragments;
    r.reader.onDataFrag(dataFrag(1, { sampleSize: 2 ** 32 - 1, fragmentSize: 1 }), writerGuid, 0);
    r.reader.onHeartbeatFrag(heartbeatFrag(1, 2 ** 32 - 1, 1), writerGuid);
    r.flush();
    expect(pool.counters.dropped["sample-too-large"]).toBe(1);
    expect(pool.counters.pendingBytes).toBe(0);
    expect(r.nackFrags).toEqual([]);
  });

  it("passes over a sample too large to take, so the writer's next samples are not held behind it", () => {
    // 2 MiB announced against the rig's 1 MiB limit, sent in two DATA_FRAGs, then SN 2.
    const r = rig();
    const pool = r.reader.config.fragments;
    const big = { sampleSize: 2 << 20, fragmentSize: 60_000 };
    r.reader.onDataFrag(dataFrag(1, big), writerGuid, 0);
    r.reader.onDataFrag(dataFrag(1, { ...big, start: 2 }), writerGuid, 0);
    r.reader.onData(data(2), writerGuid, 0);
    r.reader.onHeartbeat(heartbeat(1, 2, 1), writerGuid);
    r.flush();
    expect(r.got).toEqual([2]);
    expect(pool.counters.dropped["sample-too-large"]).toBe(1);
    expect(pool.counters.pendingBytes).toBe(0);
    // Acknowledged, never asked for again.
    expect(r.acks.at(-1)?.readerSNState.base).toBe(3);
    expect(r.nackFrags).toEqual([]);
  });

  it("refuses, when decoding, a zero fragment or sample size and a first fragment past the last", () => {
    const frag = (sampleSize: number, fragmentSize: number, start: number) =>
      decoded((w) =>
        writeDataFrag(w, {
          readerId: 0,
          writerId: writerGuid.entityId,
          writerSN: 1,
          fragmentStartingNum: start,
          fragmentsInSubmessage: 1,
          fragmentSize,
          sampleSize,
          fragments: new Uint8Array(8),
        }),
      ).kind;
    expect([frag(100, 0, 1), frag(0, 10, 1), frag(100, 10, 11), frag(100, 10, 0)]).toEqual([
      "invalid",
      "invalid",
      "invalid",
      "invalid",
    ]);
    expect(frag(100, 10, 10)).toBe("data-frag");
  });

  it("drops a partial sample once its SN arrives whole, and asks for it no more", () => {
    const r = rig();
    r.reader.onDataFrag(dataFrag(2, { sampleSize: 100_000, fragmentSize: 1_000 }), writerGuid, 0);
    expect(r.fragments.counters.pendingBytes).toBeGreaterThan(0);
    r.reader.onData(data(2), writerGuid, undefined);
    r.reader.onData(data(1), writerGuid, undefined);
    expect(r.got).toEqual([1, 2]);
    // Held, it was NACK_FRAGed after every heartbeat and its bytes stayed charged.
    expect(r.fragments.counters.pendingBytes).toBe(0);
    r.nackFrags.length = 0;
    r.reader.onHeartbeat(heartbeat(1, 2, 1), writerGuid);
    r.flush();
    expect(r.nackFrags).toEqual([]);
  });

  it("evicts no sample being reassembled for a DATA_FRAG that carries no fragment", () => {
    const r = rig();
    const pool = r.reader.config.fragments;
    const layout = { sampleSize: 20, fragmentSize: 10 };
    for (let sn = 1; sn <= MAX_ASSEMBLIES_PER_WRITER; sn++)
      r.reader.onDataFrag(dataFrag(sn, layout), writerGuid, 0);
    const held = pool.counters.pendingBytes;
    // A ninth sample announced by DATA_FRAGs that store nothing: no fragment in them, or fewer
    // bytes than their first fragment needs (a multiple of 4: the submessage is padded to it).
    const sn = MAX_ASSEMBLIES_PER_WRITER + 1;
    r.reader.onDataFrag(dataFrag(sn, { ...layout, count: 0, bytes: 0 }), writerGuid, 0);
    r.reader.onDataFrag(dataFrag(sn, { ...layout, bytes: 8 }), writerGuid, 0);
    r.reader.onDataFrag(
      dataFrag(sn, { ...layout, start: 2, count: 0xffff, bytes: 4 }),
      writerGuid,
      0,
    );
    expect(pool.counters.assembliesEvicted).toBe(0);
    expect(pool.counters.dropped["layout-mismatch"]).toBe(3);
    expect(pool.counters.pendingBytes).toBe(held);
    // The eight samples it would have evicted still complete.
    for (let s = 1; s <= MAX_ASSEMBLIES_PER_WRITER; s++)
      r.reader.onDataFrag(dataFrag(s, { ...layout, start: 2 }), writerGuid, 0);
    expect(r.got).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(pool.counters.pendingBytes).toBe(0);
  });

  it("stores what a run of 65,535 fragments really carries, and counts the rest", () => {
    const r = rig();
    const pool = r.reader.config.fragments;
    r.reader.onDataFrag(
      dataFrag(1, { sampleSize: 100_000, fragmentSize: 10, count: 0xffff, bytes: 36 }),
      writerGuid,
      0,
    );
    expect(pool.counters.fragmentsStored).toBe(3);
    expect(pool.counters.dropped["layout-mismatch"]).toBe(1);
    expect(pool.counters.pendingBytes).toBe(3 * (10 + FRAGMENT_OVERHEAD_BYTES));
  });

  it("bounds what one writer's one-byte fragments hold, and counts the refusals", () => {
    const r = rig();
    const pool = r.reader.config.fragments;
    const perWriter = pool.limits.maxPendingBytesPerWriter;
    // 1 MiB samples (the rig's maxSampleSize) of one-byte fragments, 60,000 per DATA_FRAG:
    // each byte costs a fragment's bookkeeping, so the writer's budget runs out long before.
    for (let sn = 1; sn <= 3; sn++)
      for (let start = 1; start <= 1 << 20; start += 60_000)
        r.reader.onDataFrag(
          dataFrag(sn, { sampleSize: 1 << 20, fragmentSize: 1, start, count: 60_000 }),
          writerGuid,
          0,
        );
    expect(pool.counters.pendingBytes).toBeLessThanOrEqual(perWriter);
    expect(pool.counters.pendingBytes).toBeGreaterThan(perWriter - (1 + FRAGMENT_OVERHEAD_BYTES));
    expect(pool.counters.dropped["writer-limit"]).toBeGreaterThan(0);
    expect(r.got).toEqual([]);
    r.reader.unmatchWriter(writerGuid);
    expect(pool.counters.pendingBytes).toBe(0);
  });
});
