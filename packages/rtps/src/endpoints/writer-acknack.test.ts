import { afterEach, describe, expect, it, vi } from "vitest";
import type { ResourceLimitsQos } from "../qos/endpoint-qos.ts";
import { MAX_SET_BITS } from "../wire/sequence-number.ts";
import { COUNTS_ANSWERED, COUNTS_IGNORED, COUNTS_IN_ORDER } from "./count-order.test-support.ts";
import { MAX_FRAGMENT_RESENDS_PER_TURN, MAX_SAMPLE_RESENDS_PER_TURN } from "./writer.ts";
import {
  closeWriters,
  every,
  fragmentsOf,
  otherReaderGuid,
  type Sent,
  writerRig,
} from "./writer-rig.test-support.ts";

// Matched readers' ACKNACKs, built as bytes and decoded, at the writer where the resends they
// ask for are made: how much a turn of them may make us send, and that what is cut is sent
// when the reader asks again.

afterEach(closeWriters);

const dataOf = (sent: readonly Sent[], to?: number): number[] =>
  sent.filter((s) => s.kind === "data" && (to === undefined || s.to === to)).map((s) => s.sn ?? 0);
const gapsOf = (sent: readonly Sent[]): Sent[] => sent.filter((s) => s.kind === "gap");

/** A writer matched with the rig's reader, holding `n` samples of `bytes` bytes (SNs 1..n). */
function holding(n: number, bytes: number) {
  const r = writerRig();
  r.match();
  for (let i = 0; i < n; i++) r.write({ bytes });
  r.sent.length = 0;
  r.heartbeats.length = 0;
  return r;
}

describe("writer answering ACKNACK floods", () => {
  it("answers at most MAX_SAMPLE_RESENDS_PER_TURN SNs a turn, and the rest when asked again", () => {
    const r = holding(20, 60_000);
    // 1,000 ACKNACKs in one turn (a 64 KB datagram holds 2,000 of these 32 bytes), each with a
    // new count, each asking for all 20 SNs: 20,000 DATA of 60,000 bytes (1.2 GB) before.
    for (let count = 1; count <= 1000; count++) r.ack({ readerSNState: every(1, 20), count });
    expect(dataOf(r.sent)).toHaveLength(MAX_SAMPLE_RESENDS_PER_TURN);
    expect(r.writer.counters.resent).toBe(MAX_SAMPLE_RESENDS_PER_TURN);
    expect(r.writer.counters.sampleResendsOverLimit).toBe(20_000 - MAX_SAMPLE_RESENDS_PER_TURN);
    // The reader was told to ask again: a heartbeat went with the DATA of each ACKNACK served.
    expect(r.heartbeats.length).toBeGreaterThan(0);
    expect(r.heartbeats.length).toBeLessThanOrEqual(MAX_SAMPLE_RESENDS_PER_TURN / 20 + 2);
    // The next turn has a budget of its own: the reader asking again is served in full.
    r.flush();
    r.sent.length = 0;
    r.ack({ readerSNState: every(1, 20), count: 1001 });
    expect(dataOf(r.sent)).toEqual(every(1, 20).members);
  });

  it("never cuts a reader asking for a whole window once; readers of one turn share the budget", () => {
    const r = holding(MAX_SET_BITS, 100);
    r.match(otherReaderGuid);
    r.flush();
    r.sent.length = 0;
    r.heartbeats.length = 0;
    // One ACKNACK for all 256 SNs (the most one can ask for): answered in full.
    r.ack({ readerSNState: every(1, MAX_SET_BITS), count: 1 });
    expect(dataOf(r.sent, 2)).toEqual(every(1, MAX_SET_BITS).members);
    expect(r.writer.counters.sampleResendsOverLimit).toBe(0);
    // Another reader asking in the same turn is cut, counted, and sent a heartbeat so that it
    // asks again at once; one ACKNACK or a thousand, one heartbeat a turn.
    for (let count = 1; count <= 1000; count++)
      r.ack({ readerSNState: every(1, 10), count }, otherReaderGuid);
    expect(dataOf(r.sent, 3)).toEqual([]);
    expect(r.writer.counters.sampleResendsOverLimit).toBe(10_000);
    expect(r.heartbeats.filter((to) => to === 3)).toHaveLength(1);
    // Its next ACKNACK, in the next turn, is answered.
    r.flush();
    r.ack({ readerSNState: every(1, 10), count: 1001 }, otherReaderGuid);
    expect(dataOf(r.sent, 3)).toEqual(every(1, 10).members);
  });

  it("counts a sample sent as fragments against the fragment budget too", () => {
    const r = writerRig();
    r.match();
    const sn = r.write({ fragments: 20 });
    r.sent.length = 0;
    // 1,000 ACKNACKs naming one sample of 20 fragments: 20,000 fragments (1.2 GB) before, the
    // NACK_FRAG cap of f703ccd bypassed.
    for (let count = 1; count <= 1000; count++) r.ack({ readerSNState: every(sn, 1), count });
    // Whole samples while the fragment budget is not spent: 13 of 20 fragments.
    const whole = Math.ceil(MAX_FRAGMENT_RESENDS_PER_TURN / 20);
    expect(fragmentsOf(r.sent)).toHaveLength(whole * 20);
    expect(r.writer.counters.sampleResendsOverLimit).toBe(1000 - whole);
    // A NACK_FRAG of the same turn finds the budget spent.
    expect(
      fragmentsOf(r.nack({ writerSN: sn, fragmentNumberState: every(1, 20), count: 1 })),
    ).toEqual([]);
    expect(r.writer.counters.fragmentResendsOverLimit).toBe(20);
  });

  it("resends a sample of more fragments than the budget whole, once a turn", () => {
    const r = writerRig();
    r.match();
    const big = MAX_FRAGMENT_RESENDS_PER_TURN + 44;
    const sn = r.write({ fragments: big });
    r.sent.length = 0;
    for (let count = 1; count <= 3; count++) r.ack({ readerSNState: every(sn, 1), count });
    expect(fragmentsOf(r.sent)).toHaveLength(big);
    expect(r.writer.counters.sampleResendsOverLimit).toBe(2);
    r.flush();
    r.sent.length = 0;
    r.ack({ readerSNState: every(sn, 1), count: 4 });
    expect(fragmentsOf(r.sent)).toHaveLength(big);
  });

  it("counts SNs answered with a GAP: one GAP per SN no longer held, scattered", () => {
    // Keyed, KEEP_LAST 1: odd SNs are distinct instances (held), even SNs rewrite one instance
    // (gone but the last): every other SN is gone, so each ACKNACK for them costs 127 GAPs
    // (4 KB) for its 60 bytes.
    const r = writerRig({ keyed: true, history: { kind: "keep-last", depth: 1 } });
    r.match();
    for (let sn = 1; sn <= MAX_SET_BITS; sn++) r.write({ bytes: 4, key: sn % 2 === 1 ? sn : 0 });
    r.sent.length = 0;
    const gone = every(1, MAX_SET_BITS).members.filter((sn) => sn % 2 === 0 && sn < MAX_SET_BITS);
    const readerSNState = { base: 1, numBits: MAX_SET_BITS, members: gone };
    for (let count = 1; count <= 1000; count++) r.ack({ readerSNState, count });
    // 127,000 GAPs before.
    expect(gapsOf(r.sent)).toHaveLength(MAX_SAMPLE_RESENDS_PER_TURN);
    expect(r.writer.counters.sampleResendsOverLimit).toBe(127_000 - MAX_SAMPLE_RESENDS_PER_TURN);
  });

  it("still GAPs a reader below the window and heartbeats a non-final ACKNACK asking nothing", () => {
    const r = writerRig({ history: { kind: "keep-last", depth: 1 } });
    r.match();
    r.write({ bytes: 4 });
    r.write({ bytes: 4 });
    r.sent.length = 0;
    r.heartbeats.length = 0;
    // Spend the turn's budget first: neither answer is a resend, so neither is cut.
    for (let count = 1; count <= MAX_SAMPLE_RESENDS_PER_TURN; count++)
      r.ack({ readerSNState: every(2, 1), count, final: true });
    r.sent.length = 0;
    r.ack({ readerSNState: { base: 1, numBits: 0, members: [] }, count: 1000 });
    expect(r.sent).toEqual([{ kind: "gap", to: 2, gap: [1, 1] }]);
    expect(r.heartbeats.at(-1)).toBe(2);
  });

  it("ignores ACKNACK counts that repeat or go backwards, counted, and hears them across the wrap", () => {
    const r = holding(2, 100);
    const answered = (count: number): boolean => {
      r.flush(); // each in a turn of its own: only the count decides
      r.sent.length = 0;
      r.ack({ readerSNState: every(1, 2), count });
      return dataOf(r.sent).length > 0;
    };
    expect(COUNTS_IN_ORDER.map(answered)).toEqual(COUNTS_ANSWERED);
    expect(r.writer.counters.ackNacksIgnored).toBe(COUNTS_IGNORED);
  });
});

describe("writer settling a turn's acknowledgements", () => {
  /** A volatile KEEP_ALL writer (it drops what all readers acknowledged) with two readers. */
  function twoReaders(resourceLimits?: ResourceLimitsQos) {
    const r = writerRig({
      durability: "volatile",
      history: { kind: "keep-all" },
      ...(resourceLimits ? { resourceLimits } : {}),
    });
    r.match();
    r.match(otherReaderGuid);
    return r;
  }
  const acked = (base: number) => ({ base, numBits: 0, members: [] });

  it("prunes the history and checks 'all acknowledged' once a turn, however many ACKNACKs", async () => {
    const r = twoReaders();
    for (let i = 0; i < 100; i++) r.write({ bytes: 8 });
    r.ack({ readerSNState: acked(101), count: 1, final: true }, otherReaderGuid);
    r.flush();
    const all = r.writer.waitForAcknowledgments(10_000);
    const prunes = vi.spyOn(r.writer.history, "removeBelow");
    const checks = vi.spyOn(r.writer, "allAcknowledged");
    // The slowest reader acknowledges one SN per ACKNACK. Each walked every reader twice before
    // (pruning, then 'all acknowledged' for the waiter): a datagram of 2,000 ACKNACKs to a
    // writer matched with 8,000 readers took about 100 ms.
    for (let sn = 2; sn <= 101; sn++) r.ack({ readerSNState: acked(sn), count: sn, final: true });
    expect(prunes).not.toHaveBeenCalled();
    expect(checks).not.toHaveBeenCalled();
    r.flush();
    expect(prunes).toHaveBeenCalledTimes(1);
    expect(checks).toHaveBeenCalledTimes(1);
    expect(r.writer.history.size).toBe(0);
    expect(await all).toBe(true);
  });

  it("takes a write an ACKNACK made room for before the turn ends, as writeAsync retries then", async () => {
    const r = twoReaders({ maxSamples: 2, maxInstances: 1, maxSamplesPerInstance: 2 });
    r.write({ bytes: 8 });
    r.write({ bytes: 8 });
    expect(r.writer.write(new Uint8Array(8)).ok).toBe(false);
    const progress = r.writer.nextAckProgress(10_000);
    r.ack({ readerSNState: acked(3), count: 1, final: true });
    r.ack({ readerSNState: acked(3), count: 1, final: true }, otherReaderGuid);
    // Progress is told at once (no turn end in between): the retry finds the room.
    await progress;
    expect(r.writer.write(new Uint8Array(8)).ok).toBe(true);
    expect(r.writer.history.size).toBe(1);
  });

  it("lets a reader that leaves release what only it held back", async () => {
    const r = twoReaders();
    for (let i = 0; i < 10; i++) r.write({ bytes: 8 });
    r.ack({ readerSNState: acked(11), count: 1, final: true });
    r.flush();
    expect(r.writer.history.size).toBe(10);
    const all = r.writer.waitForAcknowledgments(10_000);
    r.writer.unmatchReader(otherReaderGuid);
    r.flush();
    expect(r.writer.history.size).toBe(0);
    expect(await all).toBe(true);
  });
});
