import { afterEach, describe, expect, it, vi } from "vitest";
import { REPAIR_PERIOD_MS, REPAIR_TRIES } from "./reader.ts";
import { data, rig, writerGuid } from "./reader-rig.test-support.ts";

describe("reader repair without waiting for a heartbeat", () => {
  it("NACKs a hole as soon as a later DATA shows it, once per hole", () => {
    const r = rig();
    for (const sn of [1, 2, 5, 6, 7]) r.reader.onData(data(sn), writerGuid, undefined);
    r.flush();
    expect(r.got).toEqual([1, 2]);
    expect(r.acks.map((a) => [a.readerSNState.base, a.readerSNState.members])).toEqual([
      [3, [3, 4]],
    ]);
    // More in-order arrivals behind the same hole ask nothing new; heartbeats retry.
    r.reader.onData(data(8), writerGuid, undefined);
    r.flush();
    expect(r.acks).toHaveLength(1);
    r.reader.onData(data(4), writerGuid, undefined);
    r.reader.onData(data(3), writerGuid, undefined);
    expect(r.got).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it("asks again for a new hole after the first one", () => {
    const r = rig();
    for (const sn of [2, 3, 5]) r.reader.onData(data(sn), writerGuid, undefined);
    r.flush();
    expect(r.acks.map((a) => a.readerSNState.members)).toEqual([[1, 4]]);
  });

  describe("while the hole stays open", () => {
    afterEach(() => {
      vi.useRealTimers();
    });

    it("NACKs it again every repair period, a bounded number of times, then stops", () => {
      vi.useFakeTimers();
      const r = rig();
      r.reader.onData(data(2), writerGuid, undefined);
      r.flush();
      expect(r.acks).toHaveLength(1);
      // The repair itself was lost: the timer asks again without any heartbeat.
      vi.advanceTimersByTime(REPAIR_PERIOD_MS);
      r.flush();
      expect(r.acks).toHaveLength(2);
      expect(r.acks[1]?.readerSNState.members).toEqual([1]);
      for (let i = 0; i < REPAIR_TRIES + 5; i++) {
        vi.advanceTimersByTime(REPAIR_PERIOD_MS);
        r.flush();
      }
      expect(r.acks).toHaveLength(1 + REPAIR_TRIES);
      expect(vi.getTimerCount()).toBe(0);
    });

    it("stops once the hole is filled", () => {
      vi.useFakeTimers();
      const r = rig();
      r.reader.onData(data(2), writerGuid, undefined);
      r.flush();
      r.reader.onData(data(1), writerGuid, undefined);
      for (let i = 0; i < 3; i++) {
        vi.advanceTimersByTime(REPAIR_PERIOD_MS);
        r.flush();
      }
      expect(r.got).toEqual([1, 2]);
      expect(r.acks).toHaveLength(1);
      expect(vi.getTimerCount()).toBe(0);
    });
  });
});
