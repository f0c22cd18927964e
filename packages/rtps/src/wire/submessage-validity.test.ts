import { describe, expect, it } from "vitest";
import { MessageBuilder } from "./message.ts";
import { readSubmessages, type SubmessageItem } from "./submessage.ts";
import { writeAckNack } from "./submessages/acknack.ts";
import { writeDataFrag } from "./submessages/data-frag.ts";
import { writeHeartbeatFrag, writeNackFrag } from "./submessages/fragment-control.ts";
import { writeGap } from "./submessages/gap.ts";
import { writeHeartbeat } from "./submessages/heartbeat.ts";

// The DDSI-RTPS validity rules the decoders enforce, so that endpoints never see a range
// they would have to walk backwards or an SN below 1 where the protocol has none.

function items(fill: (mb: MessageBuilder) => void): SubmessageItem[] {
  const mb = new MessageBuilder(0, new Uint8Array(12).fill(3));
  fill(mb);
  return readSubmessages(mb.take(), 20);
}

const ids = { readerId: 0, writerId: 0x102 };

describe("submessage validity", () => {
  it("HEARTBEAT: first >= 1 and last >= first - 1", () => {
    const hb = (firstSN: number, lastSN: number) =>
      items((mb) =>
        writeHeartbeat(mb.w, {
          ...ids,
          firstSN,
          lastSN,
          count: 1,
          final: false,
          liveliness: false,
        }),
      )[0];
    expect(hb(1, 0)).toMatchObject({ kind: "heartbeat", firstSN: 1, lastSN: 0 });
    expect(hb(5, 9)).toMatchObject({ kind: "heartbeat" });
    expect(hb(0, 3)).toMatchObject({ kind: "invalid", error: { kind: "invalid-value" } });
    expect(hb(5, 3)).toMatchObject({ kind: "invalid", error: { kind: "invalid-value" } });
  });

  it("GAP: start and list base >= 1", () => {
    const gap = (gapStart: number, base: number) =>
      items((mb) =>
        writeGap(mb.w, { ...ids, gapStart, gapList: { base, numBits: 0, members: [] } }),
      )[0];
    expect(gap(3, 7)).toMatchObject({ kind: "gap", gapStart: 3 });
    expect(gap(0, 7)).toMatchObject({ kind: "invalid", error: { kind: "invalid-value" } });
    expect(gap(3, 0)).toMatchObject({ kind: "invalid", error: { kind: "invalid-value" } });
  });

  it("ACKNACK: a base of 0 (Fast DDS's preemptive ACKNACK) is accepted", () => {
    const [a] = items((mb) =>
      writeAckNack(mb.w, {
        ...ids,
        readerSNState: { base: 0, numBits: 0, members: [] },
        count: 1,
        final: false,
      }),
    );
    expect(a).toMatchObject({ kind: "acknack", readerSNState: { base: 0 } });
  });

  it("NACK_FRAG: fragment number sets start at 1 and end by 2^32 - 1", () => {
    const nack = (base: number, numBits: number) =>
      items((mb) =>
        writeNackFrag(mb.w, {
          ...ids,
          writerSN: 1,
          fragmentNumberState: { base, numBits, members: [base] },
          count: 1,
        }),
      )[0];
    expect(nack(2 ** 32 - 8, 8)).toMatchObject({
      kind: "nack-frag",
      fragmentNumberState: { members: [2 ** 32 - 8] },
    });
    expect(nack(2 ** 32 - 8, 9)).toMatchObject({
      kind: "invalid",
      error: { kind: "out-of-range" },
    });
    expect(nack(0, 4)).toMatchObject({ kind: "invalid", error: { kind: "invalid-value" } });
  });

  it("HEARTBEAT_FRAG: SN and last fragment >= 1", () => {
    const hbf = (writerSN: number, lastFragmentNum: number) =>
      items((mb) => writeHeartbeatFrag(mb.w, { ...ids, writerSN, lastFragmentNum, count: 1 }))[0];
    expect(hbf(2, 3)).toMatchObject({ kind: "heartbeat-frag" });
    expect(hbf(2, 0)).toMatchObject({ kind: "invalid", error: { kind: "invalid-value" } });
  });

  it("DATA_FRAG: its first fragment lies within the sample it announces", () => {
    const frag = (fragmentStartingNum: number, sampleSize: number) =>
      items((mb) =>
        writeDataFrag(mb.w, {
          ...ids,
          writerSN: 1,
          fragmentStartingNum,
          fragmentsInSubmessage: 1,
          fragmentSize: 4,
          sampleSize,
          fragments: Uint8Array.of(1, 2, 3, 4),
        }),
      )[0];
    expect(frag(3, 12)).toMatchObject({ kind: "data-frag" });
    expect(frag(4, 12)).toMatchObject({ kind: "invalid", error: { kind: "invalid-value" } });
    expect(frag(1, 0)).toMatchObject({ kind: "invalid", error: { kind: "invalid-value" } });
  });
});
