import { beforeAll, describe, expect, it } from "vitest";
import { buildPeer } from "../../src/build-peer.ts";
import { ddsperfTotals, startDdsperf } from "../../src/ddsperf.ts";
import { startCo2Peer } from "../../src/fastdds-co2-peer.ts";
import { assertInsidePrivateNetwork } from "../../src/private-network.ts";

// Domains 30-39 belong to this file; each concurrent test takes its own.
const DOMAIN = 30;
const EXIT_MS = 20_000;

describe.concurrent("Cyclone ddsperf", () => {
  beforeAll(async () => {
    assertInsidePrivateNetwork();
    await buildPeer("fastdds-co2-peer");
  });

  it("ddsperf pub -> ddsperf sub delivers every KeyedSeq sample", async () => {
    const domain = DOMAIN + 1;
    // -D bounds the run; SIGTERM ends it early and ddsperf still judges its -Q criteria.
    await using sub = startDdsperf({ domain, durationS: 20, minMatch: 1, samples: 50, sub: true });
    await using pub = startDdsperf({ domain, durationS: 3, pub: { rate: 100 } });

    expect((await pub.waitForExit(EXIT_MS)).code).toBe(0);
    await sub.waitForLine(/ total ([5-9]\d|\d{3,}) lost 0 /, 5000);
    expect((await sub.stop(5000)).code).toBe(0);
    expect(sub.lines.some((l) => /participant \S+: new$/.test(l))).toBe(true);
    expect(ddsperfTotals(sub)?.lost).toBe(0);
  });

  // What the TS participant must do too: a non-ddsperf writer of KeyedSeq on DDSPerfRDataKS.
  it("Fast DDS ks-pub -> ddsperf sub counts all 100 samples", async () => {
    const domain = DOMAIN + 2;
    await using sub = startDdsperf({ domain, durationS: 20, samples: 100, sub: true });
    // ddsperf's reader is VOLATILE and takes only what is written after it has matched the
    // writer; under a loaded CI run it matched ~0.5 s late and counted 51 of 100. The writer
    // cannot see the reader's side of the match, so it waits longer before the first sample.
    await using pub = await startCo2Peer("ks-pub", { domain, count: 100, settleMs: 2_000 });

    expect((await pub.waitForExit(EXIT_MS)).code).toBe(0);
    await sub.waitForLine(/ total 100 lost 0 /, 5000);
    expect((await sub.stop(5000)).code).toBe(0);
    expect(ddsperfTotals(sub)).toEqual({ total: 100, lost: 0 });
  });

  it("ddsperf pub -> Fast DDS ks-sub receives KeyedSeq samples", async () => {
    const domain = DOMAIN + 3;
    await using sub = await startCo2Peer("ks-sub", { domain, count: 50 });
    await using pub = startDdsperf({ domain, durationS: 3, pub: { rate: 50, size: 20 } });

    expect((await sub.waitForExit(EXIT_MS)).code).toBe(0);
    expect(sub.lines).toContain("TOTAL 50");
    expect(sub.lines).toContain("MATCHED writers=1 topic=DDSPerfRDataKS");
    await pub.waitForExit(EXIT_MS);
  });
});
