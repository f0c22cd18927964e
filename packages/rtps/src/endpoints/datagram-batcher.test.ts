import { describe, expect, it } from "vitest";
import { udpV4Locator } from "../wire/locator.ts";
import { decodeMessage, MessageBuilder } from "../wire/message.ts";
import { writeHeartbeat } from "../wire/submessages/heartbeat.ts";
import { DatagramBatcher } from "./datagram-batcher.ts";

const own = new Uint8Array(12).fill(1);

function heartbeat(count: number): Uint8Array {
  const mb = new MessageBuilder(0, own);
  mb.infoDst(new Uint8Array(12).fill(2));
  writeHeartbeat(mb.w, {
    readerId: 0x3c7,
    writerId: 0x3c2,
    firstSN: 1,
    lastSN: 1,
    count,
    final: false,
    liveliness: false,
  });
  return mb.take();
}

describe("DatagramBatcher", () => {
  it("joins each destination's messages of a turn, also past the scan's few destinations", () => {
    const sent: Array<{ to: string; counts: number[] }> = [];
    const b = new DatagramBatcher((datagram, to) => {
      const m = decodeMessage(datagram);
      if (!m.ok) throw new Error(m.error.message);
      sent.push({
        to: `${to.address[15]}:${to.port}`,
        counts: m.value.items.flatMap((i) => (i.kind === "heartbeat" ? [i.count] : [])),
      });
    });
    const destinations = Array.from({ length: 100 }, (_, i) => udpV4Locator(`10.0.1.${i}`, 7410));
    for (const [i, to] of destinations.entries()) b.send(heartbeat(i), to);
    for (const [i, to] of destinations.entries()) b.send(heartbeat(1000 + i), to);
    b.flush();
    expect(sent).toHaveLength(100);
    expect(sent.map((s) => s.to)).toEqual(destinations.map((_, i) => `${i}:7410`));
    expect(sent.every((s, i) => s.counts.join() === `${i},${1000 + i}`)).toBe(true);
    // The next turn starts over with a scan.
    sent.length = 0;
    b.send(heartbeat(1), destinations[0] ?? udpV4Locator("10.0.1.0", 7410));
    b.send(heartbeat(2), destinations[0] ?? udpV4Locator("10.0.1.0", 7410));
    b.flush();
    expect(sent).toEqual([{ to: "0:7410", counts: [1, 2] }]);
  });
});
