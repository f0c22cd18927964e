import { describe, expect, it } from "vitest";
import type { ReceiveContext } from "../wire/receive-context.ts";
import type { HeartbeatSubmessage } from "../wire/submessages/heartbeat.ts";
import {
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
});
