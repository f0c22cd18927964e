import { afterEach, describe, expect, it } from "vitest";
import type { DataReader } from "../src/dds/data-reader.ts";
import type { DataWriter } from "../src/dds/data-writer.ts";
import type { Participant } from "../src/dds/participant.ts";
import type { QosInput } from "../src/qos/endpoint-qos.ts";
import { MemoryNetwork } from "../src/transport/memory.ts";
import type { DatagramSource } from "../src/transport/transport.ts";
import { ByteWriter } from "../src/wire/cursor.ts";
import { EntityIds } from "../src/wire/guid.ts";
import { MAX_SEQUENCE_NUMBER } from "../src/wire/sequence-number.ts";
import { writeData } from "../src/wire/submessages/data.ts";
import { writeGap } from "../src/wire/submessages/gap.ts";
import { writeHeartbeat } from "../src/wire/submessages/heartbeat.ts";
import { participant, readU32Payload, u32Payload } from "./helpers.ts";
import { sleep, until } from "./hostile-helpers.ts";

// A third party sends a GAP, HEARTBEAT or (best effort) DATA in a matched writer's name (its
// GUID prefix is in every SPDP announcement) claiming an SN far ahead. Before, one such
// submessage moved the reader's next expected SN there for good: every genuine sample was then
// dropped as a duplicate, while the writer was told everything was acknowledged.

const opened: Participant[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((p) => p.close()));
});

const FORGER: DatagramSource = { address: "203.0.113.9", port: 7411 };

function forged(prefix: Uint8Array, fill: (w: ByteWriter) => void): Uint8Array {
  const w = new ByteWriter(256);
  w.bytes(Uint8Array.of(0x52, 0x54, 0x50, 0x53, 2, 3, 0x01, 0x0f));
  w.bytes(prefix);
  fill(w);
  return w.toBytes();
}

const entityOf = (guid: string): number => Number.parseInt(guid.split(".")[1] as string, 16);

interface Pair {
  readonly net: MemoryNetwork;
  readonly a: Participant;
  readonly b: Participant;
  readonly reader: DataReader;
  readonly writer: DataWriter;
  readonly got: number[];
  /** Sends A a datagram in B's name (B's prefix in its header) from an address nobody announced. */
  forge(fill: (w: ByteWriter, writerId: number) => void): void;
}

async function pair(topicName: string, qos: QosInput, readerLate = false): Promise<Pair> {
  const net = new MemoryNetwork();
  const a = await participant({ transport: net.transport(), name: "A" });
  const b = await participant({ transport: net.transport(), name: "B" });
  opened.push(a, b);
  const topic = { topicName, typeName: "T", keyed: false, qos };
  const writer = b.createWriter(topic);
  // A writer already far ahead when the reader joins.
  if (readerLate) for (let i = 0; i < 5_000; i++) writer.write(u32Payload(i));
  const reader = a.createReader(topic);
  expect(await reader.waitForMatched(1, 5_000)).toBe(true);
  expect(await writer.waitForMatched(1, 5_000)).toBe(true);
  const got: number[] = [];
  reader.on("sample", (s) => got.push(readU32Payload(s.payload)));
  const writerId = entityOf(writer.guid);
  const forge = (fill: (w: ByteWriter, writerId: number) => void): void =>
    a.receiveDatagram(
      forged(b.guidPrefix, (w) => fill(w, writerId)),
      FORGER,
    );
  return { net, a, b, reader, writer, got, forge };
}

const RELIABLE = { reliability: "reliable", durability: "volatile" } as const;
const BEST_EFFORT = { reliability: "best-effort", durability: "volatile" } as const;
const FAR = MAX_SEQUENCE_NUMBER;

function writeAll(w: DataWriter, values: readonly number[]): void {
  for (const v of values) w.write(u32Payload(v));
}

const range = (from: number, n: number): number[] => Array.from({ length: n }, (_, i) => from + i);

describe("a forged SN far ahead in a writer's name", () => {
  it("GAP: refused and counted, the stream goes on", async () => {
    const p = await pair("jump-gap", RELIABLE);
    p.writer.write(u32Payload(1));
    expect(await until(() => p.got.length === 1, 5_000)).toBe(true);
    p.forge((w, writerId) =>
      writeGap(w, {
        readerId: EntityIds.unknown,
        writerId,
        gapStart: 1,
        gapList: { base: FAR, numBits: 0, members: [] },
      }),
    );
    writeAll(p.writer, range(100, 20));
    expect(await until(() => p.got.length === 21, 5_000)).toBe(true);
    expect(p.got).toEqual([1, ...range(100, 20)]);
    expect(p.a.dropCounters()["sn-jumps-refused"]).toBe(1);
  });

  it("HEARTBEAT with a count far ahead: refused, and the writer's own heartbeats still heard", async () => {
    const p = await pair("jump-heartbeat", RELIABLE);
    p.writer.write(u32Payload(1));
    expect(await until(() => p.got.length === 1, 5_000)).toBe(true);
    const heartbeat = (firstSN: number) =>
      p.forge((w, writerId) =>
        writeHeartbeat(w, {
          readerId: EntityIds.unknown,
          writerId,
          firstSN,
          lastSN: FAR,
          count: 0x40000000,
          final: true,
          liveliness: false,
        }),
      );
    heartbeat(FAR);
    writeAll(p.writer, range(100, 20));
    expect(await until(() => p.got.length === 21, 5_000)).toBe(true);
    expect(p.got).toEqual([1, ...range(100, 20)]);
    // A count 2^30 ahead and no jump: before, the writer's heartbeats were ignored for 2^30
    // periods, so nothing written after it was ever acknowledged.
    heartbeat(2);
    p.writer.write(u32Payload(200));
    expect(await p.writer.waitForAcknowledgments(5_000)).toBe(true);
    expect(p.got.at(-1)).toBe(200);
    expect(p.a.dropCounters()["sn-jumps-refused"]).toBe(1);
  });

  it("a jump taken before anything was received is undone by the writer's next heartbeat", async () => {
    const p = await pair("jump-undone", RELIABLE);
    // Nothing received yet: a late joiner's first jump may go anywhere, so this one is taken.
    p.forge((w, writerId) =>
      writeGap(w, {
        readerId: EntityIds.unknown,
        writerId,
        gapStart: 1,
        gapList: { base: FAR, numBits: 0, members: [] },
      }),
    );
    writeAll(p.writer, range(1, 5));
    expect(await until(() => p.got.length === 5, 5_000)).toBe(true);
    expect(p.got).toEqual(range(1, 5));
    expect(p.a.dropCounters()["sn-jumps-undone"]).toBe(1);
  });

  it("best-effort DATA: not delivered, refused and counted, the stream goes on", async () => {
    const p = await pair("jump-best-effort", BEST_EFFORT);
    p.writer.write(u32Payload(1));
    expect(await until(() => p.got.length === 1, 5_000)).toBe(true);
    p.forge((w, writerId) =>
      writeData(w, {
        readerId: EntityIds.unknown,
        writerId,
        writerSN: FAR,
        payload: u32Payload(666),
      }),
    );
    writeAll(p.writer, range(100, 20));
    expect(await until(() => p.got.length === 21, 5_000)).toBe(true);
    expect(p.got).toEqual([1, ...range(100, 20)]);
    expect(p.a.dropCounters()["sn-jumps-refused"]).toBe(1);
  });

  it("best-effort DATA taken first: undone after three of the writer's samples", async () => {
    const p = await pair("jump-best-effort-first", BEST_EFFORT);
    p.forge((w, writerId) =>
      writeData(w, {
        readerId: EntityIds.unknown,
        writerId,
        writerSN: FAR,
        payload: u32Payload(666),
      }),
    );
    expect(await until(() => p.got.length === 1, 5_000)).toBe(true);
    writeAll(p.writer, range(1, 10));
    expect(await until(() => p.got.length === 9, 5_000)).toBe(true);
    expect(p.got).toEqual([666, ...range(3, 8)]);
    expect(p.a.dropCounters()["sn-jumps-undone"]).toBe(1);
  });
});

describe("genuine writers far ahead", () => {
  it("a reader joining a writer at SN 5,000 gets its next samples", async () => {
    for (const qos of [RELIABLE, BEST_EFFORT]) {
      const p = await pair(`late-${qos.reliability}`, qos, true);
      writeAll(p.writer, [7, 8]);
      expect(await until(() => p.got.length === 2, 5_000)).toBe(true);
      expect(p.got).toEqual([7, 8]);
      expect(p.a.dropCounters()["sn-jumps-refused"]).toBe(0);
    }
  });

  it("a reliable reader that lost more than a reorder window follows the writer again", async () => {
    const p = await pair("outage", { ...RELIABLE, history: { kind: "keep-last", depth: 1 } });
    p.writer.write(u32Payload(1));
    expect(await until(() => p.got.length === 1, 5_000)).toBe(true);
    // 5,000 samples (more than the 4,096-SN window) and their heartbeats never arrive.
    p.net.dropPolicy = () => true;
    writeAll(p.writer, range(2, 5_000));
    // Delivery is asynchronous: the policy must outlive it.
    await sleep(100);
    p.net.dropPolicy = undefined;
    p.writer.write(u32Payload(9_999));
    // The writer's first heartbeat is refused; the one answering our ACKNACK confirms it.
    expect(await until(() => p.got.at(-1) === 9_999, 8_000)).toBe(true);
    expect(p.a.dropCounters()["sn-jumps-refused"]).toBeGreaterThan(0);
    const best = { ...BEST_EFFORT, history: { kind: "keep-last", depth: 1 } } as const;
    const q = await pair("outage-best-effort", best);
    q.writer.write(u32Payload(1));
    expect(await until(() => q.got.length === 1, 5_000)).toBe(true);
    q.net.dropPolicy = () => true;
    writeAll(q.writer, range(2, 5_000));
    await sleep(100);
    q.net.dropPolicy = undefined;
    // The first DATA past the window is refused, the next one confirms the jump.
    writeAll(q.writer, [9_998, 9_999]);
    expect(await until(() => q.got.at(-1) === 9_999, 5_000)).toBe(true);
    expect(q.got).toEqual([1, 9_999]);
  });
});
