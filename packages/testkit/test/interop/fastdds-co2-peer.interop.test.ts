import { beforeAll, describe, expect, it } from "vitest";
import { buildPeer } from "../../src/build-peer.ts";
import { co2Samples, fnv1a32, startCo2Peer } from "../../src/fastdds-co2-peer.ts";
import { assertInsidePrivateNetwork } from "../../src/private-network.ts";

// Domains 10-19 belong to this file; each concurrent test takes its own.
const DOMAIN = 10;
const EXIT_MS = 25_000;

describe.concurrent("fastdds-co2-peer against itself", () => {
  beforeAll(async () => {
    assertInsidePrivateNetwork();
    await buildPeer("fastdds-co2-peer");
  });

  it("pub -> sub delivers 5/5 and the writer sees them acknowledged", async () => {
    const domain = DOMAIN + 1;
    // The reader stays past Fast DDS's 3 s heartbeat so the ack comes from it, not its absence.
    await using sub = await startCo2Peer("sub", {
      domain,
      count: 5,
      lingerMs: 4000,
      name: "SUB_A",
    });
    await using pub = await startCo2Peer("pub", { domain, count: 5, name: "PUB_A" });

    expect((await pub.waitForExit(EXIT_MS)).code).toBe(0);
    expect((await sub.waitForExit(EXIT_MS)).code).toBe(0);
    expect(pub.lines).toContain("ACK OK readers=1");
    expect(pub.lines.some((l) => l.startsWith("PARTICIPANT_DISCOVERED name=SUB_A "))).toBe(true);
    expect(sub.lines).toContain("TOTAL 5");
    expect(co2Samples(sub)).toEqual(
      [1, 2, 3, 4, 5].map((i) => ({
        problem: 7,
        iteration: i,
        carbon: 1.5 * i,
        energy: 2.25,
        intensity: 300 + i,
        extraLength: 3,
        extraFnv: fnv1a32(Uint8Array.of(1, 2, 3)),
        extraHead: "010203",
      })),
    );
  });

  it("tlpub -> late tlsub receives the 3 samples written before it existed", async () => {
    const domain = DOMAIN + 2;
    await using pub = await startCo2Peer("tlpub", { domain, count: 3 });
    await pub.waitForLine(/^WROTE problem=7 iteration=3$/, 10_000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    await using sub = await startCo2Peer("tlsub", { domain, count: 3 });

    expect((await sub.waitForExit(EXIT_MS)).code).toBe(0);
    expect(co2Samples(sub).map((s) => s.iteration)).toEqual([1, 2, 3]);
    expect((await pub.waitForExit(EXIT_MS)).code).toBe(0);
  });

  it("carries a 1 MiB extra_data sample (DATA_FRAG)", async () => {
    const domain = DOMAIN + 3;
    const size = 1 << 20;
    await using sub = await startCo2Peer("sub", { domain, count: 1, waitS: 20 });
    await using pub = await startCo2Peer("pub", { domain, count: 1, extraBytes: size });

    expect((await sub.waitForExit(EXIT_MS)).code).toBe(0);
    const expected = Uint8Array.from({ length: size }, (_, i) => i & 0xff);
    expect(co2Samples(sub)[0]).toMatchObject({ extraLength: size, extraFnv: fnv1a32(expected) });
    expect((await pub.waitForExit(EXIT_MS)).code).toBe(0);
  });

  it("works with Fast DDS's default SHM+UDP transports", async () => {
    const domain = DOMAIN + 4;
    await using sub = await startCo2Peer("sub", { domain, count: 3, defaultTransports: true });
    await using pub = await startCo2Peer("pub", { domain, count: 3, defaultTransports: true });

    expect((await sub.waitForExit(EXIT_MS)).code).toBe(0);
    expect((await pub.waitForExit(EXIT_MS)).code).toBe(0);
    expect(sub.lines[0]).toMatch(/transports=default/);
    expect(co2Samples(sub)).toHaveLength(3);
  });

  it("matches no-key with no-key only", async () => {
    const unkeyed = DOMAIN + 5;
    const mixed = DOMAIN + 6;
    await using nokeySub = await startCo2Peer("sub", { domain: unkeyed, count: 2, nokey: true });
    await using nokeyPub = await startCo2Peer("pub", { domain: unkeyed, count: 2, nokey: true });
    await using keyedPub = await startCo2Peer("pub", { domain: mixed, count: 1, waitS: 3 });
    await using mixedSub = await startCo2Peer("sub", {
      domain: mixed,
      count: 1,
      nokey: true,
      waitS: 3,
    });

    expect((await nokeySub.waitForExit(EXIT_MS)).code).toBe(0);
    expect((await nokeyPub.waitForExit(EXIT_MS)).code).toBe(0);
    expect((await mixedSub.waitForExit(EXIT_MS)).code).toBe(1);
    expect(mixedSub.lines).toContain("TOTAL 0");
    expect((await keyedPub.waitForExit(EXIT_MS)).code).toBe(1);
    expect(keyedPub.lines).toContain("MATCH_TIMEOUT readers=0");
  });
});
