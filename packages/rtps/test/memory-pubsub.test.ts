import { afterEach, describe, expect, it } from "vitest";
import type { Participant } from "../src/dds/participant.ts";
import { MemoryNetwork } from "../src/transport/memory.ts";
import { collect, keyHash, participant, readU32Payload, u32Payload } from "./helpers.ts";

const open: Participant[] = [];
async function pair(net = new MemoryNetwork()): Promise<[Participant, Participant, MemoryNetwork]> {
  const a = await participant({ transport: net.transport(), name: "A", heartbeatPeriodMs: 100 });
  const b = await participant({ transport: net.transport(), name: "B", heartbeatPeriodMs: 100 });
  open.push(a, b);
  return [a, b, net];
}

afterEach(async () => {
  await Promise.all(open.splice(0).map((p) => p.close()));
});

const reliableTl = {
  reliability: "reliable",
  durability: "transient-local",
  history: { kind: "keep-last", depth: 1 },
} as const;

describe("pub/sub over the memory network", () => {
  it("discovers peers with their names", async () => {
    const [a] = await pair();
    const found = await a.once("participantDiscovered", 5000);
    expect(found?.[0].name).toBe("B");
  });

  it("delivers reliable keyed samples in order", async () => {
    const [a, b] = await pair();
    const w = a.createWriter({
      topicName: "t",
      typeName: "T",
      keyed: true,
      qos: { reliability: "reliable", history: { kind: "keep-all" } },
    });
    const r = b.createReader({
      topicName: "t",
      typeName: "T",
      keyed: true,
      qos: { reliability: "reliable", history: { kind: "keep-all" } },
    });
    expect(await w.waitForMatched(1, 5000)).toBe(true);
    expect(await r.waitForMatched(1, 5000)).toBe(true);
    const got = collect(r, 10, 5000);
    for (let i = 1; i <= 10; i++)
      expect(w.write(u32Payload(i), { keyHash: keyHash(i % 3) }).ok).toBe(true);
    const samples = await got;
    expect(samples.map((s) => readU32Payload(s.payload))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(samples[0]?.keyHash).toEqual(keyHash(1));
    expect(await w.waitForAcknowledgments(5000)).toBe(true);
  });

  it("replays TRANSIENT_LOCAL history, KEEP_LAST 1 per instance, to a late joiner", async () => {
    const [a, b] = await pair();
    const w = a.createWriter({ topicName: "tl", typeName: "T", keyed: true, qos: reliableTl });
    for (let i = 1; i <= 6; i++) w.write(u32Payload(i), { keyHash: keyHash(i % 3) });
    const r = b.createReader({ topicName: "tl", typeName: "T", keyed: true, qos: reliableTl });
    const samples = await collect(r, 3, 5000);
    expect(samples.map((s) => readU32Payload(s.payload)).sort()).toEqual([4, 5, 6]);
  });

  it("repairs losses with HEARTBEAT/ACKNACK", async () => {
    const [a, b, net] = await pair();
    const w = a.createWriter({
      topicName: "lossy",
      typeName: "T",
      keyed: false,
      qos: { reliability: "reliable", history: { kind: "keep-all" } },
    });
    const r = b.createReader({
      topicName: "lossy",
      typeName: "T",
      keyed: false,
      qos: { reliability: "reliable", history: { kind: "keep-all" } },
    });
    await w.waitForMatched(1, 5000);
    await r.waitForMatched(1, 5000);
    // A seeded LCG: losses look random but the run is reproducible.
    let seed = 42;
    net.dropPolicy = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648 < 0.3;
    };
    const got = collect(r, 50, 15000);
    for (let i = 1; i <= 50; i++) w.write(u32Payload(i));
    const samples = await got;
    net.dropPolicy = undefined;
    expect(samples.map((s) => readU32Payload(s.payload))).toEqual(
      Array.from({ length: 50 }, (_, i) => i + 1),
    );
  });

  it("fragments and reassembles a 1 MB sample", async () => {
    const [a, b] = await pair();
    const w = a.createWriter({
      topicName: "big",
      typeName: "T",
      keyed: false,
      qos: { reliability: "reliable" },
    });
    const r = b.createReader({
      topicName: "big",
      typeName: "T",
      keyed: false,
      qos: { reliability: "reliable" },
    });
    await w.waitForMatched(1, 5000);
    await r.waitForMatched(1, 5000);
    const big = new Uint8Array(1024 * 1024);
    for (let i = 0; i < big.length; i++) big[i] = i & 0xff;
    const got = collect(r, 1, 10000);
    w.write(big);
    const [s] = await got;
    expect(s && Buffer.compare(s.payload, big)).toBe(0);
  });

  it("repairs a lost fragment with NACK_FRAG", async () => {
    const [a, b, net] = await pair();
    const qos = { reliability: "reliable" } as const;
    const w = a.createWriter({ topicName: "frag", typeName: "T", keyed: false, qos });
    const r = b.createReader({ topicName: "frag", typeName: "T", keyed: false, qos });
    await w.waitForMatched(1, 5000);
    await r.waitForMatched(1, 5000);
    let big = 0;
    // Lose the third fragment's first transmission only.
    net.dropPolicy = (d) => d.length > 50_000 && ++big === 3;
    const payload = Uint8Array.from({ length: 300_000 }, (_, i) => (i * 13) & 0xff);
    const got = collect(r, 1, 10000);
    w.write(payload);
    const [s] = await got;
    expect(s && Buffer.compare(s.payload, payload)).toBe(0);
    expect(r.rtps.counters.nackFragsSent).toBeGreaterThan(0);
  });

  it("GAPs samples a KEEP_LAST writer no longer holds; the reader still converges in order", async () => {
    const [a, b, net] = await pair();
    const qos = { reliability: "reliable", history: { kind: "keep-last", depth: 1 } } as const;
    // The reader's ACKNACKs are held back until the writer has written 20 samples of one
    // instance (it keeps only the last), then delivered: their base (1) asks for samples the
    // writer no longer holds, which it must GAP.
    const writerPort = a.transport.locators.defaultUnicast.port;
    const held: Uint8Array[] = [];
    let holding = true;
    net.dropPolicy = (d, to) => {
      if (!holding || to.port !== writerPort) return false;
      held.push(d.slice());
      return true;
    };
    const w = a.createWriter({ topicName: "gap", typeName: "T", keyed: true, qos });
    const r = b.createReader({
      topicName: "gap",
      typeName: "T",
      keyed: true,
      qos: { ...qos, history: { kind: "keep-all" } },
    });
    await w.waitForMatched(1, 5000);
    await r.waitForMatched(1, 5000);
    const seen: number[] = [];
    r.on("sample", (s) => seen.push(readU32Payload(s.payload)));
    for (let i = 1; i <= 20; i++) w.write(u32Payload(i), { keyHash: keyHash(1) });
    await new Promise((resolve) => setTimeout(resolve, 20));
    holding = false;
    expect(held.length).toBeGreaterThan(0);
    const late = net.socket("127.0.0.1", 7499);
    for (const d of held) late.send(d, a.transport.locators.defaultUnicast);
    expect(await w.waitForAcknowledgments(10_000)).toBe(true);
    late.close();
    expect(seen[seen.length - 1]).toBe(20);
    expect([...seen].sort((x, y) => x - y)).toEqual(seen);
    expect(w.rtps.counters.gapsSent).toBeGreaterThan(0);
  });

  it("carries application inline QoS parameters (e.g. a related sample identity)", async () => {
    const [a, b] = await pair();
    const qos = { reliability: "reliable" } as const;
    const w = a.createWriter({ topicName: "rpc", typeName: "T", keyed: false, qos });
    const r = b.createReader({ topicName: "rpc", typeName: "T", keyed: false, qos });
    await w.waitForMatched(1, 5000);
    await r.waitForMatched(1, 5000);
    const identity = Uint8Array.from({ length: 24 }, (_, i) => i);
    const got = collect(r, 1, 5000);
    w.write(u32Payload(1), {
      inlineQos: [
        { pid: 0x800f, value: identity },
        { pid: 0x0083, value: identity },
      ],
    });
    const [s] = await got;
    expect(s?.inlineQos.map((p) => p.pid)).toEqual([0x800f, 0x0083]);
    expect(s?.inlineQos[1]?.value).toEqual(identity);
  });
});
