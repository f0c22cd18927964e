import { afterEach, describe, expect, it } from "vitest";
import type { Participant } from "../src/dds/participant.ts";
import { MemoryNetwork } from "../src/transport/memory.ts";
import type { Transport } from "../src/transport/transport.ts";
import { ByteWriter } from "../src/wire/cursor.ts";
import { EntityIds } from "../src/wire/guid.ts";
import { writeDataFrag } from "../src/wire/submessages/data-frag.ts";
import { servedBothWays, turn, until, wellBehavedPair } from "./fake-peer.ts";

// The reported reproductions, byte for byte: a fake participant announces itself over SPDP,
// then sends a HEARTBEAT (first = last = 2^60) and a GAP (start 2^60) from its SEDP
// publications writer. Before, the first grew an array until V8 aborted, the second looped
// forever. Now both are refused at decode and counted, and the participant goes on serving.

const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, "hex"));
const SPDP = hex(
  "525450530203010fface000000002060deadbeef090108000bd90f6b643bdf8f1507b80000001000000100c7000100c2000000000100000070001000face000000002060deadbeef000001c10100000000030000150004000203000016000400010f000050001000face000000002060deadbeef000001c10f00040000000000580004003f00000002000800140000000000000032001800010000000e2700000000000000000000000000007f00000131001800010000000f2700000000000000000000000000007f00000162000800020000005800000001000000",
);
const HEARTBEAT_2_60 = hex(
  "525450530203010fface000000002060deadbeef07011c0000000000000003c20000001000000000000000100000000001000000",
);
const GAP_2_60 = hex(
  "525450530203010fface000000002060deadbeef08011c0000000000000003c20000001000000000000000200000000000000000",
);
const FAKE_PREFIX = "face000000002060deadbeef";
/** The fake participant announces locators on 127.0.0.1, and sends from there. */
const FROM_FAKE = { address: "127.0.0.1", port: 7411 } as const;
const MIB = 1024 * 1024;

const opened: Participant[] = [];
const injectors: Transport[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((p) => p.close()));
  await Promise.all(injectors.splice(0).map((t) => t.close()));
});

/** A raw sender on the network (no participant behind it). */
async function injector(net: MemoryNetwork): Promise<Transport> {
  const t = await net.transport("127.0.0.9").open({ domainId: 0, onDatagram: () => {} });
  if (!t.ok) throw new Error(t.error.message);
  injectors.push(t.value);
  return t.value;
}

describe("hostile peer reproductions over the in-memory network", () => {
  it("counts a HEARTBEAT and a GAP at 2^60, keeps the peer, and keeps serving", async () => {
    const net = new MemoryNetwork();
    const pair = await wellBehavedPair(net, "t");
    opened.push(pair.a, pair.b);
    const { a } = pair;
    const inject = await injector(net);
    const to = a.transport.locators.metatrafficUnicast;
    inject.send(SPDP, to);
    await until(() => a.participants.some((p) => p.guidPrefix === FAKE_PREFIX), "SPDP");
    inject.send(HEARTBEAT_2_60, to);
    inject.send(GAP_2_60, to);
    await until(
      () => a.introspect().counters.receiver.dropped["out-of-range"] === 2,
      "both submessages counted",
    );
    await turn();
    const counters = a.introspect().counters.receiver;
    expect(counters.dropped["handler-error"]).toBe(0);
    expect(a.participants.map((p) => p.guidPrefix)).toContain(FAKE_PREFIX);
    await servedBothWays(pair, 42);
  });

  it("walks a datagram packed with 2,000 refused submessages, counting each, without hanging", async () => {
    const net = new MemoryNetwork();
    const pair = await wellBehavedPair(net, "t");
    opened.push(pair.a, pair.b);
    const { a } = pair;
    a.receiveDatagram(SPDP, FROM_FAKE);
    const flood = new ByteWriter(65_536);
    flood.bytes(HEARTBEAT_2_60.subarray(0, 20));
    for (let i = 0; i < 2_000; i++) flood.bytes(HEARTBEAT_2_60.subarray(20));
    const datagram = flood.toBytes();
    const times: number[] = [];
    for (let i = 0; i < 7; i++) {
      const t0 = performance.now();
      a.receiveDatagram(datagram, FROM_FAKE);
      times.push(performance.now() - t0);
    }
    times.sort((x, y) => x - y);
    // A hang detector, not a speed test (the bench measures speed): the median must return,
    // far above the few ms it takes, so a loaded CI machine never decides it.
    expect(times[3]).toBeLessThan(2_000);
    expect(a.introspect().counters.receiver.dropped["out-of-range"]).toBe(14_000);
    await servedBothWays(pair, 3);
  });

  it("sixteen DATA_FRAGs announcing 64 MiB each commit what they carry, not 1 GiB", async () => {
    const net = new MemoryNetwork();
    const pair = await wellBehavedPair(net, "t");
    opened.push(pair.a, pair.b);
    const { a } = pair;
    const inject = await injector(net);
    const to = a.transport.locators.metatrafficUnicast;
    inject.send(SPDP, to);
    await until(() => a.participants.some((p) => p.guidPrefix === FAKE_PREFIX), "SPDP");
    const before = process.memoryUsage();
    // Eight samples (SNs 2..9, the most kept per writer) on each SEDP writer of the peer.
    for (const writerId of [EntityIds.sedpPublicationsWriter, EntityIds.sedpSubscriptionsWriter]) {
      for (let sn = 2; sn <= 9; sn++) {
        const w = new ByteWriter(128);
        w.bytes(SPDP.subarray(0, 20)); // the peer's RTPS header
        writeDataFrag(w, {
          readerId: 0,
          writerId,
          writerSN: sn,
          fragmentStartingNum: 1,
          fragmentsInSubmessage: 1,
          fragmentSize: 64,
          sampleSize: 64 * MIB,
          fragments: new Uint8Array(64).fill(sn),
        });
        inject.send(w.toBytes(), to);
      }
    }
    await until(() => a.introspect().counters.fragments.fragmentsStored === 16, "16 fragments");
    const after = process.memoryUsage();
    const fragments = a.introspect().counters.fragments;
    expect(fragments.pendingBytes).toBe(16 * (64 + 256));
    expect(fragments.assembliesEvicted).toBe(0);
    // Generous: 1 GiB (or a single 64 MiB buffer) would show.
    expect(after.arrayBuffers - before.arrayBuffers).toBeLessThan(32 * MIB);
    expect(after.heapUsed - before.heapUsed).toBeLessThan(32 * MIB);
    await servedBothWays(pair, 7);
  });
});
