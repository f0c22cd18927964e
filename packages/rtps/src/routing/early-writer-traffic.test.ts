import { describe, expect, it } from "vitest";
import type { ReceiveContext } from "../wire/receive-context.ts";
import type { DataSubmessage } from "../wire/submessages/data.ts";
import type { HeartbeatSubmessage } from "../wire/submessages/heartbeat.ts";
import { HELD_SUBMESSAGE_OVERHEAD_BYTES } from "./detached-submessage.ts";
import {
  EARLY_TRAFFIC_MAX_BYTES,
  EARLY_TRAFFIC_PER_WRITER,
  EARLY_TRAFFIC_TOTAL,
  EARLY_TRAFFIC_TTL_MS,
  EarlyWriterTraffic,
} from "./early-writer-traffic.ts";

const prefix = (n: number) => Uint8Array.from({ length: 12 }, (_, i) => (i === 11 ? n : 0));
const ctx = (n: number): ReceiveContext => ({
  sourcePrefix: prefix(n),
  sourceVendorId: 0x010f,
  timestampMs: undefined,
});
const heartbeat = (writerId: number, count: number): HeartbeatSubmessage => ({
  kind: "heartbeat",
  readerId: 0,
  writerId,
  firstSN: 1,
  lastSN: count,
  count,
  final: false,
  liveliness: false,
});

const data = (writerId: number, payload: Uint8Array): DataSubmessage => ({
  kind: "data",
  readerId: 0,
  writerId,
  writerSN: 1,
  inlineQos: { littleEndian: true, parameters: [{ pid: 0x70, value: payload.subarray(0, 16) }] },
  payload,
  payloadIsKey: false,
});

describe("EarlyWriterTraffic", () => {
  it("hands back one writer's submessages in arrival order, once", () => {
    const early = new EarlyWriterTraffic(() => 0);
    early.hold(heartbeat(0x102, 1), ctx(1));
    early.hold(heartbeat(0x202, 1), ctx(1));
    early.hold(heartbeat(0x102, 2), ctx(1));
    const taken = early.take({ prefix: prefix(1), entityId: 0x102 });
    expect(taken.map((t) => (t.m as HeartbeatSubmessage).count)).toEqual([1, 2]);
    expect(early.take({ prefix: prefix(1), entityId: 0x102 })).toEqual([]);
    expect(early.size).toBe(1);
  });

  it("forgets what waited longer than its time to live", () => {
    let now = 0;
    const early = new EarlyWriterTraffic(() => now);
    early.hold(heartbeat(0x102, 1), ctx(1));
    now = EARLY_TRAFFIC_TTL_MS + 1;
    expect(early.take({ prefix: prefix(1), entityId: 0x102 })).toEqual([]);
    expect(early.dropped).toBe(1);
    expect(early.size).toBe(0);
  });

  it("bounds what one writer and all writers together can make it hold", () => {
    const early = new EarlyWriterTraffic(() => 0);
    for (let i = 0; i < EARLY_TRAFFIC_PER_WRITER + 5; i++) early.hold(heartbeat(0x102, i), ctx(1));
    expect(early.size).toBe(EARLY_TRAFFIC_PER_WRITER);
    for (let w = 0; w < 10; w++)
      for (let i = 0; i < EARLY_TRAFFIC_PER_WRITER; i++)
        early.hold(heartbeat(0x1000 + w, i), ctx(2));
    expect(early.size).toBe(EARLY_TRAFFIC_TOTAL);
    expect(early.dropped).toBe(
      5 + 10 * EARLY_TRAFFIC_PER_WRITER - (EARLY_TRAFFIC_TOTAL - EARLY_TRAFFIC_PER_WRITER),
    );
  });

  it("takes its bounds from the participant's options", () => {
    const early = new EarlyWriterTraffic(() => 0, { perWriter: 2, total: 3 });
    for (let i = 0; i < 5; i++) early.hold(heartbeat(0x102, i), ctx(1));
    for (let i = 0; i < 5; i++) early.hold(heartbeat(0x202, i), ctx(1));
    expect(early.size).toBe(3);
    expect(early.dropped).toBe(7);
    expect(early.take({ prefix: prefix(1), entityId: 0x102 })).toHaveLength(2);
  });

  it("gives a participant its fair share of the slots, from whoever holds the most", () => {
    const early = new EarlyWriterTraffic(() => 0);
    // Participant 1 takes every slot (4 writers × 64).
    for (let w = 0; w < 4; w++)
      for (let i = 0; i < EARLY_TRAFFIC_PER_WRITER; i++)
        early.hold(heartbeat(0x1000 + w, i), ctx(1));
    expect(early.size).toBe(EARLY_TRAFFIC_TOTAL);
    // Participants 2 and 3 still get in, each taking the place of 1's oldest submessage.
    early.hold(heartbeat(0x102, 1), ctx(2));
    early.hold(heartbeat(0x102, 1), ctx(3));
    expect(early.size).toBe(EARLY_TRAFFIC_TOTAL);
    expect(early.dropped).toBe(2);
    expect(early.take({ prefix: prefix(2), entityId: 0x102 })).toHaveLength(1);
    expect(early.take({ prefix: prefix(3), entityId: 0x102 })).toHaveLength(1);
    // The oldest went: writer 0x1000's first two.
    const first = early.take({ prefix: prefix(1), entityId: 0x1000 });
    expect(first.map((t) => (t.m as HeartbeatSubmessage).count)[0]).toBe(2);
    // Two participants with 128 each: neither takes the other's place.
    const fair = new EarlyWriterTraffic(() => 0);
    for (let p = 1; p <= 2; p++)
      for (let w = 0; w < 2; w++)
        for (let i = 0; i < EARLY_TRAFFIC_PER_WRITER; i++)
          fair.hold(heartbeat(0x1000 + w, i), ctx(p));
    fair.hold(heartbeat(0x102, 1), ctx(1));
    fair.hold(heartbeat(0x102, 1), ctx(2));
    expect(fair.size).toBe(EARLY_TRAFFIC_TOTAL);
    expect(fair.dropped).toBe(2);
    expect(fair.take({ prefix: prefix(1), entityId: 0x102 })).toEqual([]);
  });

  it("holds copies, not views of the datagram, charged to a byte bound shared fairly", () => {
    const early = new EarlyWriterTraffic(() => 0);
    const datagram = new Uint8Array(70_000);
    const payload = datagram.subarray(100, 60_100);
    early.hold(data(0x102, payload), ctx(1));
    const [held] = early.take({ prefix: prefix(1), entityId: 0x102 });
    const m = held?.m as DataSubmessage;
    expect(m.payload?.length).toBe(60_000);
    expect(m.payload?.buffer).not.toBe(datagram.buffer);
    expect(m.inlineQos?.parameters[0]?.value.buffer).not.toBe(datagram.buffer);
    expect(early.bytes).toBe(0);
    // Participant 1 fills the byte bound well below the slot bound.
    const each = 60_000 + 16 + HELD_SUBMESSAGE_OVERHEAD_BYTES;
    const fit = Math.floor(EARLY_TRAFFIC_MAX_BYTES / each);
    for (let i = 0; i < fit + 3; i++) early.hold(data(0x1000 + (i >> 5), payload), ctx(1));
    expect(early.size).toBe(fit);
    expect(early.bytes).toBe(fit * each);
    expect(early.dropped).toBe(3);
    // Participant 2's sample takes the place of 1's oldest.
    early.hold(data(0x102, payload), ctx(2));
    expect(early.size).toBe(fit);
    expect(early.dropped).toBe(4);
    expect(early.take({ prefix: prefix(2), entityId: 0x102 })).toHaveLength(1);
    // One submessage over the whole bound is never held.
    early.hold(data(0x103, new Uint8Array(EARLY_TRAFFIC_MAX_BYTES)), ctx(3));
    expect(early.dropped).toBe(5);
  });
});
