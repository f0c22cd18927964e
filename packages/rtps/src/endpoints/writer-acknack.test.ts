import { afterEach, describe, expect, it, vi } from "vitest";
import type { ResourceLimitsQos } from "../qos/endpoint-qos.ts";
import { MAX_SET_BITS } from "../wire/sequence-number.ts";
import { COUNTS_ANSWERED, COUNTS_IGNORED, COUNTS_IN_ORDER } from "./count-order.test-support.ts";
import {
  MAX_RESENDS_REMEMBERED,
  mayResend,
  RESEND_SUPPRESSION_MS,
  type ReaderProxy,
} from "./reader-proxy.ts";
import { MAX_FRAGMENT_RESENDS_PER_TURN, MAX_SAMPLE_RESENDS_PER_TURN } from "./writer.ts";
import {
  closeWriters,
  every,
  fragmentsOf,
  otherReaderGuid,
  readerGuid,
  readerOf,
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
  it("answers one reader's flood of ACKNACKs once: its latest replaces the earlier ones", () => {
    const r = holding(20, 60_000);
    // 1,000 ACKNACKs in one turn (a 64 KB datagram holds 2,000 of these 32 bytes), each with a
    // new count, each asking for all 20 SNs: 20,000 DATA of 60,000 bytes (1.2 GB) before the
    // caps, 256 after them, 20 now.
    for (let count = 1; count <= 1000; count++) r.ack({ readerSNState: every(1, 20), count });
    expect(dataOf(r.sent)).toEqual([]); // answered at the turn's end
    r.flush();
    expect(dataOf(r.sent)).toEqual(every(1, 20).members);
    expect(r.writer.counters.resent).toBe(20);
    expect(r.writer.counters.repairsSuperseded).toBe(999 * 20);
    expect(r.writer.counters.sampleResendsOverLimit).toBe(0);
    // One heartbeat went with the DATA.
    expect(r.heartbeats).toEqual([2]);
  });

  it("answers at most MAX_SAMPLE_RESENDS_PER_TURN SNs a turn, all participants together, and the rest when asked again", () => {
    const r = holding(MAX_SET_BITS, 100);
    const readers = [readerOf(3), readerOf(4)];
    for (const reader of readers) r.match(reader);
    r.flush();
    r.sent.length = 0;
    r.heartbeats.length = 0;
    // Three participants each ask for the whole window: 768 SNs, 256 answered.
    for (const reader of [readerOf(2), ...readers])
      r.ack({ readerSNState: every(1, MAX_SET_BITS), count: 1 }, reader);
    r.flush();
    expect(dataOf(r.sent)).toHaveLength(MAX_SAMPLE_RESENDS_PER_TURN);
    expect(r.writer.counters.sampleResendsOverLimit).toBe(
      3 * MAX_SET_BITS - MAX_SAMPLE_RESENDS_PER_TURN,
    );
    // Each got its share, lowest SNs first, and a heartbeat to ask again for the rest.
    for (const to of [2, 3, 4]) expect(dataOf(r.sent, to).length).toBeGreaterThanOrEqual(85);
    expect(dataOf(r.sent, 2)).toEqual(every(1, dataOf(r.sent, 2).length).members);
    expect([...r.heartbeats].sort()).toEqual([2, 3, 4]);
    // The next turn has a budget of its own: one reader asking again is served in full.
    r.later();
    r.sent.length = 0;
    r.ack({ readerSNState: every(1, MAX_SET_BITS), count: 2 });
    r.flush();
    expect(dataOf(r.sent, 2)).toEqual(every(1, MAX_SET_BITS).members);
  });

  it("keeps a share of the turn for a reader however much another participant floods", () => {
    const r = holding(MAX_SET_BITS, 100);
    // A participant with 8 readers, each asking for the whole window in every ACKNACK, and
    // its ACKNACKs read first in each turn. Before, the turn's budget went in the order they
    // came: the other reader's repairs were cut for as long as the flood lasted.
    const flooders = Array.from({ length: 8 }, (_, i) => readerOf(3, i + 1));
    for (const reader of flooders) r.match(reader);
    r.flush();
    r.sent.length = 0;
    const got: number[] = [];
    for (let turn = 1; got.length < MAX_SET_BITS && turn <= 4; turn++) {
      r.later(); // turns a repair period apart: nothing resent is suppressed
      for (const reader of flooders)
        r.ack({ readerSNState: every(1, MAX_SET_BITS), count: turn }, reader);
      // The reader asks for what it still misses, as its ACKNACK would.
      const missing = every(1, MAX_SET_BITS).members.filter((sn) => !got.includes(sn));
      r.ack({ readerSNState: { base: 1, numBits: MAX_SET_BITS, members: missing }, count: turn });
      r.sent.length = 0;
      r.flush();
      got.push(...dataOf(r.sent, 2));
      // Half the turn each: the flooding participant's readers share its half.
      expect(dataOf(r.sent, 2)).toHaveLength(MAX_SAMPLE_RESENDS_PER_TURN / 2);
      expect(dataOf(r.sent, 3)).toHaveLength(MAX_SAMPLE_RESENDS_PER_TURN / 2);
    }
    expect(got.sort((a, b) => a - b)).toEqual(every(1, MAX_SET_BITS).members);
    // What a participant asks for beyond one budget's worth in a turn is cut when it comes.
    expect(r.writer.counters.sampleResendsOverLimit).toBeGreaterThanOrEqual(
      2 * (8 * MAX_SET_BITS - MAX_SAMPLE_RESENDS_PER_TURN),
    );
  });

  it("counts a sample sent as fragments against the fragment budget too", () => {
    const r = writerRig();
    r.match();
    for (let i = 0; i < 20; i++) r.write({ fragments: 20 });
    r.sent.length = 0;
    // One ACKNACK naming 20 samples of 20 fragments: 400 fragments, past the fragment budget
    // of 256 (an ACKNACK for a fragmented sample got past the NACK_FRAG cap of f703ccd).
    r.ack({ readerSNState: every(1, 20), count: 1 });
    // A NACK_FRAG of the same turn is answered after them, and finds the budget spent.
    r.nackInTurn({ writerSN: 20, fragmentNumberState: every(1, 20), count: 1 });
    r.flush();
    // Whole samples while the fragment budget is not spent: 13 of 20 fragments.
    const whole = Math.ceil(MAX_FRAGMENT_RESENDS_PER_TURN / 20);
    expect(fragmentsOf(r.sent)).toHaveLength(whole * 20);
    expect(r.writer.counters.sampleResendsOverLimit).toBe(20 - whole);
    expect(r.writer.counters.fragmentResendsOverLimit).toBe(20);
  });

  it("resends a sample of more fragments than the budget whole, once a turn", () => {
    const r = writerRig();
    r.match();
    r.match(otherReaderGuid);
    const big = MAX_FRAGMENT_RESENDS_PER_TURN + 44;
    const sn = r.write({ fragments: big });
    r.sent.length = 0;
    r.ack({ readerSNState: every(sn, 1), count: 1 });
    r.ack({ readerSNState: every(sn, 1), count: 1 }, otherReaderGuid);
    r.flush();
    expect(fragmentsOf(r.sent)).toHaveLength(big);
    expect(r.writer.counters.sampleResendsOverLimit).toBe(1);
    r.sent.length = 0;
    r.ack({ readerSNState: every(sn, 1), count: 2 }, otherReaderGuid);
    r.flush();
    expect(fragmentsOf(r.sent)).toHaveLength(big);
  });

  it("counts SNs answered with a GAP: one GAP per SN no longer held, scattered", () => {
    // Keyed, KEEP_LAST 1: odd SNs are distinct instances (held), even SNs rewrite one instance
    // (gone but the last): every other SN is gone, so each ACKNACK for them costs 127 GAPs
    // (4 KB) for its 60 bytes.
    const r = writerRig({ keyed: true, history: { kind: "keep-last", depth: 1 } });
    const readers = [readerGuid, readerOf(3), readerOf(4)];
    for (const reader of readers) r.match(reader);
    for (let sn = 1; sn <= MAX_SET_BITS; sn++) r.write({ bytes: 4, key: sn % 2 === 1 ? sn : 0 });
    r.sent.length = 0;
    const gone = every(1, MAX_SET_BITS).members.filter((sn) => sn % 2 === 0 && sn < MAX_SET_BITS);
    const readerSNState = { base: 1, numBits: MAX_SET_BITS, members: gone };
    // 1,000 ACKNACKs from each of three participants' readers: 381,000 GAPs before the caps.
    for (let count = 1; count <= 1000; count++)
      for (const reader of readers) r.ack({ readerSNState, count }, reader);
    r.flush();
    expect(gapsOf(r.sent)).toHaveLength(MAX_SAMPLE_RESENDS_PER_TURN);
    expect(r.writer.counters.sampleResendsOverLimit).toBe(3 * 127 - MAX_SAMPLE_RESENDS_PER_TURN);
    expect(r.writer.counters.repairsSuperseded).toBe(3 * 999 * 127);
  });

  it("still GAPs a reader below the window and heartbeats a non-final ACKNACK asking nothing", () => {
    const r = writerRig({ history: { kind: "keep-last", depth: 1 } });
    r.match();
    r.write({ bytes: 4 });
    r.write({ bytes: 4 });
    r.sent.length = 0;
    r.heartbeats.length = 0;
    // Ask for repairs first: neither answer is a repair, so neither waits for the turn's end.
    for (let count = 1; count <= MAX_SAMPLE_RESENDS_PER_TURN; count++)
      r.ack({ readerSNState: every(2, 1), count, final: true });
    r.sent.length = 0;
    r.ack({ readerSNState: { base: 1, numBits: 0, members: [] }, count: 1000 });
    expect(r.sent).toEqual([{ kind: "gap", to: 2, gap: [1, 1] }]);
    expect(r.heartbeats.at(-1)).toBe(2);
  });

  it("does not answer at once a non-final ACKNACK asking only for SNs it never wrote", () => {
    // A reader that took a forged DATA far ahead asks for SNs up to it after each heartbeat:
    // answering each at once, the two looped at round-trip speed. It hears our periodic one.
    const r = writerRig();
    r.match();
    r.write({ bytes: 4 });
    r.heartbeats.length = 0;
    r.ack({ readerSNState: every(2, 8), count: 1 });
    r.flush();
    expect(r.heartbeats).toEqual([]);
    expect(r.writer.counters.ackNacksBeyondLastSN).toBe(1);
    // One asking for nothing is answered still, as DDSI-RTPS says.
    r.ack({ readerSNState: { base: 2, numBits: 0, members: [] }, count: 2 });
    expect(r.heartbeats).toEqual([2]);
  });

  it("ignores ACKNACK counts that repeat or go backwards, counted, and hears them across the wrap", () => {
    const r = holding(2, 100);
    const answered = (count: number): boolean => {
      r.flush(); // each in a turn of its own, a repair period apart: only the count decides
      r.later();
      r.sent.length = 0;
      r.ack({ readerSNState: every(1, 2), count });
      r.flush();
      return dataOf(r.sent).length > 0;
    };
    expect(COUNTS_IN_ORDER.map(answered)).toEqual(COUNTS_ANSWERED);
    expect(r.writer.counters.ackNacksIgnored).toBe(COUNTS_IGNORED);
  });
});

describe("writer resending the same SN to the same reader", () => {
  it("resends it once per suppression period, with no heartbeat when it resends nothing", () => {
    const r = holding(3, 100_000); // fragmented samples, resent whole for an ACKNACK
    const asks = (members: number[], count: number): Sent[] => {
      r.sent.length = 0;
      r.heartbeats.length = 0;
      r.ack({ readerSNState: { base: 1, numBits: 3, members }, count });
      return r.answered();
    };
    const snsOf = (sent: readonly Sent[]) => [
      ...new Set(sent.filter((s) => s.kind === "data-frag").map((s) => s.sn)),
    ];
    expect(snsOf(asks([1], 1))).toEqual([1]);
    expect(r.heartbeats).toEqual([2]);
    // The reader could not take it and asks at once, again and again (the audit's loop, at
    // round-trip speed): nothing is resent, and no heartbeat makes it ask once more.
    for (let count = 2; count <= 100; count++) expect(asks([1], count)).toEqual([]);
    expect(r.heartbeats).toEqual([]);
    expect(r.writer.counters.resendsSuppressed).toBe(99);
    // Another SN, or another reader, is not held back by it.
    expect(snsOf(asks([1, 2], 101))).toEqual([2]);
    r.match(otherReaderGuid);
    r.sent.length = 0;
    r.ack({ readerSNState: { base: 1, numBits: 1, members: [1] }, count: 1 }, otherReaderGuid);
    expect(snsOf(r.answered())).toEqual([1]);
    // Once the period is over, the reader's next ask is answered.
    r.later(RESEND_SUPPRESSION_MS - 1);
    expect(asks([1], 102)).toEqual([]);
    r.later(1);
    expect(snsOf(asks([1], 103))).toEqual([1]);
    expect(r.writer.counters.resent).toBe(4);
  });

  it("remembers at most one ACKNACK window of resends per reader, the oldest going first", () => {
    const proxy: ReaderProxy = {
      info: { guid: readerGuid, locators: [], reliable: true, wantsHistory: false },
      ackedBelow: 1,
      minRelevant: 1,
      lastAckNackCount: 0,
      lastNackFragCount: 0,
      probesLeft: 0,
      unresponsive: false,
      recentResends: new Map(),
    };
    for (let sn = 1; sn <= MAX_RESENDS_REMEMBERED + 10; sn++)
      expect(mayResend(proxy, sn, 0)).toBe(true);
    expect(proxy.recentResends.size).toBe(MAX_RESENDS_REMEMBERED);
    // The 10 oldest were let go (they may go again early, each pushing out the next oldest);
    // the others are still held back.
    expect(mayResend(proxy, 1, 1)).toBe(true);
    expect(mayResend(proxy, 12, 1)).toBe(false);
    expect(mayResend(proxy, MAX_RESENDS_REMEMBERED + 10, 1)).toBe(false);
    // Once they are old, the next resend lets go of them all but itself.
    expect(mayResend(proxy, 5_000, RESEND_SUPPRESSION_MS + 1)).toBe(true);
    expect(proxy.recentResends.size).toBe(1);
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
