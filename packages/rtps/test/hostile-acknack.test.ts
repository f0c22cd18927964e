import { afterEach, describe, expect, it, vi } from "vitest";
import type { DataWriter } from "../src/dds/data-writer.ts";
import type { Participant } from "../src/dds/participant.ts";
import { RESEND_SUPPRESSION_MS } from "../src/endpoints/reader-proxy.ts";
import { MAX_SAMPLE_RESENDS_PER_TURN } from "../src/endpoints/writer.ts";
import type { ByteWriter } from "../src/wire/cursor.ts";
import { guidToString } from "../src/wire/guid.ts";
import { writeAckNack } from "../src/wire/submessages/acknack.ts";
import { writeInfoDst } from "../src/wire/submessages/info.ts";
import { servedBothWays, turn, until } from "./fake-peer.ts";
import { collect } from "./helpers.ts";
import { endpointCounters, type HostileRig, hostileRig } from "./hostile-rig.ts";

// A matched peer that is nothing but bytes sends ACKNACKs to a participant (A) through its
// socket entry point, each with a new count, each asking for every SN A's writer holds; what
// A sends back to the peer's host is counted on the memory network, what A's writer built
// (sent or withheld by the amplification guard) on A's counters. A flood that never returned
// would fail by the timeout.

const opened: Participant[] = [];
afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(opened.splice(0).map((p) => p.close()));
});

/** Samples A's writer holds, and their size: each resend is one DATA of 60,000 bytes. */
const HELD = 20;
const SAMPLE_BYTES = 60_000;
/** ACKNACKs in one datagram: 32 bytes each (a 20-bit set), 32 KB in all. */
const PER_DATAGRAM = 1000;
/** The most a DATA resend of SAMPLE_BYTES builds: INFO_DST, INFO_TS, DATA, a heartbeat. */
const RESEND_BYTES = SAMPLE_BYTES + 128;

interface Rig extends HostileRig {
  /** A KEEP_ALL writer of A, matched with the fake peer's reader, holding SNs 1..HELD. */
  readonly writer: DataWriter;
}

async function setup(o: { verified: boolean }): Promise<Rig> {
  const rig = await hostileRig({ ...o, opened });
  const { a, bReader } = rig.pair;
  const writer = a.createWriter({
    topicName: "f",
    typeName: "T",
    keyed: false,
    qos: { reliability: "reliable", durability: "volatile", history: { kind: "keep-all" } },
  });
  const fakeReader = guidToString({ prefix: rig.peer.prefix, entityId: rig.peer.readerId });
  await until(
    () => writer.matchedReaders.some((m) => m.guid === fakeReader),
    "A's writer matching the fake peer's reader",
  );
  const got = collect(bReader, HELD, 10_000);
  for (let i = 0; i < HELD; i++) {
    const r = writer.write(new Uint8Array(SAMPLE_BYTES).fill(i));
    if (!r.ok) throw new Error(r.error.message);
  }
  await got;
  await turn();
  return Object.assign(rig, { writer });
}

/** `n` ACKNACKs from the fake peer's reader, counts `firstCount`.., each for SNs 1..HELD. */
const ackNacks =
  (rig: Rig, n: number, firstCount: number) =>
  (w: ByteWriter): void => {
    writeInfoDst(w, rig.pair.a.guidPrefix);
    const writerId = Number.parseInt(rig.writer.guid.slice(-8), 16);
    const members = Array.from({ length: HELD }, (_, i) => i + 1);
    for (let i = 0; i < n; i++)
      writeAckNack(w, {
        readerId: rig.peer.readerId,
        writerId,
        readerSNState: { base: 1, numBits: HELD, members },
        count: firstCount + i,
        final: false,
      });
  };

/** What `fn` made A's writer build for the fake peer: SNs resent, and bytes sent or withheld. */
async function built(
  rig: Rig,
  fn: () => Promise<void>,
): Promise<{ resent: number; bytes: number }> {
  const peers = () => rig.pair.a.introspect().counters.peers;
  const bytes = () => rig.toHost.bytes + peers().bytesWithheld;
  const resent = () => endpointCounters(rig, rig.writer.guid).resent ?? 0;
  const before = { resent: resent(), bytes: bytes() };
  await fn();
  return { resent: resent() - before.resent, bytes: bytes() - before.bytes };
}

describe("ACKNACK floods", () => {
  it("a verified peer's 1,000 ACKNACKs in one datagram are answered once", async () => {
    // The writer's clock (for its resend suppression) moves only when the test moves it.
    vi.useFakeTimers({ toFake: ["performance"] });
    const rig = await setup({ verified: true });
    const sentBefore = rig.sentByPeer;
    const toHost = { ...rig.toHost };
    // 1,000 ACKNACKs of 32 bytes, each asking for 20 DATA of 60,000 bytes: 1.2 GB asked for
    // by 32 KB. A reader's latest ACKNACK of a turn replaces its earlier ones: 20 resends.
    const one = await built(rig, () => rig.send(ackNacks(rig, PER_DATAGRAM, 1)));
    expect(rig.sentByPeer - sentBefore).toBeLessThan(33_000);
    expect(one.resent).toBe(HELD);
    expect(one.resent).toBeLessThanOrEqual(MAX_SAMPLE_RESENDS_PER_TURN);
    expect(rig.toHost.data - toHost.data).toBe(HELD);
    expect(rig.toHost.bytes - toHost.bytes).toBeLessThan(HELD * RESEND_BYTES);
    // With them went a heartbeat.
    expect(rig.toHost.heartbeats - toHost.heartbeats).toBeGreaterThan(0);
    const counters = endpointCounters(rig, rig.writer.guid);
    expect(counters.repairsSuperseded).toBe(HELD * (PER_DATAGRAM - 1));
    expect(counters.sampleResendsOverLimit).toBe(0);
    // Counts already seen get nothing; a new one, the next turn's answer: all 20 SNs.
    const repeated = await built(rig, () => rig.send(ackNacks(rig, PER_DATAGRAM, 1)));
    expect(repeated.resent).toBe(0);
    // A new count at once: those SNs were just resent to this reader, so not again (a reader
    // that cannot take them would loop); once RESEND_SUPPRESSION_MS is over, all 20.
    const soon = await built(rig, () => rig.send(ackNacks(rig, 1, PER_DATAGRAM + 1)));
    expect(soon.resent).toBe(0);
    expect(endpointCounters(rig, rig.writer.guid).resendsSuppressed).toBe(HELD);
    vi.advanceTimersByTime(RESEND_SUPPRESSION_MS);
    const again = await built(rig, () => rig.send(ackNacks(rig, 1, PER_DATAGRAM + 2)));
    expect(again.resent).toBe(HELD);
    await servedBothWays(rig.pair, 1);
  });

  it("an unverified peer's ACKNACKs make A build one turn's budget, and send no more than it sent", async () => {
    const rig = await setup({ verified: false });
    const one = await built(rig, () => rig.send(ackNacks(rig, PER_DATAGRAM, 1)));
    // Built, whether the guard let it go or withheld it.
    expect(one.resent).toBe(HELD);
    expect(one.bytes).toBeLessThan(HELD * RESEND_BYTES);
    expect(rig.toHost.bytes).toBeLessThanOrEqual(rig.sentByPeer);
    expect(rig.pair.a.introspect().counters.peers.datagramsWithheld).toBeGreaterThan(0);
    expect(rig.pair.a.introspect().participants.find((p) => p.name === "hostile")?.verified).toBe(
      false,
    );
    await servedBothWays(rig.pair, 1);
  });
});
