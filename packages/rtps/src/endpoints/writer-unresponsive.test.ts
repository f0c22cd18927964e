import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  FOLLOW_UP_HEARTBEAT_MS,
  PROBE_PERIOD_MS,
  PROBES,
  UNRESPONSIVE_PROBE_MS,
} from "./reader-proxy.ts";
import {
  closeWriters,
  every,
  otherReaderGuid,
  readerGuid,
  type Sent,
  writerRig,
} from "./writer-rig.test-support.ts";

// A reliable reader that never answers our probes (README, "Hostile input"): it is sent no
// samples and almost no heartbeats until it does, and a best-effort reader, which never
// answers, is served as before.

const PERIOD_MS = 60_000; // the rig's heartbeat period
const dataTo = (sent: readonly Sent[], to: number): number[] =>
  sent.filter((s) => s.kind === "data" && s.to === to).map((s) => s.sn ?? 0);

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  closeWriters();
  vi.useRealTimers();
});

describe("writer with a reliable reader that never acknowledges", () => {
  it("stops pushing samples and periodic heartbeats to it, probes it now and then, and serves it again at its first ACKNACK", () => {
    const r = writerRig({ durability: "volatile" });
    r.match(readerGuid); // reliable, prefix 2
    r.writer.matchReader({
      guid: otherReaderGuid,
      locators: [],
      reliable: false,
      wantsHistory: false,
    });
    vi.advanceTimersByTime(PROBES * PROBE_PERIOD_MS);
    expect(r.writer.counters.readersUnresponsive).toBe(1);
    r.sent.length = 0;
    r.heartbeats.length = 0;

    for (let i = 0; i < 3; i++) r.write({ bytes: 100 });
    // The best-effort reader still gets every sample; the unresponsive one none.
    expect(dataTo(r.sent, 3)).toEqual([1, 2, 3]);
    expect(dataTo(r.sent, 2)).toEqual([]);
    // No piggybacked or follow-up heartbeat; one probe at the period's tick, then none until
    // UNRESPONSIVE_PROBE_MS has passed.
    vi.advanceTimersByTime(FOLLOW_UP_HEARTBEAT_MS);
    expect(r.heartbeats).toEqual([]);
    vi.advanceTimersByTime(PERIOD_MS);
    expect(r.heartbeats).toEqual([2]);
    vi.advanceTimersByTime(PERIOD_MS);
    expect(r.heartbeats).toEqual([2]);
    r.later(UNRESPONSIVE_PROBE_MS);
    vi.advanceTimersByTime(PERIOD_MS);
    expect(r.heartbeats).toEqual([2, 2]);

    // Its first ACKNACK asks for what it lacks: repaired, and later writes go to it again.
    r.sent.length = 0;
    r.ack({ readerSNState: every(1, 3), count: 1 });
    r.flush();
    expect(r.writer.counters.readersResponsiveAgain).toBe(1);
    expect(dataTo(r.sent, 2)).toEqual([1, 2, 3]);
    r.write({ bytes: 100 });
    expect(dataTo(r.sent, 2)).toEqual([1, 2, 3, 4]);
    expect(r.writer.counters.readersUnresponsive).toBe(1);
  });

  it("keeps serving a reader that answered once, however late its next answer", () => {
    const r = writerRig({ durability: "volatile" });
    r.match(readerGuid);
    r.ack({ readerSNState: every(1, 0), count: 1 });
    r.flush();
    vi.advanceTimersByTime(PROBES * PROBE_PERIOD_MS + PERIOD_MS);
    r.sent.length = 0;
    r.write({ bytes: 100 });
    expect(dataTo(r.sent, 2)).toEqual([1]);
    expect(r.writer.counters.readersUnresponsive).toBe(0);
  });
});
