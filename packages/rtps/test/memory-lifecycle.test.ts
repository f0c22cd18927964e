import fc from "fast-check";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Participant } from "../src/dds/participant.ts";
import { MemoryNetwork } from "../src/transport/memory.ts";
import {
  keyHash,
  memoryParticipants,
  participant,
  RELIABLE_TOPIC,
  readU32Payload,
  u32Payload,
} from "./helpers.ts";

afterEach(() => {
  vi.restoreAllMocks();
});

const made = memoryParticipants({ announcementPeriodMs: 200, heartbeatPeriodMs: 100 });
const make = (net: MemoryNetwork, name: string, leaseDurationMs = 20_000): Promise<Participant> =>
  made(net, name, { leaseDurationMs });

/** Drops every datagram `p` sends from here on: it goes silent without a goodbye. */
function silence(net: MemoryNetwork, p: Participant): void {
  const prefix = p.guidPrefix;
  net.dropPolicy = (d) => d.subarray(8, 20).every((x, i) => x === prefix[i]);
}

const topic = RELIABLE_TOPIC;

/** A and B with these leases, A's writer matched with B's reader. */
async function matchedPair(leaseAMs: number, leaseBMs: number) {
  const net = new MemoryNetwork();
  const a = await make(net, "A", leaseAMs);
  const b = await make(net, "B", leaseBMs);
  const writer = a.createWriter(topic);
  b.createReader(topic);
  expect(await writer.waitForMatched(1, 5000)).toBe(true);
  return { net, a, b, writer };
}

describe("participant lifecycle over the memory network", () => {
  it("expires a silent peer by lease and unmatches its endpoints", async () => {
    const { net, a, b, writer: w } = await matchedPair(20_000, 600);
    const unmatched = w.once("unmatched", 5000);
    const lost = a.once("participantLost", 5000);
    // B goes silent without saying goodbye.
    silence(net, b);
    expect((await lost)?.[1]).toBe("lease-expired");
    expect((await unmatched)?.[0].participantName).toBe("B");
    expect(a.participants).toHaveLength(0);
  });

  it("announces disposal on close, so peers drop it at once", async () => {
    const net = new MemoryNetwork();
    const a = await make(net, "A");
    const b = await make(net, "B");
    await a.once("participantDiscovered", 5000);
    const lost = a.once("participantLost", 5000);
    await b.close();
    expect((await lost)?.[1]).toBe("disposed");
  });

  it("withdraws a closed endpoint through SEDP", async () => {
    const net = new MemoryNetwork();
    const a = await make(net, "A");
    const b = await make(net, "B");
    const w = a.createWriter(topic);
    const r = b.createReader(topic);
    await r.waitForMatched(1, 5000);
    const gone = r.once("unmatched", 5000);
    w.close();
    expect((await gone)?.[0].topicName).toBe("t");
    expect(r.matchedWriters).toHaveLength(0);
  });

  it("delivers dispose and unregister with the instance state and key hash", async () => {
    const net = new MemoryNetwork();
    const a = await make(net, "A");
    const b = await make(net, "B");
    const w = a.createWriter(topic);
    const r = b.createReader(topic);
    await w.waitForMatched(1, 5000);
    await r.waitForMatched(1, 5000);
    const it = r[Symbol.asyncIterator]();
    w.write(u32Payload(1), { keyHash: keyHash(9) });
    w.dispose(keyHash(9));
    w.unregister(keyHash(9));
    const states = [];
    for (let i = 0; i < 3; i++) states.push((await it.next()).value);
    expect(states.map((s) => s?.instanceState)).toEqual(["alive", "disposed", "unregistered"]);
    expect(states[1]?.keyHash).toEqual(keyHash(9));
    await it.return?.();
  });

  it("iterator queues keep the last sample per instance (KEEP_LAST 1)", async () => {
    const net = new MemoryNetwork();
    const a = await make(net, "A");
    const b = await make(net, "B");
    const qos = { reliability: "reliable", history: { kind: "keep-last", depth: 1 } } as const;
    const w = a.createWriter({ ...topic, qos: { ...qos, history: { kind: "keep-all" } } });
    const r = b.createReader({ ...topic, qos });
    await w.waitForMatched(1, 5000);
    await r.waitForMatched(1, 5000);
    const it = r[Symbol.asyncIterator]();
    const first = await (async () => {
      w.write(u32Payload(1), { keyHash: keyHash(1) });
      return it.next();
    })();
    expect(readU32Payload(first.value?.payload ?? new Uint8Array(8))).toBe(1);
    for (let i = 2; i <= 6; i++) w.write(u32Payload(i), { keyHash: keyHash(i % 2) });
    await w.waitForAcknowledgments(5000);
    const rest = [];
    for (let i = 0; i < 2; i++)
      rest.push(readU32Payload((await it.next()).value?.payload ?? new Uint8Array(8)));
    expect(rest.sort()).toEqual([5, 6]);
    await it.return?.();
  });

  it("best effort delivers without acknowledgements", async () => {
    const net = new MemoryNetwork();
    const a = await make(net, "A");
    const b = await make(net, "B");
    const be = {
      ...topic,
      qos: { reliability: "best-effort", history: { kind: "keep-all" } },
    } as const;
    const w = a.createWriter(be);
    const r = b.createReader(be);
    await w.waitForMatched(1, 5000);
    await r.waitForMatched(1, 5000);
    const got = r.once("sample", 5000);
    w.write(u32Payload(42), { keyHash: keyHash(1) });
    expect(readU32Payload((await got)?.[0].payload ?? new Uint8Array(8))).toBe(42);
    expect(await w.waitForAcknowledgments(10)).toBe(true);
  });

  it("reports write errors as values", async () => {
    const net = new MemoryNetwork();
    const a = await make(net, "A");
    const w = a.createWriter({
      ...topic,
      qos: {
        durability: "transient-local",
        history: { kind: "keep-all" },
        resourceLimits: { maxSamples: 1, maxInstances: 1, maxSamplesPerInstance: 1 },
      },
    });
    expect(w.write(u32Payload(1))).toMatchObject({ ok: false, error: { kind: "bad-key" } });
    expect(w.write(u32Payload(1), { keyHash: keyHash(1) }).ok).toBe(true);
    expect(w.write(u32Payload(2), { keyHash: keyHash(1) })).toMatchObject({
      ok: false,
      error: { kind: "out-of-resources" },
    });
    w.close();
    expect(w.write(u32Payload(3), { keyHash: keyHash(1) })).toMatchObject({
      ok: false,
      error: { kind: "closed" },
    });
  });

  it("releases every timer on close", async () => {
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;
    const before = timers();
    const net = new MemoryNetwork();
    const p = await participant({ transport: net.transport(), name: "T" });
    const w = p.createWriter(topic);
    p.createReader(topic);
    w.write(u32Payload(1), { keyHash: keyHash(1) });
    expect(timers()).toBeGreaterThan(before);
    await p.close();
    expect(timers()).toBe(before);
  });

  it("survives hostile datagrams: mutated real traffic never throws", async () => {
    const net = new MemoryNetwork();
    const captured: Uint8Array[] = [];
    net.dropPolicy = (d) => {
      captured.push(d.slice());
      return false;
    };
    const a = await make(net, "A");
    const b = await make(net, "B");
    const w = a.createWriter(topic);
    const r = b.createReader(topic);
    await r.waitForMatched(1, 5000);
    w.write(u32Payload(1), { keyHash: keyHash(1) });
    await r.once("sample", 5000);
    net.dropPolicy = undefined;
    const pick = fc.constantFrom(...captured);
    fc.assert(
      fc.property(
        pick,
        fc.nat(),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }),
        (d, cut, mutations) => {
          const m = d.slice(0, Math.max(20, cut % (d.length + 1)));
          for (const [at, v] of mutations) if (m.length > 20) m[20 + (at % (m.length - 20))] = v;
          b.receiveDatagram(m, { address: "127.0.0.1", port: 7410 });
        },
      ),
      { numRuns: 3000 },
    );
    expect(b.introspect().counters.receiver.dropped["handler-error"]).toBe(0);
    // Well-formed forgeries may legitimately change protocol state (DDSI has no
    // authentication without DDS-Security), so only crash-freedom is asserted.
    expect(b.introspect().counters.receiver.datagramsReceived).toBeGreaterThan(3000);
  });
});

// An NTP step or an operator's `date -s` moves the wall clock, not the time that passed:
// leases must not notice it.
/** Moves Date.now by `offsetMs` from here on, as a stepped system clock does. */
function stepWallClock(offsetMs: number): void {
  const real = Date.now.bind(Date);
  vi.spyOn(Date, "now").mockImplementation(() => real() + offsetMs);
}

describe("leases across a wall-clock step", () => {
  it("keeps a live peer and its match when the wall clock jumps a minute ahead", async () => {
    const { net, a, b, writer } = await matchedPair(2000, 2000);
    const lost: string[] = [];
    a.on("participantLost", (_info, reason) => lost.push(reason));
    // B is not heard for 700 ms (well within its 2 s lease), so the lease checks (every
    // 250 ms) run before any announcement of B's could renew it on the stepped clock.
    silence(net, b);
    stepWallClock(60_000);
    await new Promise((resolve) => setTimeout(resolve, 700));
    net.dropPolicy = undefined;
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(lost).toEqual([]);
    expect(writer.matchedReaders).toHaveLength(1);
  });

  it("still expires a peer that went silent after the wall clock jumped an hour back", async () => {
    const { net, a, b } = await matchedPair(20_000, 600);
    stepWallClock(-3_600_000);
    const lost = a.once("participantLost", 5000);
    silence(net, b);
    expect((await lost)?.[1]).toBe("lease-expired");
  });
});
