import { describe, expect, it } from "vitest";
import { createParticipant, type Participant } from "../src/dds/participant.ts";
import type { ParticipantOptions } from "../src/dds/participant-options.ts";
import { MemoryNetwork } from "../src/transport/memory.ts";
import { type Locator, locatorIpV4, udpV4Locator } from "../src/wire/locator.ts";
import {
  collect,
  keyHash,
  memoryParticipants,
  RELIABLE_TOPIC,
  readU32Payload,
  u32Payload,
} from "./helpers.ts";
import {
  floodParticipant,
  forgedPrefix,
  forgedSpdp,
  isVictim,
  sleep,
  until,
} from "./hostile-helpers.ts";

/*
 * Forged and misbehaving peers over the in-memory network (README, "Hostile input"). An
 * attacker here is a bare memory socket sending hand-built SPDP; the traffic the participant
 * sends to the addresses the forgeries claim is counted by the network's drop policy.
 */

const participantOn = memoryParticipants({ heartbeatPeriodMs: 100, announcementPeriodMs: 300 });
const make = (
  net: MemoryNetwork,
  address: string,
  name: string,
  options: Partial<ParticipantOptions> = {},
): Promise<Participant> => participantOn(net, name, options, address);

const topic = RELIABLE_TOPIC;

/** Sends `count` forged participants' announcements to `target` from one attacker address. */
function flood(
  net: MemoryNetwork,
  target: Locator,
  count: number,
  port = 40_000,
): { bytes: number; close: () => void } {
  const attacker = net.socket("203.0.113.66", port);
  let bytes = 0;
  for (let n = 0; n < count; n++) {
    const d = forgedSpdp(floodParticipant(n));
    bytes += d.length;
    attacker.send(d, target);
  }
  return { bytes, close: () => attacker.close() };
}

describe("hostile discovery over the memory network", () => {
  it("survives 20,000 forged participants: capped, counted, no amplification, still serving", async () => {
    const net = new MemoryNetwork();
    let bytesToVictims = 0;
    net.dropPolicy = (d, to) => {
      if (isVictim(to)) bytesToVictims += d.length;
      return false;
    };
    const a = await make(net, "10.0.0.1", "A");
    const b = await make(net, "10.0.0.2", "B");
    const w = a.createWriter(topic);
    const r = b.createReader(topic);
    expect(await w.waitForMatched(1, 5000)).toBe(true);
    expect(await r.waitForMatched(1, 5000)).toBe(true);

    const forged = 20_000;
    const attack = flood(net, a.transport.locators.metatrafficUnicast, forged);
    // Queued behind the whole flood, a sample written now must still get through.
    const got = collect(r, 1, 10_000);
    w.write(u32Payload(7), { keyHash: keyHash(7) });
    expect((await got).map((s) => readU32Payload(s.payload))).toEqual([7]);
    expect(await until(() => (a.introspect().counters.spdp.received ?? 0) >= forged, 20_000)).toBe(
      true,
    );

    const peers = a.introspect().counters.peers;
    // One source address: 32 forgeries (`maxParticipantsPerAddress`), the rest refused
    // before decoding; the table (128) is never full, so a newcomer elsewhere finds room.
    expect(a.participants).toHaveLength(33);
    expect(a.participants.map((p) => p.name)).toContain("B");
    expect(peers.participantsOverAddressLimit).toBe(forged - 32);
    expect(a.dropCounters()["participants-over-address-limit"]).toBe(forged - 32);
    expect(peers.participantsRejected).toBe(0);
    // Forgeries announce an infinite lease; each one admitted had it cut.
    expect(peers.leasesCapped).toBe(32);
    expect(a.participants.every((p) => p.leaseDurationMs <= 100_000)).toBe(true);
    expect(
      a
        .introspect()
        .participants.filter((p) => p.verified)
        .map((p) => p.name),
    ).toEqual(["B"]);
    // Periodic announcements and heartbeats to the forgeries keep trying: still bounded.
    await sleep(700);
    expect(bytesToVictims).toBeLessThanOrEqual(attack.bytes);
    expect(a.introspect().counters.peers.datagramsWithheld).toBeGreaterThan(0);

    // The real peer is still matched and served, new endpoints included.
    const w2 = a.createWriter({ ...topic, topicName: "after" });
    const r2 = b.createReader({ ...topic, topicName: "after" });
    expect(await r2.waitForMatched(1, 5000)).toBe(true);
    expect(await w2.waitForMatched(1, 5000)).toBe(true);
    const got2 = collect(r2, 3, 5000);
    for (let i = 1; i <= 3; i++) w2.write(u32Payload(i), { keyHash: keyHash(i) });
    expect((await got2).map((s) => readU32Payload(s.payload))).toEqual([1, 2, 3]);
    expect(bytesToVictims).toBeLessThanOrEqual(attack.bytes);
    attack.close();
  }, 60_000);

  it("lets a newcomer take an unverified participant's place, never a verified one's", async () => {
    const net = new MemoryNetwork();
    const a = await make(net, "10.0.0.1", "A", {
      maxRemoteParticipants: 8,
      evictUnverifiedAfterMs: 300,
    });
    const b = await make(net, "10.0.0.2", "B");
    expect(await until(() => a.introspect().participants.some((p) => p.verified), 5000)).toBe(true);
    const attack = flood(net, a.transport.locators.metatrafficUnicast, 50);
    expect(await until(() => (a.introspect().counters.spdp.received ?? 0) >= 50, 5000)).toBe(true);
    expect(a.participants).toHaveLength(8);
    const c = await make(net, "10.0.0.3", "C");
    // C announces every 300 ms; once a forgery has been unverified for 300 ms, C gets its place.
    expect(await until(() => a.participants.some((p) => p.name === "C"), 5000)).toBe(true);
    const peers = a.introspect().counters.peers;
    expect(peers.participantsEvicted).toBeGreaterThanOrEqual(1);
    expect(a.participants.map((p) => p.name)).toContain("B");
    const w = a.createWriter(topic);
    const r = c.createReader(topic);
    expect(await w.waitForMatched(1, 5000)).toBe(true);
    const got = collect(r, 1, 5000);
    w.write(u32Payload(1), { keyHash: keyHash(1) });
    expect(await got).toHaveLength(1);
    void b;
    attack.close();
  });

  it("cuts an infinite lease, so a forged participant that stops announcing is forgotten", async () => {
    const net = new MemoryNetwork();
    const a = await make(net, "10.0.0.1", "A", { maxRemoteLeaseMs: 400 });
    const attacker = net.socket("203.0.113.66", 40_000);
    const lost = a.once("participantLost", 5000);
    attacker.send(
      forgedSpdp({ prefix: forgedPrefix(1), locators: [udpV4Locator("198.51.0.1", 7410)] }),
      a.transport.locators.metatrafficUnicast,
    );
    const found = await a.once("participantDiscovered", 5000);
    expect(found?.[0].leaseDurationMs).toBe(400);
    expect(a.introspect().counters.peers.leasesCapped).toBe(1);
    expect((await lost)?.[1]).toBe("lease-expired");
    expect(a.participants).toHaveLength(0);
    attacker.close();
  });

  it("keeps at most maxEndpointsPerParticipant of a remote participant's endpoints", async () => {
    const net = new MemoryNetwork();
    const a = await make(net, "10.0.0.1", "A", { maxEndpointsPerParticipant: 3 });
    const b = await make(net, "10.0.0.2", "B");
    const w = a.createWriter(topic);
    for (let i = 0; i < 5; i++) b.createReader(topic);
    expect(await w.waitForMatched(3, 5000)).toBe(true);
    expect(await until(() => a.introspect().counters.peers.endpointsRejected >= 2, 5000)).toBe(
      true,
    );
    await sleep(200);
    expect(w.matchedReaders).toHaveLength(3);
    expect(a.introspect().participants[0]?.endpoints).toHaveLength(3);
    expect(a.introspect().counters.peers.endpointsRejected).toBe(2);
    expect(a.dropCounters()["endpoints-rejected"]).toBe(2);
  });

  it("holds at most maxEarlyTrafficPerWriter submessages of a writer it does not know yet", async () => {
    const net = new MemoryNetwork();
    const a = await make(net, "10.0.0.1", "A", {
      maxEarlyTrafficPerWriter: 2,
      maxEarlyTraffic: 3,
    });
    const b = await make(net, "10.0.0.2", "B");
    await until(() => a.participants.length === 1 && b.participants.length === 1, 5000);
    // Endpoint discovery has worked both ways before the loss starts (a pair on another topic
    // matched each way). On a loaded machine the test could reach the loss with SPDP done but
    // SEDP between A and B not yet settled; B's writer then matched A's reader only once the
    // loss ended (discovery recovers, checked by hand), and the first assertion below timed
    // out (CI, 2026-12-03; five runs of five beside four busy loops).
    const warmTopic = { ...topic, topicName: "warm" };
    const warmAB = a.createWriter(warmTopic);
    b.createReader(warmTopic);
    const warmBA = b.createWriter(warmTopic);
    a.createReader(warmTopic);
    expect(await warmAB.waitForMatched(1, 10_000)).toBe(true);
    expect(await warmBA.waitForMatched(1, 10_000)).toBe(true);
    // B's SEDP announcements to A are lost for a while: B's writer matches A's reader and
    // writes before A knows it.
    let holdSedp = true;
    const aMeta = a.transport.locators.metatrafficUnicast.port;
    net.dropPolicy = (_d, to, from) => holdSedp && from.address === "10.0.0.2" && to.port === aMeta;
    const r = a.createReader(topic);
    const w = b.createWriter(topic);
    expect(await w.waitForMatched(1, 5000)).toBe(true);
    const got = collect(r, 6, 10_000);
    for (let i = 1; i <= 6; i++) w.write(u32Payload(i), { keyHash: keyHash(i) });
    await sleep(100);
    expect(a.introspect().counters.peers.earlyTrafficDropped).toBeGreaterThanOrEqual(4);
    holdSedp = false;
    // Matched, it gets the two held submessages replayed, then the rest repaired.
    expect((await got).map((s) => readU32Payload(s.payload))).toEqual([1, 2, 3, 4, 5, 6]);
    expect(a.counters.replayedAfterMatch).toBe(2);
  });

  it("accepts only allowedPeers: drops other sources and never sends outside the list", async () => {
    const net = new MemoryNetwork();
    const sentTo = new Set<string>();
    net.dropPolicy = (_d, to, from) => {
      if (from.address === "10.0.0.1") sentTo.add(locatorIpV4(to));
      return false;
    };
    const a = await make(net, "10.0.0.1", "A", { allowedPeers: ["10.0.0.0/29", "192.0.2.7"] });
    const b = await make(net, "10.0.0.2", "B");
    const outsider = await make(net, "10.0.0.9", "OUTSIDER");
    const w = a.createWriter(topic);
    const r = b.createReader(topic);
    outsider.createReader(topic);
    expect(await w.waitForMatched(1, 5000)).toBe(true);
    const got = collect(r, 1, 5000);
    w.write(u32Payload(1), { keyHash: keyHash(1) });
    expect(await got).toHaveLength(1);
    // An allowed source announcing locators inside and outside the list.
    const attacker = net.socket("10.0.0.6", 40_000);
    attacker.send(
      forgedSpdp({
        prefix: forgedPrefix(1),
        locators: [udpV4Locator("203.0.113.5", 7410), udpV4Locator("10.0.0.7", 7410)],
      }),
      a.transport.locators.metatrafficUnicast,
    );
    expect(await until(() => a.participants.length === 2, 5000)).toBe(true);
    await sleep(700);
    expect(a.participants.map((p) => p.name)).not.toContain("OUTSIDER");
    expect(outsider.participants.map((p) => p.name)).toContain("A");
    expect(w.matchedReaders).toHaveLength(1);
    const counters = a.introspect().counters;
    expect(counters.receiver.dropped["peer-not-allowed"]).toBeGreaterThan(0);
    expect(a.dropCounters()["peer-not-allowed"]).toBe(
      counters.receiver.dropped["peer-not-allowed"],
    );
    // Both lists (metatraffic and default) carried the outside locator.
    expect(counters.peers.locatorsNotAllowed).toBe(2);
    expect(a.introspect().participants.find((p) => p.name === undefined)?.defaultUnicast).toEqual([
      "udpv4:10.0.0.7:7410",
    ]);
    expect([...sentTo].filter((ip) => ip !== "239.255.0.1").sort()).toEqual([
      "10.0.0.2",
      "10.0.0.7",
    ]);
    attacker.close();
  });

  it("refuses bad limits and allowlist entries with an error naming them", async () => {
    const net = new MemoryNetwork();
    const bad = async (options: Partial<ParticipantOptions>) => {
      const r = await createParticipant({ transport: net.transport(), ...options });
      if (r.ok) await r.value.close();
      return r.ok ? "accepted" : r.error.kind === "bad-options" ? r.error.message : r.error.kind;
    };
    expect(await bad({ allowedPeers: ["10.0.0.0/8", "10.0.0.300"] })).toMatch(/"10\.0\.0\.300"/);
    expect(await bad({ allowedPeers: ["10.0.0.0/33"] })).toMatch(/"10\.0\.0\.0\/33"/);
    expect(await bad({ allowedPeers: [] })).toMatch(/empty/);
    expect(await bad({ maxRemoteParticipants: 0 })).toMatch(/maxRemoteParticipants/);
    expect(await bad({ maxRemoteLeaseMs: Number.POSITIVE_INFINITY })).toMatch(/maxRemoteLeaseMs/);
    expect(await bad({ maxEarlyTraffic: 1.5 })).toMatch(/maxEarlyTraffic/);
  });

  it("bounds a reader iterator's unconsumed samples and counts what it drops", async () => {
    const net = new MemoryNetwork();
    const a = await make(net, "10.0.0.1", "A");
    const b = await make(net, "10.0.0.2", "B", { maxQueuedSamplesPerReader: 5 });
    const w = a.createWriter(topic);
    const r = b.createReader(topic);
    const limited = b.createReader({
      ...topic,
      qos: {
        ...topic.qos,
        resourceLimits: { maxSamples: 3, maxInstances: 10, maxSamplesPerInstance: 3 },
      },
    });
    expect(await w.waitForMatched(2, 5000)).toBe(true);
    const iterator = r[Symbol.asyncIterator]();
    const limitedIterator = limited[Symbol.asyncIterator]();
    const all = collect(r, 20, 5000);
    for (let i = 1; i <= 20; i++) w.write(u32Payload(i), { keyHash: keyHash(i) });
    await all;
    await sleep(20);
    const drain = async (it: AsyncIterator<unknown>, n: number) => {
      for (let i = 0; i < n; i++) await it.next();
    };
    await drain(iterator, 5);
    await drain(limitedIterator, 3);
    // Nothing else is queued: the next call waits for a sample that never comes.
    const more = await Promise.race([
      iterator.next().then(() => "more"),
      sleep(50).then(() => "none"),
    ]);
    expect(more).toBe("none");
    const counters = b.introspect().endpoints.map((e) => e.counters.samplesDroppedQueueFull);
    expect(counters).toEqual([15, 17]);
    expect(b.dropCounters()["reader-queue-full"]).toBe(32);
  });
});
