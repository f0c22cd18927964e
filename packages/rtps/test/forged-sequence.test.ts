import { afterEach, describe, expect, it } from "vitest";
import type { Participant } from "../src/dds/participant.ts";
import { MemoryNetwork } from "../src/transport/memory.ts";
import type { DatagramSource } from "../src/transport/transport.ts";
import { ByteWriter } from "../src/wire/cursor.ts";
import { EntityIds } from "../src/wire/guid.ts";
import { decodeMessage } from "../src/wire/message.ts";
import { writeData } from "../src/wire/submessages/data.ts";
import { writeDataFrag } from "../src/wire/submessages/data-frag.ts";
import { wellBehavedPair } from "./fake-peer.ts";
import { participant, readU32Payload, u32Payload } from "./helpers.ts";

// A third party forges a submessage "from" a real writer: its GUID prefix is in every SPDP
// announcement and its entity ids are sequential. Between two honest participants that must
// cost at most one repair, never a loop or a stall.

const opened: Participant[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((p) => p.close()));
});

const FORGER: DatagramSource = { address: "203.0.113.9", port: 7411 };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** An RTPS datagram whose header claims `prefix`, holding what `fill` writes. */
function forged(prefix: Uint8Array, fill: (w: ByteWriter) => void): Uint8Array {
  const w = new ByteWriter(4096);
  w.bytes(Uint8Array.of(0x52, 0x54, 0x50, 0x53, 2, 3, 0x01, 0x0f));
  w.bytes(prefix);
  fill(w);
  return w.toBytes();
}

/** The entity id of an endpoint, from its GUID's text ("<prefix>.<entity id>"). */
const entityOf = (guid: string): number => Number.parseInt(guid.split(".")[1] as string, 16);

function endpointCounters(p: Participant, guid: string): Record<string, number> {
  const found = p.introspect().endpoints.find((e) => e.guid === guid);
  return (found?.counters ?? {}) as Record<string, number>;
}

describe("a forged submessage in a writer's name", () => {
  it("one DATA far ahead of the writer costs a repair ask, not a heartbeat and ACKNACK loop", async () => {
    const net = new MemoryNetwork();
    const pair = await wellBehavedPair(net, "forged-ahead");
    opened.push(pair.a, pair.b);
    pair.aWriter.write(u32Payload(1));
    expect(await pair.aWriter.waitForAcknowledgments(5_000)).toBe(true);
    const writer = pair.aWriter.guid;
    pair.b.receiveDatagram(
      forged(pair.a.guidPrefix, (w) =>
        writeData(w, {
          readerId: EntityIds.unknown,
          writerId: entityOf(writer),
          writerSN: 10,
          payload: u32Payload(999),
        }),
      ),
      FORGER,
    );
    // Before: about 20,000 heartbeats a second, until the writer reached SN 10.
    await sleep(500);
    const settled = endpointCounters(pair.a, writer).heartbeatsSent ?? 0;
    await sleep(1_000);
    const heartbeats = (endpointCounters(pair.a, writer).heartbeatsSent ?? 0) - settled;
    expect(heartbeats).toBeLessThan(20);
    // The honest writer still reaches the reader.
    const got: number[] = [];
    pair.bReader.on("sample", (s) => got.push(readU32Payload(s.payload)));
    pair.aWriter.write(u32Payload(2));
    expect(await pair.aWriter.waitForAcknowledgments(5_000)).toBe(true);
    expect(got).toEqual([2]);
  });

  it("a first fragment of an SN whose DATA is then lost does not stall the reader", async () => {
    const net = new MemoryNetwork();
    const a = await participant({ transport: net.transport(), name: "A" });
    const b = await participant({ transport: net.transport(), name: "B" });
    opened.push(a, b);
    const endpoint = {
      topicName: "forged-fragment",
      typeName: "T",
      keyed: false,
      qos: { reliability: "reliable", durability: "volatile", history: { kind: "keep-all" } },
    } as const;
    const writer = a.createWriter(endpoint);
    const reader = b.createReader(endpoint);
    expect(await writer.waitForMatched(1, 5_000)).toBe(true);
    expect(await reader.waitForMatched(1, 5_000)).toBe(true);
    const got: number[] = [];
    reader.on("sample", (s) => got.push(readU32Payload(s.payload)));
    writer.write(u32Payload(1));
    expect(await writer.waitForAcknowledgments(5_000)).toBe(true);
    const writerId = entityOf(writer.guid);
    // The first 1,000 bytes of a 100,000-byte SN 2 that the writer will send whole.
    b.receiveDatagram(
      forged(a.guidPrefix, (w) =>
        writeDataFrag(w, {
          readerId: EntityIds.unknown,
          writerId,
          writerSN: 2,
          fragmentStartingNum: 1,
          fragmentsInSubmessage: 1,
          fragmentSize: 1_000,
          sampleSize: 100_000,
          fragments: new Uint8Array(1_000),
        }),
      ),
      FORGER,
    );
    // And the network loses the real SN 2 once: an ordinary loss.
    let lost = false;
    net.dropPolicy = (datagram) => {
      if (lost) return false;
      const m = decodeMessage(datagram);
      lost =
        m.ok &&
        m.value.items.some((i) => i.kind === "data" && i.writerId === writerId && i.writerSN === 2);
      return lost;
    };
    writer.write(u32Payload(2));
    writer.write(u32Payload(3));
    // Before: SN 2 was asked for only by NACK_FRAG, which the writer ignored for a sample it
    // sent whole, and SN 3 waited behind it for ever.
    expect(await writer.waitForAcknowledgments(5_000)).toBe(true);
    expect(lost).toBe(true);
    expect(got).toEqual([1, 2, 3]);
  });
});
