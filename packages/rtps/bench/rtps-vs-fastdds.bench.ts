import { cpus } from "node:os";
import { assertInsidePrivateNetwork, buildPeer, startCo2Peer } from "@wattprint/testkit";
import { beforeAll, expect, it } from "vitest";
import type { ReceivedSample } from "../src/endpoints/reader.ts";
import { participant } from "../test/helpers.ts";
import {
  BENCH_TYPE,
  benchKeyHash,
  benchSeq,
  encodeBenchSample,
  PING_QOS,
  percentile,
  THROUGHPUT_QOS,
} from "./bench-sample.ts";

/*
 * Side-by-side benchmark: TS -> TS and Fast DDS -> Fast DDS on loopback, reliable,
 * 100-byte keyed samples, in the same run. Not a timed test: it reports numbers
 * (README "Performance"); the only assertions are that each run completed.
 */
const DOMAIN = 90;
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 50_000);
const ROUND_TRIPS = Number(process.env.BENCH_ROUND_TRIPS ?? 2_000);
// Long enough for V8 to finish tiering up the hot path; Fast DDS gets the same warm-up.
const WARMUP = 1000;
const SIZE = 100;

interface Row {
  readonly what: string;
  readonly ts: number;
  readonly fastdds: number;
  readonly unit: string;
}
const rows: Row[] = [];

beforeAll(async () => {
  assertInsidePrivateNetwork();
  await buildPeer("fastdds-co2-peer");
});

async function tsThroughput(): Promise<number> {
  await using pub = await participant({
    domainId: DOMAIN + 1,
    interfaceAddress: "127.0.0.1",
    name: "BENCH_PUB",
  });
  await using sub = await participant({
    domainId: DOMAIN + 1,
    interfaceAddress: "127.0.0.1",
    name: "BENCH_SUB",
  });
  const topic = {
    topicName: "bench/throughput",
    typeName: BENCH_TYPE,
    keyed: true,
    qos: THROUGHPUT_QOS,
  } as const;
  const w = pub.createWriter({ ...topic, heartbeatPeriodMs: 50 });
  const r = sub.createReader(topic);
  await w.waitForMatched(1, 10_000);
  await r.waitForMatched(1, 10_000);
  let received = 0;
  let first = 0;
  let last = 0;
  const done = new Promise<void>((resolve) => {
    r.on("sample", () => {
      if (received === 0) first = performance.now();
      last = performance.now();
      if (++received >= SAMPLES) resolve();
    });
  });
  const body = new Uint8Array(SIZE);
  const key = benchKeyHash(0);
  for (let i = 1; i <= SAMPLES; i++) {
    const res = await w.writeAsync(encodeBenchSample(0, i, body), { keyHash: key });
    if (!res.ok) throw new Error(res.error.message);
    // Yield now and then so the receiving side (same process) gets the event loop.
    if (i % 64 === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  await done;
  return received / ((last - first) / 1000);
}

async function fastddsThroughput(): Promise<number> {
  const domain = DOMAIN + 2;
  await using sub = await startCo2Peer("throughput-sub", {
    domain,
    count: SAMPLES,
    size: SIZE,
    waitS: 120,
  });
  await sub.waitForLine(/^THROUGHPUT_READY/, 20_000);
  await using pub = await startCo2Peer("throughput-pub", { domain, count: SAMPLES, size: SIZE });
  const m = await sub.waitForLine(/^THROUGHPUT samples=(\d+) seconds=\S+ rate=(\S+)/, 180_000);
  await pub.waitForExit(60_000);
  return Number(m[2]);
}

async function tsPingPong(): Promise<number[]> {
  await using a = await participant({
    domainId: DOMAIN + 3,
    interfaceAddress: "127.0.0.1",
    name: "BENCH_PING",
  });
  await using b = await participant({
    domainId: DOMAIN + 3,
    interfaceAddress: "127.0.0.1",
    name: "BENCH_ECHO",
  });
  const ping = {
    topicName: "bench/ping",
    typeName: BENCH_TYPE,
    keyed: true,
    qos: PING_QOS,
  } as const;
  const pong = {
    topicName: "bench/pong",
    typeName: BENCH_TYPE,
    keyed: true,
    qos: PING_QOS,
  } as const;
  const pingW = a.createWriter(ping);
  const pongR = a.createReader(pong);
  const pingR = b.createReader(ping);
  const pongW = b.createWriter(pong);
  pingR.on("sample", (s) => {
    pongW.write(s.payload, { keyHash: s.keyHash });
  });
  await Promise.all([pingW.waitForMatched(1, 10_000), pongW.waitForMatched(1, 10_000)]);
  await Promise.all([pingR.waitForMatched(1, 10_000), pongR.waitForMatched(1, 10_000)]);
  const body = new Uint8Array(SIZE);
  const key = benchKeyHash(0);
  const latenciesUs: number[] = [];
  let waiting: ((s: ReceivedSample) => void) | undefined;
  pongR.on("sample", (s) => waiting?.(s));
  for (let i = 1; i <= WARMUP + ROUND_TRIPS; i++) {
    const back = new Promise<ReceivedSample>((resolve) => {
      waiting = resolve;
    });
    const t0 = performance.now();
    pingW.write(encodeBenchSample(0, i, body), { keyHash: key });
    const s = await back;
    if (benchSeq(s.payload) !== i) throw new Error("out of order pong");
    if (i > WARMUP) latenciesUs.push((performance.now() - t0) * 1000);
  }
  latenciesUs.sort((x, y) => x - y);
  return latenciesUs;
}

async function fastddsPingPong(): Promise<{ p50: number; p99: number }> {
  const domain = DOMAIN + 4;
  await using echo = await startCo2Peer("echo", { domain, waitS: 120 });
  await echo.waitForLine(/^ECHO_READY/, 20_000);
  await using ping = await startCo2Peer("ping", {
    domain,
    count: ROUND_TRIPS,
    warmup: WARMUP,
    size: SIZE,
  });
  const m = await ping.waitForLine(
    /^LATENCY n=\d+ lost=\d+ p50_us=(\S+) p90_us=\S+ p99_us=(\S+)/,
    120_000,
  );
  return { p50: Number(m[1]), p99: Number(m[2]) };
}

it("TS vs Fast DDS on loopback: reliable, 100-byte keyed samples", async () => {
  const tsRate = await tsThroughput();
  const fastRate = await fastddsThroughput();
  rows.push({
    what: `throughput (${SAMPLES} samples)`,
    ts: tsRate,
    fastdds: fastRate,
    unit: "samples/s",
  });
  const lat = await tsPingPong();
  const fastLat = await fastddsPingPong();
  rows.push({
    what: `ping-pong p50 (${ROUND_TRIPS} round trips)`,
    ts: percentile(lat, 50),
    fastdds: fastLat.p50,
    unit: "µs",
  });
  rows.push({ what: "ping-pong p99", ts: percentile(lat, 99), fastdds: fastLat.p99, unit: "µs" });
  const lines = [
    `machine: ${cpus().length} x ${cpus()[0]?.model ?? "?"}, node ${process.version}, ${new Date().toISOString()}`,
    "| Measure | TS -> TS | Fast DDS -> Fast DDS | TS / Fast DDS |",
    "|---|---|---|---|",
    ...rows.map(
      (r) =>
        `| ${r.what} | ${r.ts.toFixed(0)} ${r.unit} | ${r.fastdds.toFixed(0)} ${r.unit} | ${(r.ts / r.fastdds).toFixed(2)} |`,
    ),
  ];
  console.log(lines.join("\n"));
  expect(rows).toHaveLength(3);
});
