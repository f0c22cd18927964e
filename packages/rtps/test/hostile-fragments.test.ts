import { afterEach, describe, expect, it } from "vitest";
import type { Participant } from "../src/dds/participant.ts";
import { FRAGMENT_SIZE } from "../src/endpoints/outbox.ts";
import { MAX_FRAGMENT_RESENDS_PER_TURN } from "../src/endpoints/writer.ts";
import type { ByteWriter } from "../src/wire/cursor.ts";
import { EntityIds } from "../src/wire/guid.ts";
import { writeDataFrag } from "../src/wire/submessages/data-frag.ts";
import { writeHeartbeatFrag, writeNackFrag } from "../src/wire/submessages/fragment-control.ts";
import { writeInfoDst } from "../src/wire/submessages/info.ts";
import { servedBothWays, turn } from "./fake-peer.ts";
import { collect } from "./helpers.ts";
import { endpointCounters, hostileRig, type HostileRig as Rig } from "./hostile-rig.ts";

// A matched peer that is nothing but bytes sends NACK_FRAGs, HEARTBEAT_FRAGs and DATA_FRAGs
// to a participant (A) through its socket entry point; what A sends back to the peer's host
// is counted on the memory network. A flood that never returned would fail by the timeout.

const opened: Participant[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((p) => p.close()));
});

const setup = (o: { verified: boolean }): Promise<Rig> => hostileRig({ ...o, opened });

/** Writes a sample of `fragments` full fragments from A, and waits until B has it. */
async function writeBig(rig: Rig, fragments: number): Promise<number> {
  const got = collect(rig.pair.bReader, 1, 10_000);
  const written = rig.pair.aWriter.write(new Uint8Array(fragments * FRAGMENT_SIZE).fill(7));
  if (!written.ok) throw new Error(written.error.message);
  await got;
  return written.value;
}

/** `count` NACK_FRAGs from the peer's reader, counts 1..count, each for fragments 1..`last`. */
const nackFrags =
  (rig: Rig, sn: number, last: number, count: number, firstCount = 1) =>
  (w: ByteWriter): void => {
    writeInfoDst(w, rig.pair.a.guidPrefix);
    const members = Array.from({ length: last }, (_, i) => i + 1);
    const writerId = Number.parseInt(rig.pair.aWriter.guid.slice(-8), 16);
    for (let i = 0; i < count; i++)
      writeNackFrag(w, {
        readerId: rig.peer.readerId,
        writerId,
        writerSN: sn,
        fragmentNumberState: { base: 1, numBits: last, members },
        count: firstCount + i,
      });
  };

const writerCounters = (rig: Rig) => endpointCounters(rig, rig.pair.aWriter.guid);

describe("NACK_FRAG floods", () => {
  it("a verified peer's 1,000 NACK_FRAGs in one datagram are answered once", async () => {
    const rig = await setup({ verified: true });
    const sn = await writeBig(rig, 20);
    await turn();
    rig.toHost.dataFrags = 0;
    // 1,000 NACK_FRAGs of 36 bytes, each asking for all 20 fragments: 1.2 GB of resends asked
    // for by 36 KB. A reader's latest NACK_FRAG for a sample replaces its earlier ones.
    await rig.send(nackFrags(rig, sn, 20, 1000));
    expect(rig.toHost.dataFrags).toBe(20);
    expect(rig.toHost.dataFrags).toBeLessThanOrEqual(MAX_FRAGMENT_RESENDS_PER_TURN);
    expect(writerCounters(rig).repairsSuperseded).toBe(20 * 999);
    expect(writerCounters(rig).fragmentResendsOverLimit).toBe(0);
    // Out of NACK_FRAG counts already seen, nothing; with new ones, the next turn's answer.
    await rig.send(nackFrags(rig, sn, 20, 1000));
    expect(writerCounters(rig).nackFragsIgnored).toBe(1000);
    await rig.send(nackFrags(rig, sn, 20, 1, 1001));
    expect(rig.toHost.dataFrags).toBe(20 + 20);
    await servedBothWays(rig.pair, 1);
  });

  it("an unverified peer's NACK_FRAGs make A send its locators no more than the peer sent", async () => {
    const rig = await setup({ verified: false });
    const sn = await writeBig(rig, 20);
    for (let n = 0; n < 5; n++) await rig.send(nackFrags(rig, sn, 20, 1000, 1 + n * 1000));
    expect(rig.sentByPeer).toBeGreaterThan(5 * 36_000);
    expect(rig.toHost.bytes).toBeLessThanOrEqual(rig.sentByPeer);
    const peers = rig.pair.a.introspect().counters.peers;
    expect(peers.datagramsWithheld).toBeGreaterThan(0);
    expect(rig.pair.a.introspect().participants.find((p) => p.name === "hostile")?.verified).toBe(
      false,
    );
    await servedBothWays(rig.pair, 1);
  });
});

describe("HEARTBEAT_FRAG and DATA_FRAG from a hostile writer", () => {
  /** A DATA_FRAG of the peer's writer, to every reader matched with it. */
  const dataFrag =
    (
      rig: Rig,
      f: { sn: number; start: number; fragmentSize: number; sampleSize: number; bytes: number },
    ) =>
    (w: ByteWriter): void =>
      writeDataFrag(w, {
        readerId: EntityIds.unknown,
        writerId: rig.peer.writerId,
        writerSN: f.sn,
        fragmentStartingNum: f.start,
        fragmentsInSubmessage: 1,
        fragmentSize: f.fragmentSize,
        sampleSize: f.sampleSize,
        fragments: new Uint8Array(f.bytes).fill(f.start),
      });

  it("answers 2,000 HEARTBEAT_FRAGs (last fragment 2^32 - 1) with one NACK_FRAG, bounded by the sample", async () => {
    const rig = await setup({ verified: true });
    const layout = { sn: 1, fragmentSize: 100, sampleSize: 1000, bytes: 100 };
    await rig.send(dataFrag(rig, { ...layout, start: 1 }));
    const pending = rig.pair.a.introspect().counters.fragments.pendingBytes;
    await rig.send((w) => {
      for (let count = 1; count <= 2000; count++)
        writeHeartbeatFrag(w, {
          readerId: EntityIds.unknown,
          writerId: rig.peer.writerId,
          writerSN: 1,
          lastFragmentNum: 2 ** 32 - 1,
          count,
        });
      // And one for a sample never seen.
      writeHeartbeatFrag(w, {
        readerId: EntityIds.unknown,
        writerId: rig.peer.writerId,
        writerSN: 99,
        lastFragmentNum: 2 ** 32 - 1,
        count: 2001,
      });
    });
    expect(rig.toHost.nackFrags).toEqual([[2, 3, 4, 5, 6, 7, 8, 9, 10]]);
    const counters = rig.pair.a.introspect().counters;
    expect(counters.fragments.pendingBytes).toBe(pending);
    expect(counters.receiver.dropped["handler-error"]).toBe(0);
    // The writer completes its sample: it is delivered whole.
    const got = collect(rig.pair.aReader, 1, 5_000);
    for (let start = 2; start <= 10; start++) await rig.send(dataFrag(rig, { ...layout, start }));
    const [sample] = await got;
    expect(sample?.payload.length).toBe(1000);
    expect(sample?.payload[950]).toBe(10);
  });

  it("counts DATA_FRAGs whose layout does not add up, stores none of them, and keeps serving", async () => {
    const rig = await setup({ verified: true });
    const before = rig.pair.a.introspect().counters;
    await rig.send((w) => {
      // Sample sizes past maxSampleSize (64 MiB): 2^32 - 1 bytes in 1-byte fragments.
      dataFrag(rig, { sn: 1, start: 1, fragmentSize: 1, sampleSize: 2 ** 32 - 1, bytes: 4 })(w);
      // Refused by the decoder: a zero fragment size, a zero sample size, a first fragment
      // past the last one, a HEARTBEAT_FRAG naming fragment 0.
      dataFrag(rig, { sn: 2, start: 1, fragmentSize: 0, sampleSize: 100, bytes: 4 })(w);
      dataFrag(rig, { sn: 3, start: 1, fragmentSize: 10, sampleSize: 0, bytes: 4 })(w);
      dataFrag(rig, { sn: 4, start: 11, fragmentSize: 10, sampleSize: 100, bytes: 12 })(w);
      writeHeartbeatFrag(w, {
        readerId: EntityIds.unknown,
        writerId: rig.peer.writerId,
        writerSN: 1,
        lastFragmentNum: 0,
        count: 1,
      });
      // Fewer bytes than its one fragment needs.
      dataFrag(rig, { sn: 5, start: 1, fragmentSize: 100, sampleSize: 1000, bytes: 40 })(w);
    });
    const after = rig.pair.a.introspect().counters;
    const grew = (f: (c: typeof after) => number): number => f(after) - f(before);
    expect(grew((c) => c.fragments.dropped["sample-too-large"])).toBe(1);
    expect(grew((c) => c.receiver.dropped["invalid-submessage"])).toBe(4);
    expect(grew((c) => c.fragments.dropped["layout-mismatch"])).toBe(1);
    expect(after.fragments.pendingBytes).toBe(0);
    expect(after.fragments.fragmentsStored).toBe(before.fragments.fragmentsStored);
    expect(rig.toHost.nackFrags).toEqual([]);
    await servedBothWays(rig.pair, 1);
  });
});
