import { afterEach, describe, expect, it } from "vitest";
import type { Participant } from "../src/dds/participant.ts";
import { encodeEndpointData } from "../src/discovery/sedp-data.ts";
import { encodeInlineQos } from "../src/endpoints/inline-qos.ts";
import { resolveQos } from "../src/qos/endpoint-qos.ts";
import { MemoryNetwork } from "../src/transport/memory.ts";
import {
  EntityIds,
  EntityKind,
  guidToBytes,
  makeEntityId,
  prefixToString,
} from "../src/wire/guid.ts";
import { type Locator, locatorIpV4, udpV4Locator } from "../src/wire/locator.ts";
import { MessageBuilder } from "../src/wire/message.ts";
import { writeData } from "../src/wire/submessages/data.ts";
import { collect, keyHash, participant, readU32Payload, u32Payload } from "./helpers.ts";
import { forgedPrefix, forgedSpdp, sleep, until } from "./hostile-helpers.ts";

/*
 * Amplification through locators a forged participant shares with someone else: a verified
 * peer's (whose proof must not cover the forgery) or a real participant's prefix borrowed for
 * endpoints announced by the forgery (whose credit must not pay for them).
 */
const open: Participant[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((p) => p.close()));
});

async function make(net: MemoryNetwork, address: string, name: string): Promise<Participant> {
  const p = await participant({
    transport: net.transport(address),
    name,
    heartbeatPeriodMs: 100,
    announcementPeriodMs: 300,
  });
  open.push(p);
  return p;
}

/** Bytes of the submessages in `datagram` that follow an INFO_DST naming a forged prefix. */
function bytesForForged(datagram: Uint8Array): number {
  const view = new DataView(datagram.buffer, datagram.byteOffset, datagram.byteLength);
  let forged = false;
  let bytes = 0;
  for (let at = 20; at + 4 <= datagram.length; ) {
    const id = datagram[at] ?? 0;
    const length = view.getUint16(at + 2, ((datagram[at + 1] ?? 0) & 1) === 1);
    const end = length === 0 ? datagram.length : at + 4 + length;
    if (id === 0x0e) forged = datagram[at + 4] === 0xfa && datagram[at + 5] === 0xce;
    else if (forged) bytes += end - at;
    at = end;
  }
  return bytes;
}

const topic = {
  topicName: "t",
  typeName: "T",
  keyed: true,
  qos: { reliability: "reliable", durability: "transient-local", history: { kind: "keep-all" } },
} as const;

describe("amplification through shared or borrowed locators", () => {
  it("meters a forged participant that claims a verified peer's locators", async () => {
    const net = new MemoryNetwork();
    let forgedBytesToB = 0;
    net.dropPolicy = (d, to) => {
      if (locatorIpV4(to) === "10.0.0.2") forgedBytesToB += bytesForForged(d);
      return false;
    };
    const a = await make(net, "10.0.0.1", "A");
    const b = await make(net, "10.0.0.2", "B");
    const w = a.createWriter(topic);
    const r = b.createReader(topic);
    expect(await r.waitForMatched(1, 5000)).toBe(true);
    expect(await until(() => a.introspect().participants.some((p) => p.verified), 5000)).toBe(true);

    // Forged participants whose locators are B's own: B proved it receives there, they did not.
    const attacker = net.socket("203.0.113.66", 40_000);
    const bLocators: Locator[] = [
      b.transport.locators.metatrafficUnicast,
      b.transport.locators.defaultUnicast,
    ];
    let attackBytes = 0;
    for (let n = 0; n < 20; n++) {
      const d = forgedSpdp({ prefix: forgedPrefix(n), locators: bLocators, leaseMs: 60_000 });
      attackBytes += d.length;
      attacker.send(d, a.transport.locators.metatrafficUnicast);
    }
    expect(await until(() => a.participants.length === 21, 5000)).toBe(true);
    // SEDP history, probes every 100 ms, periodic heartbeats: all addressed to the forgeries.
    await sleep(1000);
    expect(forgedBytesToB).toBeLessThanOrEqual(attackBytes);
    expect(a.introspect().counters.peers.datagramsWithheld).toBeGreaterThan(0);

    // B itself, still verified, is served without metering.
    const got = collect(r, 20, 5000);
    for (let i = 1; i <= 20; i++) w.write(u32Payload(i), { keyHash: keyHash(i) });
    expect((await got).map((s) => readU32Payload(s.payload))).toHaveLength(20);
    attacker.close();
  }, 20_000);

  it("refuses an endpoint announced for another participant's prefix", async () => {
    const net = new MemoryNetwork();
    const victim = udpV4Locator("198.51.100.7", 7411);
    let bytesToVictim = 0;
    net.dropPolicy = (d, to) => {
      if (locatorIpV4(to) === locatorIpV4(victim)) bytesToVictim += d.length;
      return false;
    };
    const a = await make(net, "10.0.0.1", "A");
    const b = await make(net, "10.0.0.2", "B");
    const w = a.createWriter(topic);
    expect(await until(() => a.participants.length === 1, 5000)).toBe(true);
    // B keeps talking to A: its credit grows with every announcement and heartbeat.
    await sleep(500);

    // A forged participant at the attacker's own address, whose SEDP announces a reader
    // with B's GUID prefix and the victim's locator, on A's writer's topic.
    const attacker = net.socket("203.0.113.66", 40_000);
    const q = forgedPrefix(1);
    const spdp = forgedSpdp({ prefix: q, locators: [udpV4Locator("203.0.113.66", 40_000)] });
    attacker.send(spdp, a.transport.locators.metatrafficUnicast);
    expect(await until(() => a.participants.length === 2, 5000)).toBe(true);
    const fake = {
      guid: { prefix: b.guidPrefix, entityId: makeEntityId(0x77, EntityKind.readerWithKey) },
      side: "reader",
      topicName: "t",
      typeName: "T",
      keyed: true,
      qos: resolveQos("reader", topic.qos),
      unicastLocators: [victim],
      multicastLocators: [],
      expectsInlineQos: false,
      contentFiltered: false,
      vendorId: 0x010f,
    } as const;
    const mb = new MessageBuilder(0x010f, q);
    writeData(mb.w, {
      readerId: EntityIds.sedpSubscriptionsReader,
      writerId: EntityIds.sedpSubscriptionsWriter,
      writerSN: 1,
      inlineQos: encodeInlineQos(guidToBytes(fake.guid), "alive"),
      payload: encodeEndpointData(fake),
    });
    const sedp = mb.take();
    attacker.send(sedp, a.transport.locators.metatrafficUnicast);
    await sleep(100);
    for (let i = 1; i <= 20; i++) w.write(new Uint8Array(2000), { keyHash: keyHash(i) });
    await sleep(500);
    expect(bytesToVictim).toBeLessThanOrEqual(spdp.length + sedp.length);
    expect(w.matchedReaders).toHaveLength(0);
    expect(a.introspect().counters.peers.endpointsNotTheirs).toBe(1);
    attacker.close();
  }, 20_000);

  it("ignores and counts an SPDP announcement of our own prefix from another sender", async () => {
    const net = new MemoryNetwork();
    const a = await make(net, "10.0.0.1", "A");
    const attacker = net.socket("203.0.113.66", 40_000);
    const spdp = forgedSpdp({
      prefix: a.guidPrefix,
      sourcePrefix: forgedPrefix(2),
      locators: [udpV4Locator("203.0.113.66", 40_000)],
    });
    attacker.send(spdp, a.transport.locators.metatrafficUnicast);
    expect(await until(() => a.introspect().counters.peers.ownPrefixAnnounced === 1, 2000)).toBe(
      true,
    );
    expect(a.participants).toEqual([]);
    expect(a.dropCounters()["own-prefix-announced"]).toBe(1);
    attacker.close();
  });

  it("ignores an SPDP dispose of a participant sent by another one", async () => {
    const net = new MemoryNetwork();
    const a = await make(net, "10.0.0.1", "A");
    const b = await make(net, "10.0.0.2", "B");
    expect(await until(() => a.participants.length === 1, 5000)).toBe(true);
    // One datagram from a forged participant, disposing B by B's key.
    const attacker = net.socket("203.0.113.66", 40_000);
    const mb = new MessageBuilder(0x010f, forgedPrefix(1));
    const key = guidToBytes({ prefix: b.guidPrefix, entityId: EntityIds.participant });
    writeData(mb.w, {
      readerId: EntityIds.spdpReader,
      writerId: EntityIds.spdpWriter,
      writerSN: 2,
      inlineQos: encodeInlineQos(key, "disposed"),
    });
    attacker.send(mb.take(), a.transport.locators.metatrafficUnicast);
    await sleep(200);
    expect(a.participants.map((p) => p.guidPrefix)).toEqual([prefixToString(b.guidPrefix)]);
    expect(a.introspect().counters.peers.disposesNotTheirs).toBe(1);
    expect(a.dropCounters()["disposes-not-theirs"]).toBe(1);
    // B's own dispose, as it closes, still removes it.
    await b.close();
    open.splice(open.indexOf(b), 1);
    expect(await until(() => a.participants.length === 0, 5000)).toBe(true);
    attacker.close();
  }, 20_000);
});
