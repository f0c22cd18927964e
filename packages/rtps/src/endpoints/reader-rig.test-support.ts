import { EntityKind, type Guid, makeEntityId } from "../wire/guid.ts";
import { decodeMessage } from "../wire/message.ts";
import type { AckNackSubmessage } from "../wire/submessages/acknack.ts";
import type { DataSubmessage } from "../wire/submessages/data.ts";
import type { NackFragSubmessage } from "../wire/submessages/fragment-control.ts";
import type { HeartbeatSubmessage } from "../wire/submessages/heartbeat.ts";
import { FragmentPool } from "./fragments.ts";
import type { Outbox } from "./outbox.ts";
import { RtpsReader } from "./reader.ts";

// One reliable reader with one matched writer, driven by hand: what the reader tests share.

export const prefix = (b: number): Uint8Array => new Uint8Array(12).fill(b);
export const writerGuid: Guid = {
  prefix: prefix(2),
  entityId: makeEntityId(1, EntityKind.writerWithKey),
};

/** A reader wired to an outbox that records ACKNACKs and NACK_FRAGs; `flush` runs the turn's hooks. */
/** A reader's fragment pool with room for any sample these tests send (1 MiB). */
export function testFragmentPool(): FragmentPool {
  return new FragmentPool({
    maxSampleSize: 1 << 20,
    maxPendingBytesPerWriter: 1 << 21,
    maxPendingBytes: 1 << 22,
  });
}

export function rig() {
  const acks: AckNackSubmessage[] = [];
  const nackFrags: NackFragSubmessage[] = [];
  const got: number[] = [];
  let hooks: Array<() => void> = [];
  const outbox: Outbox = {
    prefix: prefix(1),
    vendorId: 0,
    send: (datagram) => {
      const m = decodeMessage(datagram);
      if (!m.ok) return;
      for (const i of m.value.items) {
        if (i.kind === "acknack") acks.push(i);
        else if (i.kind === "nack-frag") nackFrags.push(i);
      }
    },
    beforeFlush: (fn) => hooks.push(fn),
  };
  const fragments = testFragmentPool();
  const reader = new RtpsReader({
    guid: { prefix: prefix(1), entityId: makeEntityId(1, EntityKind.readerWithKey) },
    reliable: true,
    outbox,
    fragments,
    onSample: (s) => got.push(s.sequenceNumber),
  });
  reader.matchWriter({ guid: writerGuid, locators: [], reliable: true });
  const flush = (): void => {
    const now = hooks;
    hooks = [];
    for (const fn of now) fn();
  };
  flush();
  acks.length = 0;
  nackFrags.length = 0;
  /** Runs `fn` then the turn's flush, and says how long both took. */
  const timed = (fn: () => void): number => {
    const t0 = performance.now();
    fn();
    flush();
    return performance.now() - t0;
  };
  return { reader, acks, nackFrags, got, flush, timed, fragments };
}

/** A DATA of `writerGuid` with a 4-byte payload. */
export const data = (sn: number): DataSubmessage => ({
  kind: "data",
  readerId: 0,
  writerId: writerGuid.entityId,
  writerSN: sn,
  inlineQos: undefined,
  payload: Uint8Array.of(0, 1, 0, 0),
  payloadIsKey: false,
});

/** A HEARTBEAT of `writerGuid`, not final. */
export const heartbeat = (firstSN: number, lastSN: number, count: number): HeartbeatSubmessage => ({
  kind: "heartbeat",
  readerId: 0,
  writerId: writerGuid.entityId,
  firstSN,
  lastSN,
  count,
  final: false,
  liveliness: false,
});
