import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import {
  assertInsidePrivateNetwork,
  cpuSecondsOf,
  dataFragDatagram,
  EntityId,
  forgedGuidPrefix,
  forgedSpdpDatagram,
  gapDatagram,
  heartbeatDatagram,
  memoryOf,
  type OrchestratorOptions,
  type OrchestratorOutput,
  openUdpSinks,
  orchestratorOutputs,
  type PeerProcess,
  sendDatagrams,
  startOrchestrator,
  startProcess,
  stopAll,
  type UdpSinks,
  udpSocketsOf,
} from "@wattprint/testkit";
import { afterEach, beforeAll, describe, expect, it } from "vitest";

/*
 * The security proof with real datagrams: the built wattprint-node runs on this file's own
 * domain (76) in the private namespace; the test plays a hostile peer byte by byte (testkit's
 * hand-built RTPS datagrams, sent from 127.0.0.1 to the metatraffic unicast port the node
 * really bound), then the node must still be running and answer a real task from the Fast DDS
 * SustainML orchestrator within a second. Each attack gets a fresh node, so one that an attack
 * killed or hung cannot fail the next.
 */
const DOMAIN = 76;
const NODE_BIN = fileURLToPath(new URL("../../dist/main.js", import.meta.url));
const MiB = 1024 * 1024;
/** Last input written to output received, as the orchestrator measures it. */
const ANSWER_WITHIN_MS = 1000;
/** How long a node is left alone after an attack before it must still be running. */
const WATCH_MS = 2000;
/** A newcomer hears from the node at once or in its next announcement (every 3 s). */
const DISCOVERY_MS = 3500;

interface RunningNode {
  readonly process: PeerProcess;
  readonly pid: number;
  /** The node's metatraffic unicast port, where a peer's SPDP and SEDP traffic goes. */
  readonly port: number;
}

async function startNode(): Promise<RunningNode> {
  const node = startProcess(
    process.execPath,
    [NODE_BIN, "--domain", String(DOMAIN), "--interface", "127.0.0.1"],
    { env: { WATTPRINT_LOG_LEVEL: "info" } },
  );
  await node.waitForLine(/"message":"listening"/, 20_000);
  const pid = node.pid ?? 0;
  // DDSI-RTPS §9.6.1.1: 7400 + 250 domain + 10 + 2 participantId (user unicast is the odd +11).
  const base = 7400 + 250 * DOMAIN + 10;
  const ports = udpSocketsOf(pid)
    .map((s) => s.port)
    .filter((p) => p >= base && p < base + 240 && (p - base) % 2 === 0);
  expect(ports, "the node's metatraffic unicast socket").toHaveLength(1);
  return { process: node, pid, port: ports[0] ?? 0 };
}

async function until(done: () => boolean, timeoutMs: number): Promise<void> {
  const end = performance.now() + timeoutMs;
  while (!done() && performance.now() < end) await sleep(10);
}

async function expectRunning(node: RunningNode, after: string): Promise<void> {
  const state = await Promise.race([node.process.exited, sleep(50, "running" as const)]);
  expect(state, `wattprint-node died ${after}:\n${node.process.output().slice(-3000)}`).toBe(
    "running",
  );
}

/** A participant the test forges: its locators are two counting sinks on 127.0.0.1. */
interface ForgedPeer extends AsyncDisposable {
  readonly prefix: Uint8Array;
  readonly sinks: UdpSinks;
  readonly spdp: Uint8Array;
}

async function forgedPeer(n: number): Promise<ForgedPeer> {
  const sinks = await openUdpSinks(2);
  const prefix = forgedGuidPrefix(n);
  const spdp = forgedSpdpDatagram({
    guidPrefix: prefix,
    domainId: DOMAIN,
    metatrafficUnicastPort: sinks.ports[0] ?? 0,
    defaultUnicastPort: sinks.ports[1] ?? 0,
  });
  return { prefix, sinks, spdp, [Symbol.asyncDispose]: () => sinks.close() };
}

/** Announces `peer` and waits until the node has answered it, proof it was discovered. */
async function announce(node: RunningNode, peer: ForgedPeer): Promise<void> {
  await sendDatagrams(node.port, [peer.spdp]);
  await until(() => peer.sinks.datagrams > 0, DISCOVERY_MS);
  expect(peer.sinks.datagrams, "the node answered the forged participant").toBeGreaterThan(0);
}

const TASK_DONE = /^TASK_DONE problem=(\d+) iteration=1 latency_ms=(\S+)/;

/** For failure messages: did the node die, hang on a core, or just not answer? */
function nodeState(node: RunningNode, cpuBeforeS: number, sinceMs: number): string {
  const cpuS = cpuSecondsOf(node.pid);
  const tail = node.process.lines.slice(-8).join("\n").slice(-3000);
  if (cpuS === undefined) return `wattprint-node has exited; its last lines:\n${tail}`;
  const seconds = (performance.now() - sinceMs) / 1000;
  return `wattprint-node is running and used ${(cpuS - cpuBeforeS).toFixed(1)} s of CPU in the last ${seconds.toFixed(1)} s; its last lines:\n${tail}`;
}

/** One task (problem, 1) from a fresh orchestrator; it must be answered within a second. */
async function runTask(
  node: RunningNode,
  problem: number,
  inputs: Pick<OrchestratorOptions, "region" | "power" | "latency"> = {},
): Promise<OrchestratorOutput> {
  const cpuBeforeS = cpuSecondsOf(node.pid) ?? 0;
  const startedMs = performance.now();
  const orchestrator = await startOrchestrator("sequential", {
    domain: DOMAIN,
    tasks: 1,
    fixedProblem: problem,
    // A served node is found and matched in well under a second; a dead or hung one is not.
    waitS: 6,
    matchWaitS: 3,
    taskTimeoutS: 2,
    ...inputs,
  });
  const exit = await orchestrator.waitForExit(20_000);
  const done = orchestrator.lines
    .map((line) => TASK_DONE.exec(line))
    .find((m) => m !== null && Number(m[1]) === problem);
  const context = `${orchestrator.output()}\n${nodeState(node, cpuBeforeS, startedMs)}`;
  expect(exit.code, context).toBe(0);
  expect(Number(done?.[2]), context).toBeLessThan(ANSWER_WITHIN_MS);
  const output = orchestratorOutputs(orchestrator).find((o) => o.problem === problem);
  expect(output, context).toBeDefined();
  return output as OrchestratorOutput;
}

/** Still running, answers a normal task (100 W x 0.5 h) within a second, still running. */
async function expectServes(node: RunningNode, problem: number, after: string): Promise<void> {
  await expectRunning(node, after);
  const output = await runTask(node, problem);
  expect(output.energy).toBeCloseTo(0.05, 12);
  await expectRunning(node, `after a normal task that followed ${after}`);
}

function expectErrorWithFiniteNumbers(output: OrchestratorOutput): void {
  for (const value of [output.carbon, output.energy, output.intensity])
    expect(Number.isFinite(value), JSON.stringify(output).slice(0, 2000)).toBe(true);
  let extra: unknown;
  try {
    extra = JSON.parse(output.extra);
  } catch {
    extra = output.extra;
  }
  expect(extra, output.extra.slice(0, 2000)).toMatchObject({ error: expect.stringMatching(/\S/) });
}

beforeAll(() => assertInsidePrivateNetwork());
afterEach(() => stopAll());

describe("wattprint-node against a hostile peer on its metatraffic port", () => {
  it("survives a HEARTBEAT announcing sequence numbers 2^60..2^60 from a forged SEDP writer", async () => {
    const node = await startNode();
    await using peer = await forgedPeer(1);
    await announce(node, peer);
    const heartbeat = heartbeatDatagram({
      guidPrefix: peer.prefix,
      readerId: EntityId.unknown,
      writerId: EntityId.sedpPublicationsWriter,
      firstSn: 2n ** 60n,
      lastSn: 2n ** 60n,
      count: 1,
    });
    await sendDatagrams(node.port, [heartbeat]);
    await sleep(WATCH_MS);
    await expectServes(node, 101, "after the HEARTBEAT at 2^60");
  }, 40_000);

  it("survives a GAP from sequence number 2^60 to 2^61 from a forged SEDP writer", async () => {
    const node = await startNode();
    await using peer = await forgedPeer(2);
    await announce(node, peer);
    const gap = gapDatagram({
      guidPrefix: peer.prefix,
      readerId: EntityId.unknown,
      writerId: EntityId.sedpPublicationsWriter,
      gapStart: 2n ** 60n,
      bitmapBase: 2n ** 61n,
    });
    await sendDatagrams(node.port, [gap]);
    await sleep(WATCH_MS);
    await expectServes(node, 201, "after the GAP 2^60..2^61");
  }, 40_000);

  it("sends 20,000 forged participants no more bytes than they sent it, and still serves", async () => {
    const FORGED = 20_000;
    /** How long after the flood what the node sends to the forged locators is still counted. */
    const AFTER_FLOOD_MS = 5000;
    const node = await startNode();
    // 500 metatraffic and 500 default unicast locators, shared round-robin by the forged peers.
    await using sinks = await openUdpSinks(1000);
    const flood = Array.from({ length: FORGED }, (_, i) =>
      forgedSpdpDatagram({
        guidPrefix: forgedGuidPrefix(10_000 + i),
        domainId: DOMAIN,
        metatrafficUnicastPort: sinks.ports[i % 500] ?? 0,
        defaultUnicastPort: sinks.ports[500 + (i % 500)] ?? 0,
      }),
    );
    const datagramBytes = flood[0]?.length ?? 0;
    expect(flood.every((d) => d.length === datagramBytes)).toBe(true);
    const nodeSocket = () => {
      try {
        return udpSocketsOf(node.pid).find((s) => s.port === node.port);
      } catch {
        return undefined; // the node is gone: expectRunning below says so
      }
    };
    const dropsBefore = nodeSocket()?.drops ?? 0;
    sinks.reset();
    // Paced by the node's own receive queue, so the flood reaches it instead of the kernel's
    // drop counter; bounded by count and by time.
    const report = await sendDatagrams(node.port, flood, {
      batchSize: 100,
      pauseMs: 0,
      deadlineMs: 15_000,
      ready: () => (nodeSocket()?.receiveQueueBytes ?? 0) < MiB,
    });
    const dropped = (nodeSocket()?.drops ?? dropsBefore) - dropsBefore;
    const receivedBytes = report.bytes - dropped * datagramBytes;
    await sleep(AFTER_FLOOD_MS);
    await expectRunning(node, "after the flood");
    const counted = {
      flood: report,
      droppedByNodeSocket: dropped,
      receivedBytes,
      sentToForgedBytes: sinks.bytes,
      sentToForgedDatagrams: sinks.datagrams,
    };
    expect(sinks.bytes, `amplification: ${JSON.stringify(counted)}`).toBeLessThanOrEqual(
      receivedBytes,
    );
    expect(
      report.cutShort,
      `the node took in under 20,000 SPDP in 15 s: ${JSON.stringify(counted)}`,
    ).toBe(false);
    expect(
      dropped,
      `most of the flood must reach the node: ${JSON.stringify(counted)}`,
    ).toBeLessThan(FORGED / 10);
    // Only with nothing lost on our side is the count above exact.
    expect(sinks.kernelDrops()).toBe(0);
    await expectServes(node, 301, "after 20,000 forged participants");
  }, 60_000);

  it("reserves no memory for eight 64 MiB samples announced in ~100-byte DATA_FRAGs", async () => {
    const node = await startNode();
    await using peer = await forgedPeer(4);
    await announce(node, peer);
    const frags = Array.from({ length: 8 }, (_, i) =>
      dataFragDatagram({
        guidPrefix: peer.prefix,
        readerId: EntityId.sedpPublicationsReader,
        writerId: EntityId.sedpPublicationsWriter,
        writerSn: BigInt(i + 1),
        fragmentStartingNum: 1,
        fragmentSize: 48,
        sampleSize: 64 * MiB,
        fragments: new Uint8Array(48).fill(i),
      }),
    );
    expect(frags[0]?.length).toBe(104);
    const before = memoryOf(node.pid);
    await sendDatagrams(node.port, frags);
    await sleep(1000);
    const after = memoryOf(node.pid);
    const grew = {
      residentMiB: ((after?.residentBytes ?? 0) - (before?.residentBytes ?? 0)) / MiB,
      virtualMiB: ((after?.virtualBytes ?? 0) - (before?.virtualBytes ?? 0)) / MiB,
    };
    expect(after, "node gone after the DATA_FRAGs").toBeDefined();
    // 832 bytes received. RAM must not grow by an announced sample. Nor may the address space
    // take one buffer per announcement (8 x 64 MiB): a zero-filled buffer is not resident
    // until written, but its pages are promised, and more fragments make them resident. A
    // bounded reassembly budget fits under the limit.
    expect(grew.residentMiB, JSON.stringify(grew)).toBeLessThan(64);
    expect(grew.virtualMiB, JSON.stringify(grew)).toBeLessThan(256);
    await expectServes(node, 401, "after the DATA_FRAGs");
  }, 40_000);

  it("answers a 100 KB geo_location_region within a second with an error, then serves", async () => {
    const node = await startNode();
    const output = await runTask(node, 501, { region: "R".repeat(100_000) });
    expectErrorWithFiniteNumbers(output);
    await expectServes(node, 502, "after the 100 KB region");
  }, 40_000);

  it("answers power 1e200 W x latency 1e200 h within a second with an error, then serves", async () => {
    const node = await startNode();
    const output = await runTask(node, 601, { power: 1e200, latency: 1e200 });
    expectErrorWithFiniteNumbers(output);
    await expectServes(node, 602, "after power x latency overflowed");
  }, 40_000);
});
