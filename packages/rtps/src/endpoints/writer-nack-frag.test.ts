import { afterEach, describe, expect, it } from "vitest";
import { MAX_SEQUENCE_NUMBER, MAX_SET_BITS } from "../wire/sequence-number.ts";
import { COUNTS_ANSWERED, COUNTS_IGNORED, COUNTS_IN_ORDER } from "./count-order.test-support.ts";
import { MAX_FRAGMENT_RESENDS_PER_TURN } from "./writer.ts";
import {
  closeWriters,
  every,
  fragmentsOf,
  readerOf,
  writerRig,
} from "./writer-rig.test-support.ts";

// A matched reader's NACK_FRAGs, built as bytes and decoded, at the writer where the resends
// they ask for are made: what a NACK_FRAG may make us send, and what it may not.

afterEach(closeWriters);

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

  it("answers one reader's flood of NACK_FRAGs for a sample once: its latest replaces the rest", () => {
    const r = writerRig();
    r.match();
    const sn = r.write({ fragments: 20 });
    r.sent.length = 0;
    // 100 NACK_FRAGs in one turn (a datagram holds 1,000), each with a new count, each
    // asking for the whole sample: 2,000 fragments, 120 MB, for 3.6 KB received before the
    // caps; 256 after them; 20 now.
    for (let count = 1; count <= 100; count++)
      r.nackInTurn({ writerSN: sn, fragmentNumberState: every(1, 20), count });
    expect(fragmentsOf(r.answered())).toEqual(every(1, 20).members);
    expect(r.writer.counters.repairsSuperseded).toBe(99 * 20);
    expect(r.writer.counters.fragmentResendsOverLimit).toBe(0);
  });

  it("resends at most MAX_FRAGMENT_RESENDS_PER_TURN fragments per turn, counting the rest", () => {
    const r = writerRig();
    r.match();
    for (let i = 0; i < 20; i++) r.write({ fragments: 20 });
    r.sent.length = 0;
    // A NACK_FRAG for each of 20 samples of 20 fragments: 400 fragments, 24 MB.
    for (let sn = 1; sn <= 20; sn++)
      r.nackInTurn({ writerSN: sn, fragmentNumberState: every(1, 20), count: sn });
    expect(fragmentsOf(r.answered())).toHaveLength(MAX_FRAGMENT_RESENDS_PER_TURN);
    expect(r.writer.counters.fragmentResendsOverLimit).toBe(400 - MAX_FRAGMENT_RESENDS_PER_TURN);
    // The next turn has a budget of its own: a reader asking again is served.
    const next = r.nack({ writerSN: 20, fragmentNumberState: every(1, 20), count: 21 });
    expect(fragmentsOf(next)).toHaveLength(20);
  });

  it("keeps a share of the fragment budget for a reader however much another participant floods", () => {
    const r = writerRig();
    r.match();
    const flooders = Array.from({ length: 4 }, (_, i) => readerOf(3, i + 1));
    for (const reader of flooders) r.match(reader);
    for (let i = 0; i < 20; i++) r.write({ fragments: 20 });
    r.sent.length = 0;
    // The flooding participant's NACK_FRAGs come first: every sample, every fragment, from
    // each of its readers (1,600 fragments); then the reader's one for one sample.
    for (const reader of flooders)
      for (let sn = 1; sn <= 20; sn++)
        r.nackInTurn({ writerSN: sn, fragmentNumberState: every(1, 20), count: sn }, reader);
    r.nackInTurn({ writerSN: 7, fragmentNumberState: every(1, 20), count: 1 });
    const sent = r.answered();
    expect(sent.filter((s) => s.kind === "data-frag" && s.to === 2)).toHaveLength(20);
    expect(fragmentsOf(sent)).toHaveLength(MAX_FRAGMENT_RESENDS_PER_TURN);
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
      { kind: "gap", to: 2, gap: [1, 1] },
    ]);
  });

  it("resends a sample it sent whole (no DATA_FRAG) whole, as DATA, when a NACK_FRAG asks", () => {
    // A reader holding a stray first fragment of that SN (forged, or from a writer that
    // fragments differently) asks for it only by NACK_FRAG: ignored, it waited for ever.
    const r = writerRig();
    r.match();
    const small = r.write({ bytes: 100 });
    const justUnder = r.write({ bytes: 61_000 }); // one DATA, though two fragments long
    expect(r.nack({ writerSN: small, fragmentNumberState: every(1, 1), count: 1 })).toEqual([
      { kind: "data", to: 2, sn: small },
    ]);
    expect(r.nack({ writerSN: justUnder, fragmentNumberState: every(1, 2), count: 2 })).toEqual([
      { kind: "data", to: 2, sn: justUnder },
    ]);
    expect(r.writer.counters.nackFragsNotFragmented).toBe(2);
    expect(r.writer.counters.fragmentsResent).toBe(0);
  });

  it("GAPs a sample written before a volatile reader matched instead of resending it", () => {
    const r = writerRig({ durability: "volatile", history: { kind: "keep-last", depth: 1 } });
    const sn = r.write({ fragments: 3 });
    r.match();
    const sent = r.nack({ writerSN: sn, fragmentNumberState: every(1, 3), count: 1 });
    expect(fragmentsOf(sent)).toEqual([]);
    expect(sent).toEqual([{ kind: "gap", to: 2, gap: [sn, sn] }]);
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
    expect(COUNTS_IN_ORDER.map(answered)).toEqual(COUNTS_ANSWERED);
    expect(r.writer.counters.nackFragsIgnored).toBe(COUNTS_IGNORED);
  });
});
