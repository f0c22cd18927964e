import { describe, expect, it } from "vitest";
import type { Participant } from "../src/dds/participant.ts";
import type { ParticipantOptions } from "../src/dds/participant-options.ts";
import { EARLY_TRAFFIC_TOTAL } from "../src/routing/early-writer-traffic.ts";
import { MemoryNetwork, type MemorySocket } from "../src/transport/memory.ts";
import { EntityIds, EntityKind, makeEntityId } from "../src/wire/guid.ts";
import type { Locator } from "../src/wire/locator.ts";
import { udpV4Locator } from "../src/wire/locator.ts";
import { MessageBuilder } from "../src/wire/message.ts";
import { writeData } from "../src/wire/submessages/data.ts";
import {
  collect,
  keyHash,
  memoryParticipants,
  RELIABLE_TOPIC,
  readU32Payload,
  u32Payload,
} from "./helpers.ts";
import { forgedPrefix, forgedSpdp, sleep, until } from "./hostile-helpers.ts";

/*
 * The early-traffic hold (README, "Writers we do not know yet") under hostile input: traffic
 * of writers not matched yet, sent by prefixes SPDP never announced, or by one discovered
 * participant without end, must not take the place of a genuine writer's first samples.
 */

const topic = RELIABLE_TOPIC;

const participantOn = memoryParticipants({ heartbeatPeriodMs: 100, announcementPeriodMs: 300 });
const make = (
  net: MemoryNetwork,
  address: string,
  name: string,
  options: Partial<ParticipantOptions> = {},
): Promise<Participant> => participantOn(net, name, options, address);

/** One DATA of an unmatched writer `writerKey` of the participant with `prefix`. */
function unknownWriterData(prefix: Uint8Array, writerKey: number, sn: number): Uint8Array {
  const mb = new MessageBuilder(0x010f, prefix);
  writeData(mb.w, {
    readerId: EntityIds.unknown,
    writerId: makeEntityId(writerKey, EntityKind.writerNoKey),
    writerSN: sn,
    payload: new Uint8Array(1000),
  });
  return mb.take();
}

/**
 * A and B discovered each other and matched on a warm-up topic; then B's SEDP to A is lost
 * while B's writer matches A's reader and writes 3 samples. `attack` runs just before the
 * writes; the samples must come, the first ones replayed from the hold.
 */
async function earlyWritesAfter(
  attack: (net: MemoryNetwork, a: Participant, attacker: MemorySocket) => Promise<void>,
): Promise<Participant> {
  const net = new MemoryNetwork();
  const a = await make(net, "10.0.0.1", "A");
  const b = await make(net, "10.0.0.2", "B");
  expect(await until(() => a.participants.length === 1 && b.participants.length === 1, 5000)).toBe(
    true,
  );
  const warmTopic = { ...topic, topicName: "warm" };
  const warmAB = a.createWriter(warmTopic);
  b.createReader(warmTopic);
  const warmBA = b.createWriter(warmTopic);
  a.createReader(warmTopic);
  expect(await warmAB.waitForMatched(1, 10_000)).toBe(true);
  expect(await warmBA.waitForMatched(1, 10_000)).toBe(true);
  let holdSedp = true;
  const aMeta = a.transport.locators.metatrafficUnicast.port;
  net.dropPolicy = (_d, to, from) => holdSedp && from.address === "10.0.0.2" && to.port === aMeta;
  const r = a.createReader(topic);
  const w = b.createWriter(topic);
  expect(await w.waitForMatched(1, 5000)).toBe(true);
  const attacker = net.socket("203.0.113.66", 40_000);
  await attack(net, a, attacker);
  const got = collect(r, 3, 10_000);
  for (let i = 1; i <= 3; i++) w.write(u32Payload(i), { keyHash: keyHash(i) });
  await sleep(100);
  holdSedp = false;
  expect((await got).map((s) => readU32Payload(s.payload))).toEqual([1, 2, 3]);
  attacker.close();
  return a;
}

const target = (a: Participant): Locator => a.transport.locators.metatrafficUnicast;

describe("early traffic of writers not matched yet, under hostile input", () => {
  it("holds nothing for prefixes SPDP never announced, and counts them", async () => {
    const invented = 300;
    const a = await earlyWritesAfter(async (_net, a, attacker) => {
      for (let n = 0; n < invented; n++)
        attacker.send(unknownWriterData(forgedPrefix(n), 1, 1), target(a));
      await sleep(50);
    });
    // B's 3 DATAs were held and replayed, not left to B's heartbeat.
    expect(a.counters.replayedAfterMatch).toBeGreaterThanOrEqual(3);
    expect(a.introspect().counters.peers.earlyTrafficUndiscovered).toBe(invented);
    expect(a.dropCounters()["early-traffic-undiscovered"]).toBe(invented);
  });

  it("gives a genuine writer's early traffic a place when a discovered participant fills the hold", async () => {
    const hog = forgedPrefix(1);
    const a = await earlyWritesAfter(async (_net, a, attacker) => {
      attacker.send(
        forgedSpdp({ prefix: hog, locators: [udpV4Locator("203.0.113.66", 40_000)] }),
        target(a),
      );
      expect(await until(() => a.participants.length === 2, 5000)).toBe(true);
      // 8 writers × 64: twice the hold's slots, from one participant.
      for (let w = 1; w <= 8; w++)
        for (let sn = 1; sn <= 64; sn++) attacker.send(unknownWriterData(hog, w, sn), target(a));
      await until(
        () => a.introspect().counters.peers.earlyTrafficDropped >= EARLY_TRAFFIC_TOTAL,
        5000,
      );
    });
    expect(a.counters.replayedAfterMatch).toBeGreaterThanOrEqual(3);
    expect(a.introspect().counters.peers.earlyTrafficUndiscovered).toBe(0);
    // The hog's overflow, and the places it gave up to B's samples.
    expect(a.introspect().counters.peers.earlyTrafficDropped).toBeGreaterThan(EARLY_TRAFFIC_TOTAL);
  });
});
