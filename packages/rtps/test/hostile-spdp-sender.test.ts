import { afterEach, describe, expect, it } from "vitest";
import type { Participant } from "../src/dds/participant.ts";
import type { ParticipantOptions } from "../src/dds/participant-options.ts";
import { encodeInlineQos } from "../src/endpoints/inline-qos.ts";
import { MemoryNetwork } from "../src/transport/memory.ts";
import { EntityIds, guidToBytes, prefixToString } from "../src/wire/guid.ts";
import { udpV4Locator } from "../src/wire/locator.ts";
import { MessageBuilder } from "../src/wire/message.ts";
import { writeData } from "../src/wire/submessages/data.ts";
import { collect, participant, readU32Payload, u32Payload } from "./helpers.ts";
import { forgedPrefix, forgedSpdp, sleep, until } from "./hostile-helpers.ts";

// SPDP must tie what a datagram announces or disposes to who sent it: a header's GUID prefix is
// the sender's word, and a captured announcement can be replayed from anywhere.

const open: Participant[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((p) => p.close()));
});

async function make(
  net: MemoryNetwork,
  address: string,
  name: string,
  options: Omit<ParticipantOptions, "transport" | "name"> = {},
): Promise<Participant> {
  const p = await participant({ transport: net.transport(address), name, ...options });
  open.push(p);
  return p;
}

const ATTACKER = "203.0.113.66";
const topic = {
  topicName: "spdp-sender",
  typeName: "T",
  keyed: false,
  qos: { reliability: "reliable", durability: "volatile" },
} as const;

/** Whether `p` knows a participant with `prefix`. */
const knows = (p: Participant, prefix: Uint8Array): boolean =>
  p.participants.some((x) => x.guidPrefix === prefixToString(prefix));

describe("SPDP tied to its sender", () => {
  it("a disposal in a verified peer's name from elsewhere is ignored, the peer keeps serving", async () => {
    const net = new MemoryNetwork();
    const a = await make(net, "10.0.0.1", "A");
    const b = await make(net, "10.0.0.2", "B");
    const reader = a.createReader(topic);
    const writer = b.createWriter(topic);
    expect(await writer.waitForMatched(1, 5_000)).toBe(true);
    expect(await until(() => a.introspect().participants.some((p) => p.verified), 5_000)).toBe(
      true,
    );
    const lost: string[] = [];
    a.on("participantLost", (p, reason) => lost.push(`${p.name}:${reason}`));
    // One datagram with B's prefix in its header, disposing B by B's own key.
    const attacker = net.socket(ATTACKER, 40_000);
    const mb = new MessageBuilder(0x010f, b.guidPrefix);
    writeData(mb.w, {
      readerId: EntityIds.spdpReader,
      writerId: EntityIds.spdpWriter,
      writerSN: 99,
      inlineQos: encodeInlineQos(
        guidToBytes({ prefix: b.guidPrefix, entityId: EntityIds.participant }),
        "disposed",
      ),
    });
    attacker.send(mb.take(), a.transport.locators.metatrafficUnicast);
    // Before: B was torn down, endpoints and all, and `disposes-not-theirs` stayed 0.
    await sleep(200);
    expect(lost).toEqual([]);
    expect(knows(a, b.guidPrefix)).toBe(true);
    expect(a.dropCounters()["spdp-not-from-peer"]).toBe(1);
    const got = collect(reader, 1, 5_000);
    writer.write(u32Payload(7));
    expect((await got).map((s) => readU32Payload(s.payload))).toEqual([7]);
    // B's own goodbye, from its address, still removes it.
    await b.close();
    open.splice(open.indexOf(b), 1);
    expect(await until(() => !knows(a, b.guidPrefix), 5_000)).toBe(true);
    attacker.close();
  }, 20_000);

  it("a verified peer that went silent expires, however often its SPDP is replayed from elsewhere", async () => {
    const net = new MemoryNetwork();
    const a = await make(net, "10.0.0.1", "A");
    const b = await make(net, "10.0.0.2", "B", { leaseDurationMs: 1_000 });
    const bKey = prefixToString(b.guidPrefix);
    let captured: Uint8Array | undefined;
    let silent = false;
    net.dropPolicy = (datagram, _to, from) => {
      if (from.address !== "10.0.0.2") return false;
      // B's first large datagram: its SPDP announcement.
      if (captured === undefined && datagram.length > 100) captured = datagram.slice();
      return silent;
    };
    expect(await until(() => a.introspect().participants.some((p) => p.verified), 5_000)).toBe(
      true,
    );
    expect(captured).toBeDefined();
    // B dies without a goodbye; its announcement is replayed from another address.
    silent = true;
    const attacker = net.socket(ATTACKER, 40_000);
    const lost: string[] = [];
    a.on("participantLost", (p, reason) => lost.push(`${p.guidPrefix}:${reason}`));
    for (let i = 0; i < 6 && lost.length === 0; i++) {
      if (captured) attacker.send(captured, a.transport.locators.metatrafficUnicast);
      await sleep(400);
    }
    expect(await until(() => lost.length > 0, 3_000)).toBe(true);
    expect(lost[0]).toBe(`${bKey}:lease-expired`);
    expect(a.dropCounters()["spdp-not-from-peer"]).toBeGreaterThan(0);
    attacker.close();
  }, 20_000);

  it("an announcement whose header names another participant is ignored", async () => {
    const net = new MemoryNetwork();
    const a = await make(net, "10.0.0.1", "A");
    const attacker = net.socket(ATTACKER, 40_000);
    attacker.send(
      forgedSpdp({
        prefix: forgedPrefix(1),
        sourcePrefix: forgedPrefix(2),
        locators: [udpV4Locator(ATTACKER, 40_000)],
        leaseMs: 10_000,
      }),
      a.transport.locators.metatrafficUnicast,
    );
    await sleep(200);
    expect(a.participants).toEqual([]);
    expect(a.dropCounters()["spdp-not-from-peer"]).toBe(1);
    attacker.close();
  });
});
