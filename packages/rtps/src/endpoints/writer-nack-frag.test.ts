import { afterEach, describe, expect, it } from "vitest";
import { type DurabilityKind, type HistoryQos, UNLIMITED_RESOURCES } from "../qos/endpoint-qos.ts";
import { EntityKind, type Guid, makeEntityId } from "../wire/guid.ts";
import { decodeMessage, MessageBuilder } from "../wire/message.ts";
import { MAX_SEQUENCE_NUMBER, MAX_SET_BITS } from "../wire/sequence-number.ts";
import { type NackFragSubmessage, writeNackFrag } from "../wire/submessages/fragment-control.ts";
import { FRAGMENT_SIZE, type Outbox } from "./outbox.ts";
import { MAX_FRAGMENT_RESENDS_PER_TURN, RtpsWriter } from "./writer.ts";

// A matched reader's NACK_FRAGs, built as bytes and decoded, at the writer where the resends
// they ask for are made: what a NACK_FRAG may make us send, and what it may not.

const prefix = (b: number): Uint8Array => new Uint8Array(12).fill(b);
const writerId = makeEntityId(1, EntityKind.writerNoKey);
const readerGuid: Guid = { prefix: prefix(2), entityId: makeEntityId(1, EntityKind.readerNoKey) };

/** What the writer sent, reduced to what the tests look at (no views into reused buffers). */
interface Sent {
  readonly kind: string;
  readonly sn?: number;
  readonly fragment?: number;
  readonly gap?: readonly [number, number];
}

const open: RtpsWriter[] = [];
afterEach(() => {
  for (const w of open.splice(0)) w.close();
});

function writerRig(
  o: { durability?: DurabilityKind; history?: HistoryQos; readerReliable?: boolean } = {},
) {
  const sent: Sent[] = [];
  let hooks: Array<() => void> = [];
  const outbox: Outbox = {
    prefix: prefix(1),
    vendorId: 0,
    send: (datagram) => {
      const m = decodeMessage(datagram);
      if (!m.ok) return;
      for (const i of m.value.items) {
        if (i.kind === "data-frag")
          sent.push({ kind: i.kind, sn: i.writerSN, fragment: i.fragmentStartingNum });
        else if (i.kind === "data") sent.push({ kind: i.kind, sn: i.writerSN });
        else if (i.kind === "gap")
          sent.push({ kind: i.kind, gap: [i.gapStart, i.gapList.base - 1] });
      }
    },
    beforeFlush: (fn) => hooks.push(fn),
  };
  const writer = new RtpsWriter({
    guid: { prefix: prefix(1), entityId: writerId },
    reliable: true,
    durability: o.durability ?? "transient-local",
    history: o.history ?? { kind: "keep-all" },
    resourceLimits: UNLIMITED_RESOURCES,
    keyed: false,
    heartbeatPeriodMs: 60_000,
    outbox,
  });
  open.push(writer);
  const flush = (): void => {
    while (hooks.length > 0) {
      const now = hooks;
      hooks = [];
      for (const fn of now) fn();
    }
  };
  const match = (): void => {
    writer.matchReader({
      guid: readerGuid,
      locators: [],
      reliable: o.readerReliable ?? true,
      wantsHistory: (o.durability ?? "transient-local") !== "volatile",
    });
    flush();
  };
  /** Writes a payload of `fragments` full DATA_FRAG fragments (or `bytes` bytes). */
  const write = (size: { fragments?: number; bytes?: number }): number => {
    const r = writer.write(new Uint8Array(size.bytes ?? (size.fragments ?? 1) * FRAGMENT_SIZE));
    if (!r.ok) throw new Error(r.error.message);
    flush();
    return r.value;
  };
  /** Hands the writer a NACK_FRAG as the reader's bytes carry it, and what the writer sent for it. */
  const nack = (m: Omit<NackFragSubmessage, "kind" | "readerId" | "writerId">): Sent[] => {
    sent.length = 0;
    writer.onNackFrag(nackFrag(m), readerGuid);
    return sent;
  };
  return { writer, sent, flush, match, write, nack };
}

/** Encodes a NACK_FRAG from `readerGuid` and decodes it again, as the receiver would. */
function nackFrag(
  m: Omit<NackFragSubmessage, "kind" | "readerId" | "writerId">,
): NackFragSubmessage {
  const mb = new MessageBuilder(0x010f, readerGuid.prefix);
  writeNackFrag(mb.w, { ...m, readerId: readerGuid.entityId, writerId });
  const decoded = decodeMessage(mb.take());
  const item = decoded.ok ? decoded.value.items[0] : undefined;
  if (item?.kind !== "nack-frag") throw new Error(`not decoded as a NACK_FRAG: ${item?.kind}`);
  return item;
}

/** A fragment number set holding every number of [base, base + numBits). */
const every = (base: number, numBits: number) => ({
  base,
  numBits,
  members: Array.from({ length: numBits }, (_, i) => base + i),
});

const fragmentsOf = (sent: readonly Sent[]): number[] =>
  sent.filter((s) => s.kind === "data-frag").map((s) => s.fragment ?? 0);

describe("writer answering hostile NACK_FRAGs", () => {
  it("resends the fragments a NACK_FRAG names, and only those", () => {
    const r = writerRig();
    r.match();
    const sn = r.write({ fragments: 5 });
    const sent = r.nack({
      writerSN: sn,
      fragmentNumberState: { base: 2, numBits: 3, members: [2, 4] },
      count: 1,
    });
    expect(fragmentsOf(sent)).toEqual([2, 4]);
    expect(r.writer.counters.fragmentsResent).toBe(2);
  });

  it("sends nothing for a set at the top of the fragment range (2^32 - 256, all 256 bits set)", () => {
    const r = writerRig();
    r.match();
    const sn = r.write({ fragments: 3 });
    const sent = r.nack({
      writerSN: sn,
      fragmentNumberState: every(2 ** 32 - MAX_SET_BITS, MAX_SET_BITS),
      count: 1,
    });
    expect(sent).toEqual([]);
    expect(r.writer.counters.fragmentsNotInSample).toBe(MAX_SET_BITS);
    expect(r.writer.counters.fragmentsResent).toBe(0);
  });

  it("resends at most MAX_FRAGMENT_RESENDS_PER_TURN fragments per turn, counting the rest", () => {
    const r = writerRig();
    r.match();
    const sn = r.write({ fragments: 20 });
    // 100 NACK_FRAGs in one turn (a datagram holds 1,000), each with a new count, each
    // asking for the whole sample: 2,000 fragments, 120 MB, for 3.6 KB received.
    let resent = 0;
    for (let count = 1; count <= 100; count++)
      resent += fragmentsOf(
        r.nack({ writerSN: sn, fragmentNumberState: every(1, 20), count }),
      ).length;
    expect(resent).toBe(MAX_FRAGMENT_RESENDS_PER_TURN);
    expect(r.writer.counters.fragmentResendsOverLimit).toBe(2000 - MAX_FRAGMENT_RESENDS_PER_TURN);
    // The next turn has a budget of its own: a reader asking again is served.
    r.flush();
    const next = r.nack({ writerSN: sn, fragmentNumberState: every(1, 20), count: 101 });
    expect(fragmentsOf(next)).toHaveLength(20);
  });

  it("sends nothing for an SN never written, and a GAP for one no longer held", () => {
    const r = writerRig({ history: { kind: "keep-last", depth: 1 } });
    r.match();
    r.write({ fragments: 2 }); // SN 1, replaced by SN 2 (KEEP_LAST 1)
    r.write({ fragments: 2 });
    expect(r.nack({ writerSN: 3, fragmentNumberState: every(1, 256), count: 1 })).toEqual([]);
    expect(
      r.nack({ writerSN: MAX_SEQUENCE_NUMBER, fragmentNumberState: every(1, 256), count: 2 }),
    ).toEqual([]);
    expect(r.writer.counters.nackFragsUnknownSample).toBe(2);
    expect(r.nack({ writerSN: 1, fragmentNumberState: every(1, 2), count: 3 })).toEqual([
      { kind: "gap", gap: [1, 1] },
    ]);
  });

  it("resends nothing for a sample it sent whole (no DATA_FRAG): that is ACKNACK's to repair", () => {
    const r = writerRig();
    r.match();
    const small = r.write({ bytes: 100 });
    const justUnder = r.write({ bytes: 61_000 }); // one DATA, though two fragments long
    expect(r.nack({ writerSN: small, fragmentNumberState: every(1, 1), count: 1 })).toEqual([]);
    expect(r.nack({ writerSN: justUnder, fragmentNumberState: every(1, 2), count: 2 })).toEqual([]);
    expect(r.writer.counters.nackFragsNotFragmented).toBe(2);
    expect(r.writer.counters.fragmentsResent).toBe(0);
  });

  it("GAPs a sample written before a volatile reader matched instead of resending it", () => {
    const r = writerRig({ durability: "volatile", history: { kind: "keep-last", depth: 1 } });
    const sn = r.write({ fragments: 3 });
    r.match();
    const sent = r.nack({ writerSN: sn, fragmentNumberState: every(1, 3), count: 1 });
    expect(fragmentsOf(sent)).toEqual([]);
    expect(sent).toEqual([{ kind: "gap", gap: [sn, sn] }]);
  });

  it("ignores a best-effort reader's NACK_FRAG", () => {
    const r = writerRig({ readerReliable: false });
    r.match();
    const sn = r.write({ fragments: 3 });
    expect(r.nack({ writerSN: sn, fragmentNumberState: every(1, 3), count: 1 })).toEqual([]);
    expect(r.writer.counters.nackFragsIgnored).toBe(1);
  });

  it("ignores NACK_FRAG counts that repeat or go backwards, and hears them across the wrap", () => {
    const r = writerRig();
    r.match();
    const sn = r.write({ fragments: 2 });
    const answered = (count: number): boolean => {
      r.flush(); // each in a turn of its own: only the count decides
      return (
        fragmentsOf(r.nack({ writerSN: sn, fragmentNumberState: every(1, 1), count })).length > 0
      );
    };
    expect([5, 5, 4, 2 ** 31 - 1, -(2 ** 31), 2 ** 31 - 2, -(2 ** 31) + 1].map(answered)).toEqual([
      true,
      false,
      false,
      true,
      true,
      false,
      true,
    ]);
    expect(r.writer.counters.nackFragsIgnored).toBe(3);
  });
});
