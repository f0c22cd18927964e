import { beforeAll, describe, expect, it } from "vitest";
import { buildPeer } from "../../src/build-peer.ts";
import { startCo2Peer } from "../../src/fastdds-co2-peer.ts";
import { assertInsidePrivateNetwork } from "../../src/private-network.ts";

// Domains 20-29 belong to this file.
const DOMAIN = 20;
const EXIT_MS = 30_000;

describe.concurrent("fastdds-co2-peer benchmark modes", () => {
  beforeAll(async () => {
    assertInsidePrivateNetwork();
    await buildPeer("fastdds-co2-peer");
  });

  it("ping measures round trips against echo", async () => {
    const domain = DOMAIN + 1;
    await using echo = await startCo2Peer("echo", { domain, waitS: 30 });
    await echo.waitForLine(/^ECHO_READY$/, 10_000);
    await using ping = await startCo2Peer("ping", { domain, count: 200, warmup: 10 });

    expect((await ping.waitForExit(EXIT_MS)).code).toBe(0);
    const match = await ping.waitForLine(
      /^LATENCY n=(\d+) lost=(\d+) p50_us=(\d+) .*p99_us=(\d+)/,
      1,
    );
    expect(match.slice(1, 3)).toEqual(["200", "0"]);
    expect(Number(match[3])).toBeGreaterThan(0);
    expect(Number(match[4])).toBeGreaterThanOrEqual(Number(match[3]));
  });

  it("throughput-pub -> throughput-sub delivers every sample and reports a rate", async () => {
    const domain = DOMAIN + 2;
    await using sub = await startCo2Peer("throughput-sub", { domain, count: 5000 });
    await sub.waitForLine(/^THROUGHPUT_READY$/, 10_000);
    await using pub = await startCo2Peer("throughput-pub", { domain, count: 5000, keys: 4 });

    expect((await pub.waitForExit(EXIT_MS)).code).toBe(0);
    expect((await sub.waitForExit(EXIT_MS)).code).toBe(0);
    const match = await sub.waitForLine(/^THROUGHPUT samples=(\d+) seconds=\S+ rate=(\d+)/, 1);
    expect(match[1]).toBe("5000");
    expect(Number(match[2])).toBeGreaterThan(0);
    expect(pub.lines.some((l) => /^THROUGHPUT_PUB samples=5000 .* acked=1$/.test(l))).toBe(true);
  });
});
