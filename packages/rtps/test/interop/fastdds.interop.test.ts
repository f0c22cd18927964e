import {
  assertInsidePrivateNetwork,
  buildPeer,
  co2Samples,
  fnv1a32,
  startCo2Peer,
} from "@wattprint/testkit";
import { beforeAll, describe, expect, it } from "vitest";
import type { DataWriter } from "../../src/dds/data-writer.ts";
import type { ReceivedSample } from "../../src/endpoints/reader.ts";
import { collect, participant } from "../helpers.ts";
import {
  CO2_TOPIC,
  CO2_TYPE,
  decodeCo2,
  encodeCo2,
  peerStyleCo2,
  SUSTAINML_QOS,
  taskKeyHash,
} from "./peer-types.ts";

// Domains 40-59 belong to this file; each concurrent test takes its own.
const DOMAIN = 40;
const EXIT_MS = 30_000;
const MATCH_MS = 15_000;

function ts(domainId: number, name: string) {
  return participant({
    domainId,
    interfaceAddress: "127.0.0.1",
    name,
    properties: { "fastdds.application.id": "SUSTAINML", "fastdds.application.metadata": "" },
  });
}

function writeCo2(w: DataWriter, i: number, extra?: Uint8Array): void {
  const r = w.write(encodeCo2(peerStyleCo2(i, extra)), { keyHash: taskKeyHash(7, i) });
  if (!r.ok) throw new Error(`write: ${r.error.message}`);
}

function iterations(samples: readonly ReceivedSample[]): number[] {
  return samples.map((s) => decodeCo2(s.payload).iteration);
}

const expectedPeerSamples = (n: number) =>
  Array.from({ length: n }, (_, k) => ({
    problem: 7,
    iteration: k + 1,
    carbon: 1.5 * (k + 1),
    energy: 2.25,
    intensity: 301 + k,
    extraLength: 3,
    extraFnv: fnv1a32(Uint8Array.of(1, 2, 3)),
    extraHead: "010203",
  }));

describe.concurrent("interop with Fast DDS 2.9", () => {
  beforeAll(async () => {
    assertInsidePrivateNetwork();
    await buildPeer("fastdds-co2-peer");
  });

  it("TS keyed writer -> Fast DDS reader: 5/5, acknowledged, and Fast DDS sees the name and properties", async () => {
    const domain = DOMAIN + 1;
    await using p = await ts(domain, "TS_KEYED_WRITER");
    const w = p.createWriter({
      topicName: CO2_TOPIC,
      typeName: CO2_TYPE,
      keyed: true,
      qos: SUSTAINML_QOS,
    });
    await using sub = await startCo2Peer("sub", { domain, count: 5, lingerMs: 500 });
    expect(await w.waitForMatched(1, MATCH_MS)).toBe(true);
    await sub.waitForLine(/^MATCHED writers=1 /, MATCH_MS);
    for (let i = 1; i <= 5; i++) writeCo2(w, i);
    expect(await w.waitForAcknowledgments(10_000)).toBe(true);
    // Fast DDS names us (INFO_DST) from the address it announces: verified, so unmetered.
    expect(p.introspect().participants.map((x) => x.verified)).toEqual([true]);
    expect(p.introspect().counters.peers.unknownDestination).toBe(0);
    expect((await sub.waitForExit(EXIT_MS)).code).toBe(0);
    expect(sub.lines).toContain("TOTAL 5");
    expect(co2Samples(sub)).toEqual(expectedPeerSamples(5));
    expect(
      sub.lines.some((l) => l.startsWith("PARTICIPANT_DISCOVERED name=TS_KEYED_WRITER ")),
    ).toBe(true);
    expect(sub.lines.some((l) => / key=fastdds.application.id value=SUSTAINML$/.test(l))).toBe(
      true,
    );
    // Fast DDS sends a vendor submessage (0x80) next to its SPDP data: skipped and counted, never fatal.
    const counters = p.introspect().counters.receiver;
    expect(counters.dropped["vendor-submessage"]).toBeGreaterThan(0);
    expect(counters.dropped["handler-error"]).toBe(0);
    expect(counters.dropped["invalid-submessage"]).toBe(0);
  });

  it("Fast DDS keyed writer -> TS reader: 5/5 with key hashes, and the writer's wait_for_acknowledgments succeeds", async () => {
    const domain = DOMAIN + 2;
    await using p = await ts(domain, "TS_KEYED_READER");
    const r = p.createReader({
      topicName: CO2_TOPIC,
      typeName: CO2_TYPE,
      keyed: true,
      qos: { reliability: "reliable", history: { kind: "keep-all" } },
      expectsInlineQos: true,
    });
    const got = collect(r, 5, EXIT_MS);
    const matched = r.once("matched", MATCH_MS);
    await using pub = await startCo2Peer("pub", { domain, count: 5, name: "FAST_PUB" });
    expect((await matched)?.[0].participantName).toBe("FAST_PUB");
    const samples = await got;
    expect(iterations(samples)).toEqual([1, 2, 3, 4, 5]);
    expect(samples.map((s) => s.keyHash)).toEqual([1, 2, 3, 4, 5].map((i) => taskKeyHash(7, i)));
    expect(decodeCo2(samples[2]?.payload ?? new Uint8Array(64))).toMatchObject({
      carbon: 4.5,
      energy: 2.25,
      intensity: 303,
    });
    expect((await pub.waitForExit(EXIT_MS)).code).toBe(0);
    expect(pub.lines).toContain("ACK OK readers=1");
  });

  it("Fast DDS TRANSIENT_LOCAL history reaches a late TS reader (tlpub, 3 samples)", async () => {
    const domain = DOMAIN + 3;
    await using pub = await startCo2Peer("tlpub", { domain, count: 3 });
    await pub.waitForLine(/^WROTE problem=7 iteration=3$/, MATCH_MS);
    await using p = await ts(domain, "TS_LATE_READER");
    const r = p.createReader({
      topicName: CO2_TOPIC,
      typeName: CO2_TYPE,
      keyed: true,
      qos: SUSTAINML_QOS,
      // No inline QoS asked for, so the key comes from the payload.
      keyHashOf: (payload) => {
        const c = decodeCo2(payload);
        return taskKeyHash(c.problem, c.iteration);
      },
    });
    const samples = await collect(r, 3, EXIT_MS);
    expect(iterations(samples).sort()).toEqual([1, 2, 3]);
    expect(samples.every((s) => s.keyHash?.[3] === 7)).toBe(true);
    expect((await pub.waitForExit(EXIT_MS)).code).toBe(0);
  });

  it("TS TRANSIENT_LOCAL history reaches a late Fast DDS reader (tlsub, 3 samples)", async () => {
    const domain = DOMAIN + 4;
    await using p = await ts(domain, "TS_TL_WRITER");
    const w = p.createWriter({
      topicName: CO2_TOPIC,
      typeName: CO2_TYPE,
      keyed: true,
      qos: SUSTAINML_QOS,
    });
    for (let i = 1; i <= 3; i++) writeCo2(w, i);
    await using sub = await startCo2Peer("tlsub", { domain, count: 3 });
    expect((await sub.waitForExit(EXIT_MS)).code).toBe(0);
    expect(
      co2Samples(sub)
        .map((s) => s.iteration)
        .sort(),
    ).toEqual([1, 2, 3]);
  });

  it("unkeyed topics both ways (NO_KEY kinds on both sides)", async () => {
    const domain = DOMAIN + 5;
    await using p = await ts(domain, "TS_NOKEY");
    const w = p.createWriter({
      topicName: CO2_TOPIC,
      typeName: CO2_TYPE,
      keyed: false,
      qos: { reliability: "reliable" },
    });
    const r = p.createReader({
      topicName: CO2_TOPIC,
      typeName: CO2_TYPE,
      keyed: false,
      qos: { reliability: "reliable", history: { kind: "keep-all" } },
    });
    await using sub = await startCo2Peer("sub", { domain, count: 3, nokey: true });
    expect(await w.waitForMatched(1, MATCH_MS)).toBe(true);
    await sub.waitForLine(/^MATCHED writers=1 /, MATCH_MS);
    for (let i = 1; i <= 3; i++) w.write(encodeCo2(peerStyleCo2(i)));
    expect((await sub.waitForExit(EXIT_MS)).code).toBe(0);
    expect(co2Samples(sub).map((s) => s.iteration)).toEqual([1, 2, 3]);

    const got = collect(r, 3, EXIT_MS);
    await using pub = await startCo2Peer("pub", { domain, count: 3, nokey: true });
    // Our own writer is on the topic too; keep only the Fast DDS samples.
    const samples = (await got).filter(
      (s) => s.writerGuid.prefix[0] === 0x01 && s.writerGuid.prefix[1] === 0x0f,
    );
    expect(iterations(samples)).toEqual([1, 2, 3]);
    expect(samples[0]?.keyHash).toBeUndefined();
    expect((await pub.waitForExit(EXIT_MS)).code).toBe(0);
  });

  it("keyed and unkeyed never match (topic kind)", async () => {
    const domain = DOMAIN + 6;
    await using p = await ts(domain, "TS_KIND");
    const r = p.createReader({
      topicName: CO2_TOPIC,
      typeName: CO2_TYPE,
      keyed: false,
      qos: { reliability: "reliable" },
    });
    const refused = r.once("incompatible", MATCH_MS);
    await using pub = await startCo2Peer("pub", { domain, count: 1, waitS: 3 });
    expect((await refused)?.[1]).toContain("topic-kind");
    expect((await pub.waitForExit(EXIT_MS)).code).toBe(1);
    expect(pub.lines).toContain("MATCH_TIMEOUT readers=0");
  });

  it("best effort: a TS best-effort reader gets Fast DDS samples; a TS best-effort writer is refused by a reliable reader", async () => {
    const domain = DOMAIN + 7;
    await using p = await ts(domain, "TS_BEST_EFFORT");
    const r = p.createReader({
      topicName: CO2_TOPIC,
      typeName: CO2_TYPE,
      keyed: true,
      qos: { reliability: "best-effort", history: { kind: "keep-all" } },
    });
    const w = p.createWriter({
      topicName: CO2_TOPIC,
      typeName: CO2_TYPE,
      keyed: true,
      qos: { reliability: "best-effort" },
    });
    const refused = w.once("incompatible", MATCH_MS);
    const got = collect(r, 5, EXIT_MS);
    await using pub = await startCo2Peer("pub", { domain, count: 5 });
    expect(iterations(await got)).toEqual([1, 2, 3, 4, 5]);
    await using sub = await startCo2Peer("sub", { domain, count: 1, waitS: 3 });
    expect((await refused)?.[1]).toContain("reliability");
    await sub.waitForLine(/^INCOMPATIBLE_QOS .*name=RELIABILITY/, MATCH_MS);
    await pub.waitForExit(EXIT_MS);
  });

  it("1 MiB samples each way (DATA_FRAG, NACK_FRAG)", async () => {
    const domain = DOMAIN + 8;
    const size = 1 << 20;
    const big = Uint8Array.from({ length: size }, (_, i) => i & 0xff);
    await using p = await ts(domain, "TS_BIG");
    const r = p.createReader({
      topicName: CO2_TOPIC,
      typeName: CO2_TYPE,
      keyed: true,
      qos: { reliability: "reliable" },
    });
    const got = collect(r, 1, EXIT_MS);
    await using pub = await startCo2Peer("pub", { domain, count: 1, extraBytes: size });
    const [s] = await got;
    const decoded = decodeCo2(s?.payload ?? new Uint8Array(64));
    expect(decoded.extra.length).toBe(size);
    expect(fnv1a32(decoded.extra)).toBe(fnv1a32(big));
    expect((await pub.waitForExit(EXIT_MS)).code).toBe(0);

    const w = p.createWriter({
      topicName: CO2_TOPIC,
      typeName: CO2_TYPE,
      keyed: true,
      qos: { reliability: "reliable" },
    });
    await using sub = await startCo2Peer("sub", { domain, count: 1, waitS: 25 });
    expect(await w.waitForMatched(1, MATCH_MS)).toBe(true);
    await sub.waitForLine(/^MATCHED writers=1 /, MATCH_MS);
    writeCo2(w, 1, big);
    expect((await sub.waitForExit(EXIT_MS)).code).toBe(0);
    expect(co2Samples(sub)[0]).toMatchObject({ extraLength: size, extraFnv: fnv1a32(big) });
  });

  it("works with Fast DDS's default SHM+UDP transports (UDP locators only)", async () => {
    const domain = DOMAIN + 9;
    await using p = await ts(domain, "TS_DEFAULT_TRANSPORTS");
    const r = p.createReader({
      topicName: CO2_TOPIC,
      typeName: CO2_TYPE,
      keyed: true,
      qos: { reliability: "reliable", history: { kind: "keep-all" } },
    });
    const got = collect(r, 3, EXIT_MS);
    await using pub = await startCo2Peer("pub", { domain, count: 3, defaultTransports: true });
    expect(iterations(await got)).toEqual([1, 2, 3]);
    expect((await pub.waitForExit(EXIT_MS)).code).toBe(0);
    expect(pub.lines).toContain("ACK OK readers=1");
  });

  it("Fast DDS drops the TS participant at once when it closes (SPDP dispose), not after the lease", async () => {
    const domain = DOMAIN + 11;
    await using sub = await startCo2Peer("sub", { domain, count: 1000, waitS: 30 });
    const p = await ts(domain, "TS_GOODBYE");
    await sub.waitForLine(/^PARTICIPANT_DISCOVERED name=TS_GOODBYE /, MATCH_MS);
    await p.close();
    // Well inside the 20 s lease we announce.
    await sub.waitForLine(/^PARTICIPANT_REMOVED name=TS_GOODBYE .*reason=removed/, 5_000);
    sub.kill();
  });

  it("a Fast DDS peer killed mid-stream expires by lease; a restarted one re-matches", async () => {
    const domain = DOMAIN + 10;
    await using p = await ts(domain, "TS_LEASE");
    const w = p.createWriter({
      topicName: CO2_TOPIC,
      typeName: CO2_TYPE,
      keyed: true,
      qos: SUSTAINML_QOS,
    });
    const first = await startCo2Peer("sub", { domain, count: 1000, waitS: 60 });
    expect(await w.waitForMatched(1, MATCH_MS)).toBe(true);
    await first.waitForLine(/^MATCHED writers=1 /, MATCH_MS);
    writeCo2(w, 1);
    await first.waitForLine(/^SAMPLE problem=7 iteration=1 /, MATCH_MS);
    const lost = p.once("participantLost", 40_000);
    first.kill("SIGKILL");
    const [info, reason] = (await lost) ?? [];
    expect(reason).toBe("lease-expired");
    expect(info?.vendorId).toBe(0x010f);
    expect(w.matchedReaders).toHaveLength(0);

    await using second = await startCo2Peer("tlsub", { domain, count: 2 });
    expect(await w.waitForMatched(1, MATCH_MS)).toBe(true);
    await second.waitForLine(/^MATCHED writers=1 /, MATCH_MS);
    writeCo2(w, 2);
    expect((await second.waitForExit(EXIT_MS)).code).toBe(0);
    expect(
      co2Samples(second)
        .map((s) => s.iteration)
        .sort(),
    ).toEqual([1, 2]);
  }, 90_000);
});
