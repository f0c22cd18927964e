import { afterEach, describe, expect, it, vi } from "vitest";
import { EntityKind, type Guid, makeEntityId } from "../wire/guid.ts";
import { decodeMessage } from "../wire/message.ts";
import type { AckNackSubmessage } from "../wire/submessages/acknack.ts";
import type { DataSubmessage } from "../wire/submessages/data.ts";
import { FragmentPool } from "./fragments.ts";
import type { Outbox } from "./outbox.ts";
import { REPAIR_PERIOD_MS, REPAIR_TRIES, type ReceivedSample, RtpsReader } from "./reader.ts";

const prefix = (b: number): Uint8Array => new Uint8Array(12).fill(b);
const writerGuid: Guid = { prefix: prefix(2), entityId: makeEntityId(1, EntityKind.writerWithKey) };

/** A reader wired to an outbox that records ACKNACKs; `flush` runs the turn's hooks. */
function rig(): { reader: RtpsReader; acks: AckNackSubmessage[]; got: number[]; flush(): void } {
  const acks: AckNackSubmessage[] = [];
  const got: number[] = [];
  let hooks: Array<() => void> = [];
  const outbox: Outbox = {
    prefix: prefix(1),
    vendorId: 0,
    send: (datagram) => {
      const m = decodeMessage(datagram);
      if (m.ok) for (const i of m.value.items) if (i.kind === "acknack") acks.push(i);
    },
    beforeFlush: (fn) => hooks.push(fn),
  };
  const reader = new RtpsReader({
    guid: { prefix: prefix(1), entityId: makeEntityId(1, EntityKind.readerWithKey) },
    reliable: true,
    outbox,
    fragments: new FragmentPool({
      maxSampleSize: 1 << 20,
      maxPendingBytesPerWriter: 1 << 21,
      maxPendingBytes: 1 << 22,
    }),
    onSample: (s: ReceivedSample) => got.push(s.sequenceNumber),
  });
  reader.matchWriter({ guid: writerGuid, locators: [], reliable: true });
  const flush = (): void => {
    const now = hooks;
    hooks = [];
    for (const fn of now) fn();
  };
  flush();
  acks.length = 0;
  return { reader, acks, got, flush };
}

function data(sn: number): DataSubmessage {
  return {
    kind: "data",
    readerId: 0,
    writerId: writerGuid.entityId,
    writerSN: sn,
    inlineQos: undefined,
    payload: Uint8Array.of(0, 1, 0, 0),
    payloadIsKey: false,
  };
}

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
