import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Participant } from "../src/dds/participant.ts";
import { ASSEMBLY_IDLE_TIMEOUT_MS, EXPIRY_SWEEP_PERIOD_MS } from "../src/endpoints/fragments.ts";
import { MemoryNetwork } from "../src/transport/memory.ts";
import { locatorIpV4 } from "../src/wire/locator.ts";
import { until, type WellBehavedPair, wellBehavedPair } from "./fake-peer.ts";
import { collect } from "./helpers.ts";
import { HOG_ADDRESS, type PoolHog, poolHog } from "./pool-hog.ts";

// A peer fills the participant's fragment pool once with samples it never completes (audit
// defect 2); a genuine writer's fragmented sample must still get through. The pool's clock is
// `performance.now`, faked here (and only it): it stands still unless a test moves it, so
// nothing expires by the wall clock while a test runs slowly.

const KIB = 1024;
/** wattprint-node's limits (packages/node/src/adapters/rtps-bus.ts). */
const NODE_LIMITS = {
  maxSampleSize: 256 * KIB,
  maxPendingFragmentBytesPerWriter: 1024 * KIB,
  maxPendingFragmentBytes: 4096 * KIB,
} as const;
/** A payload of two fragments (60,000 + 40,000 bytes). */
const GENUINE = 100_000;

const opened: Participant[] = [];
beforeEach(() => {
  vi.useFakeTimers({ toFake: ["performance"] });
});
afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(opened.splice(0).map((p) => p.close()));
});

async function setup(): Promise<WellBehavedPair> {
  const net = new MemoryNetwork();
  // The hog reads nothing: what A sends it is dropped.
  net.dropPolicy = (_d, to) => locatorIpV4(to) === HOG_ADDRESS;
  const pair = await wellBehavedPair(net, "pool", NODE_LIMITS);
  opened.push(pair.a, pair.b);
  return pair;
}

async function hog(pair: WellBehavedPair, writers: number): Promise<PoolHog> {
  const h = poolHog(pair.a, "pool", writers);
  await until(() => pair.aReader.matchedWriters.length === writers + 1, "the hog's writers");
  return h;
}

/**
 * Writers holding one `fragmentSize` fragment of a sample each, as many as the pool takes:
 * none holds more than a genuine writer's fragment of that size would, so the fairness rule
 * may not take from them for it. 60,000 bytes: 69 writers (36,640 bytes left), B's first
 * fragment is refused and its last (40,000) taken. 40,000 bytes: 104 writers (7,680 left),
 * nothing of B's sample fits. Only time frees the pool.
 */
async function fillEvenly(pair: WellBehavedPair, fragmentSize: number): Promise<void> {
  const charge = fragmentSize + 256;
  const writers = Math.floor(NODE_LIMITS.maxPendingFragmentBytes / charge);
  const h = await hog(pair, writers);
  h.fill({ samples: 1, first: 1, last: 1, fragmentSize, sampleSize: 256 * KIB });
  expect(pair.a.introspect().counters.fragments.pendingBytes).toBe(writers * charge);
}

const fragmentCounters = (p: Participant) => p.introspect().counters.fragments;
const endpointCounters = (p: Participant, guid: string): Readonly<Record<string, number>> =>
  p.introspect().endpoints.find((e) => e.guid === guid)?.counters ?? {};

describe("a fragment pool filled by one peer", () => {
  it("gives up samples with no new fragment for a while, and a genuine one gets through", async () => {
    const pair = await setup();
    await fillEvenly(pair, 60_000);
    let delivered = 0;
    pair.aReader.on("sample", () => delivered++);
    const got = collect(pair.aReader, 1, 10_000);
    pair.bWriter.write(new Uint8Array(GENUINE).fill(1));
    await until(() => fragmentCounters(pair.a).dropped["participant-limit"] > 0, "a refusal");
    expect(delivered).toBe(0);
    // Time passes for the pool only: the hog's samples went idle, B's resends come on.
    vi.advanceTimersByTime(ASSEMBLY_IDLE_TIMEOUT_MS + EXPIRY_SWEEP_PERIOD_MS);
    const [sample] = await got;
    expect(sample?.payload.length).toBe(GENUINE);
    expect(fragmentCounters(pair.a).assembliesExpired).toBe(69);
    expect(pair.a.dropCounters()["fragment-assemblies-expired"]).toBe(69);
    expect(fragmentCounters(pair.a).pendingBytes).toBe(0);
  });

  it("takes room from the writer holding the most: a genuine sample gets through at once", async () => {
    const pair = await setup();
    // The audit's probe: 5 writers, fragments 1..4 of 8 samples of 256 KiB each (9.6 MB sent).
    const h = await hog(pair, 5);
    h.fill({ samples: 8, first: 1, last: 4, fragmentSize: 60_000, sampleSize: 256 * KIB });
    expect(fragmentCounters(pair.a).pendingBytes).toBeGreaterThan(4000 * KIB);
    const reclaimedByHog = fragmentCounters(pair.a).assembliesReclaimed;
    // The pool's clock stands still: nothing expires, only fairness can let B's sample in.
    const got = collect(pair.aReader, 1, 5_000);
    pair.bWriter.write(new Uint8Array(GENUINE).fill(2));
    const [sample] = await got;
    expect(sample?.payload.length).toBe(GENUINE);
    const counters = fragmentCounters(pair.a);
    expect(counters.assembliesExpired).toBe(0);
    expect(counters.assembliesReclaimed).toBeGreaterThan(reclaimedByHog);
    expect(pair.a.dropCounters()["fragment-assemblies-reclaimed"]).toBe(
      counters.assembliesReclaimed,
    );
    // The hog sending again cannot take B's next sample's room back.
    h.fill({ samples: 8, first: 1, last: 4, fragmentSize: 60_000, sampleSize: 256 * KIB });
    const next = collect(pair.aReader, 1, 5_000);
    pair.bWriter.write(new Uint8Array(GENUINE).fill(3));
    expect((await next)[0]?.payload[0]).toBe(3);
  });

  it("does not loop resending a sample the reader cannot take", async () => {
    // Real time here: the writer's resend suppression is what is under test.
    vi.useRealTimers();
    const pair = await setup();
    await fillEvenly(pair, 40_000);
    const resent = () => endpointCounters(pair.b, pair.bWriter.guid).resent ?? 0;
    pair.bWriter.write(new Uint8Array(GENUINE).fill(4));
    await until(() => resent() > 0, "a first resend");
    const before = resent();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    // Before, the reader asked again at once after each resend's heartbeat: 3,800 resends of
    // 100 KB a second in the audit's probe. Now one per heartbeat period (1 s), and never more
    // than one per RESEND_SUPPRESSION_MS; the bound is loose so a slow machine passes too.
    expect(resent() - before).toBeLessThanOrEqual(5);
    expect(endpointCounters(pair.b, pair.bWriter.guid).resendsSuppressed).toBeGreaterThan(0);
    expect(pair.b.dropCounters()["resends-suppressed"]).toBeGreaterThan(0);
    expect(fragmentCounters(pair.a).samplesReassembled).toBe(0);
  });
});
