import { afterEach, describe, expect, it } from "vitest";
import type { Participant } from "../src/dds/participant.ts";
import { type ParticipantOptions, resolvePeerLimits } from "../src/dds/participant-options.ts";
import { SPARED_PER_ADDRESS } from "../src/discovery/address-share.ts";
import { MemoryNetwork } from "../src/transport/memory.ts";
import { ByteWriter } from "../src/wire/cursor.ts";
import { udpV4Locator } from "../src/wire/locator.ts";
import { writeInfoDst } from "../src/wire/submessages/info.ts";
import { participant } from "./helpers.ts";
import { forgedPrefix, forgedSpdp, sleep, until } from "./hostile-helpers.ts";

// One host proves as many participants as it likes from its own address, and verified
// participants were never evicted: it filled the table for good and every genuine newcomer
// (a restarted orchestrator) was refused.

const open: Participant[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((p) => p.close()));
});

const SQUATTER = "10.9.9.9";

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

/** `count` participants announced from SQUATTER, each proved (an INFO_DST naming `a`) from there. */
function squat(net: MemoryNetwork, a: Participant, count: number): () => void {
  const socket = net.socket(SQUATTER, 7410);
  for (let n = 0; n < count; n++) {
    const prefix = forgedPrefix(n);
    const to = a.transport.locators.metatrafficUnicast;
    socket.send(
      forgedSpdp({ prefix, locators: [udpV4Locator(SQUATTER, 7410)], leaseMs: 100_000 }),
      to,
    );
    const proof = new ByteWriter(64);
    proof.bytes(Uint8Array.of(0x52, 0x54, 0x50, 0x53, 2, 3, 0x01, 0x0f));
    proof.bytes(prefix);
    writeInfoDst(proof, a.guidPrefix);
    socket.send(proof.toBytes(), to);
  }
  return () => socket.close();
}

const verifiedCount = (p: Participant): number =>
  p.introspect().participants.filter((x) => x.verified).length;

describe("participants per source address", () => {
  it("a table full of verified participants from one address still takes a newcomer", async () => {
    const net = new MemoryNetwork();
    const a = await make(net, "10.0.0.1", "A", { maxRemoteParticipants: 12 });
    const close = squat(net, a, 12);
    expect(await until(() => verifiedCount(a) === 12, 5_000)).toBe(true);
    // Before: refused for as long as the squatters renewed (`participants-rejected`).
    const c = await make(net, "10.0.0.3", "C");
    expect(await until(() => a.participants.some((p) => p.name === "C"), 5_000)).toBe(true);
    expect(a.participants).toHaveLength(12);
    expect(await until(() => c.participants.some((p) => p.name === "A"), 5_000)).toBe(true);
    const peers = a.introspect().counters.peers;
    expect(peers.participantsEvictedFromCrowdedAddress).toBe(1);
    expect(a.dropCounters()["participants-evicted"]).toBe(1);
    // And C stays: a squatter announced again is refused (its address is still the most
    // represented), not given C's place.
    close();
    squat(net, a, 12)();
    await sleep(300);
    expect(a.participants.some((p) => p.name === "C")).toBe(true);
  });

  it("never evicts a host's few participants for a newcomer from another address", async () => {
    const net = new MemoryNetwork();
    const a = await make(net, "10.0.0.1", "A", { maxRemoteParticipants: SPARED_PER_ADDRESS });
    const close = squat(net, a, SPARED_PER_ADDRESS);
    expect(await until(() => verifiedCount(a) === SPARED_PER_ADDRESS, 5_000)).toBe(true);
    await make(net, "10.0.0.3", "C");
    expect(await until(() => a.introspect().counters.peers.participantsRejected > 0, 5_000)).toBe(
      true,
    );
    expect(a.participants.some((p) => p.name === "C")).toBe(false);
    close();
  });

  it("refuses a newcomer from an address that has maxParticipantsPerAddress", async () => {
    const net = new MemoryNetwork();
    const a = await make(net, "10.0.0.1", "A", { maxParticipantsPerAddress: 4 });
    const close = squat(net, a, 10);
    expect(
      await until(() => a.dropCounters()["participants-over-address-limit"] === 6, 5_000),
    ).toBe(true);
    expect(a.participants).toHaveLength(4);
    close();
  });

  it("takes a genuine newcomer in place of its own address's unverified participants once they may go", async () => {
    // On loopback a hostile process shares the genuine peers' address: its forged, unverified
    // participants filled the address's share, and the orchestrator was refused for good.
    const net = new MemoryNetwork();
    const a = await make(net, "10.0.0.1", "A", {
      maxParticipantsPerAddress: 4,
      evictUnverifiedAfterMs: 200,
    });
    const socket = net.socket(SQUATTER, 7410);
    const to = a.transport.locators.metatrafficUnicast;
    for (let n = 0; n < 4; n++) {
      const prefix = forgedPrefix(n);
      socket.send(
        forgedSpdp({ prefix, locators: [udpV4Locator(SQUATTER, 7410)], leaseMs: 100_000 }),
        to,
      );
    }
    expect(await until(() => a.participants.length === 4, 5_000)).toBe(true);
    await sleep(300);
    await make(net, SQUATTER, "C");
    expect(await until(() => a.participants.some((p) => p.name === "C"), 5_000)).toBe(true);
    expect(a.participants).toHaveLength(4);
    expect(a.dropCounters()["participants-evicted"]).toBeGreaterThan(0);
    socket.close();
  });

  it("rejects a maxParticipantsPerAddress below 1", () => {
    const resolved = resolvePeerLimits({ maxParticipantsPerAddress: 0 });
    expect(resolved.ok ? "" : resolved.error.message).toMatch(/maxParticipantsPerAddress/);
  });
});
