import { PARTICIPANT_PROPERTIES, Status, TOPICS } from "@wattprint/messages";
import { createParticipant, metatrafficUnicastPort, udpV4Locator } from "@wattprint/rtps";
import { MemoryNetwork } from "@wattprint/rtps/memory";
import { afterEach, describe, expect, it } from "vitest";
import { MATCH_LINES_PER_INTERVAL, PEER_LINES_PER_INTERVAL } from "../src/adapters/drop-log.ts";
import { createRtpsBus, DEFAULT_MAX_SAMPLE_BYTES } from "../src/adapters/rtps-bus.ts";
import { startTaskClient } from "../src/client/task-client.ts";
import { createMemoryLogger } from "../src/log.ts";
import { carbonFootprintNode, defaultCarbonNodeSettings } from "../src/nodes/carbon-footprint.ts";
import type { BusPort } from "../src/ports/bus.ts";
import { NodeRuntime } from "../src/runtime/node-runtime.ts";

/*
 * The carbon node on the real RTPS stack (discovery, reliable keyed endpoints, key hashes),
 * over rtps's in-memory datagram network so no socket is opened outside a namespace. The
 * same path against Fast DDS over UDP is the interop suite's job.
 */
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

async function bus(network: MemoryNetwork, name: string, address: string): Promise<BusPort> {
  const port = await createRtpsBus({
    participantName: name,
    domainId: 0,
    interfaceAddress: address,
    properties: PARTICIPANT_PROPERTIES,
    transport: network.transport(address),
    logger: createMemoryLogger(),
  });
  closers.push(() => port.close());
  return port;
}

describe("carbon node over the RTPS bus", () => {
  it("answers tasks end to end through discovery and reliable keyed endpoints", async () => {
    const network = new MemoryNetwork();
    const orchestrator = await startTaskClient(await bus(network, "ORCHESTRATOR_NODE", "10.0.0.1"));
    const runtime = await NodeRuntime.start(carbonFootprintNode(defaultCarbonNodeSettings()), {
      bus: await bus(network, "CARBON_FOOTPRINT_NODE", "10.0.0.2"),
      logger: createMemoryLogger(),
    });
    closers.push(() => runtime.stop("test over"));
    for (let i = 1; i <= 5; i += 1) await orchestrator.sendTask({ problem_id: 1, iteration_id: i });
    await orchestrator.waitFor(() => orchestrator.outputs.length === 5, "five outputs", 15_000);
    expect(orchestrator.outputs.map((o) => o.task_id.iteration_id).sort()).toEqual([1, 2, 3, 4, 5]);
    expect(orchestrator.statuses.at(-1)?.node_status).toBe(Status.NODE_IDLE);
    expect(runtime.counters.tasksCompleted).toBe(5);
  });

  it("keeps answering past SustainML's 500 output instances by retiring the oldest", async () => {
    const network = new MemoryNetwork();
    const orchestrator = await startTaskClient(await bus(network, "ORCHESTRATOR_NODE", "10.0.0.1"));
    const runtime = await NodeRuntime.start(carbonFootprintNode(defaultCarbonNodeSettings()), {
      bus: await bus(network, "CARBON_FOOTPRINT_NODE", "10.0.0.2"),
      logger: createMemoryLogger(),
    });
    closers.push(() => runtime.stop("test over"));
    const total = 520;
    for (let first = 1; first <= total; first += 40) {
      const batch = Array.from({ length: Math.min(40, total - first + 1) }, (_, i) => first + i);
      for (const problem of batch)
        await orchestrator.sendTask({ problem_id: problem, iteration_id: 1 });
      await orchestrator.waitFor(
        () => orchestrator.outputs.length >= first + batch.length - 1,
        `outputs up to ${first + batch.length - 1}`,
        20_000,
      );
      for (const problem of batch)
        await orchestrator.releaseTask({ problem_id: problem, iteration_id: 1 });
    }
    expect(new Set(orchestrator.outputs.map((o) => o.task_id.problem_id)).size).toBe(total);
    expect(runtime.counters.tasksCompleted).toBe(total);
  });

  it("announces the catalogue's QoS as rtps reads it, with no translation in between", async () => {
    const network = new MemoryNetwork();
    const runtime = await NodeRuntime.start(carbonFootprintNode(defaultCarbonNodeSettings()), {
      bus: await bus(network, "CARBON_FOOTPRINT_NODE", "10.0.0.2"),
      logger: createMemoryLogger(),
    });
    closers.push(() => runtime.stop("test over"));
    const created = await createParticipant({ transport: network.transport("10.0.0.9") });
    if (!created.ok) throw new Error(created.error.message);
    const observer = created.value;
    closers.push(() => observer.close());
    const announced = async (topicName: string) => {
      const deadline = Date.now() + 5_000;
      for (;;) {
        const endpoint = observer
          .introspect()
          .participants.flatMap((p) => p.endpoints)
          .find((e) => e.topicName === topicName);
        if (endpoint || Date.now() > deadline) return endpoint;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    // What SEDP carries of each endpoint's QoS (resource limits are not announced).
    for (const topic of [TOPICS.carbonOutput, TOPICS.status, TOPICS.userInput, TOPICS.control]) {
      const { reliability, durability, history } = topic.carbonNode.qos;
      expect((await announced(topic.name))?.qos, topic.name).toMatchObject({
        reliability,
        durability,
        history,
      });
    }
    expect((await announced(TOPICS.control.name))?.qos.reliability).toBe("best-effort");
    expect((await announced(TOPICS.carbonOutput.name))?.qos.durability).toBe("transient-local");
  });

  it("drops a task input over the node's sample limit, counts it, and answers the next task", async () => {
    const network = new MemoryNetwork();
    const orchestrator = await startTaskClient(await bus(network, "ORCHESTRATOR_NODE", "10.0.0.1"));
    const logger = createMemoryLogger();
    const nodeBus = await createRtpsBus({
      participantName: "CARBON_FOOTPRINT_NODE",
      domainId: 0,
      interfaceAddress: "10.0.0.2",
      properties: PARTICIPANT_PROPERTIES,
      transport: network.transport("10.0.0.2"),
      logger,
      dropLogIntervalMs: 100,
    });
    closers.push(() => nodeBus.close());
    const runtime = await NodeRuntime.start(carbonFootprintNode(defaultCarbonNodeSettings()), {
      bus: nodeBus,
      logger: createMemoryLogger(),
    });
    closers.push(() => runtime.stop("test over"));
    // One byte of text over the limit is more than the limit once encoded.
    const huge = "x".repeat(DEFAULT_MAX_SAMPLE_BYTES);
    await orchestrator.sendTask(
      { problem_id: 1, iteration_id: 1 },
      { model: { model_properties: huge } },
    );
    await orchestrator.sendTask({ problem_id: 1, iteration_id: 2 });
    await orchestrator.waitFor(() => orchestrator.outputs.length >= 1, "an output", 15_000);
    const dropped = () =>
      logger.records
        .filter((r) => r.message === "dropped peer traffic")
        .reduce(
          (n, r) => n + ((r.fields.dropped as Record<string, number>)["sample-too-large"] ?? 0),
          0,
        );
    await orchestrator.waitFor(() => dropped() > 0, "the drop counted", 5_000);
    expect(orchestrator.outputs.map((o) => o.task_id.iteration_id)).toEqual([2]);
    expect(runtime.counters.tasksCompleted).toBe(1);
  });

  it("passes peer limits to its participant and logs what it drops once per interval", async () => {
    const network = new MemoryNetwork();
    const logger = createMemoryLogger();
    const port = await createRtpsBus({
      participantName: "CARBON_FOOTPRINT_NODE",
      domainId: 0,
      interfaceAddress: "10.0.0.2",
      transport: network.transport("10.0.0.2"),
      logger,
      peerLimits: { allowedPeers: ["10.0.0.0/24"], maxRemoteParticipants: 30 },
      dropLogIntervalMs: 150,
    });
    closers.push(() => port.close());
    // The node's participant is the first on 10.0.0.2: participant id 0.
    const node = udpV4Locator("10.0.0.2", metatrafficUnicastPort(0, 0));
    const inside = network.socket("10.0.0.66", 40_000);
    const outside = network.socket("192.0.2.66", 40_000);
    const started = Date.now();
    for (let i = 0; i < 1000; i++)
      inside.send(new TextEncoder().encode(`not an RTPS datagram, number ${i}`), node);
    for (let i = 0; i < 200; i++) outside.send(spdpOf(i), node);
    for (let i = 0; i < 100; i++) inside.send(spdpOf(i), node);
    await new Promise((resolve) => setTimeout(resolve, 700));
    const elapsedMs = Date.now() - started;
    inside.close();
    outside.close();
    const summaries = logger.records.filter((r) => r.message === "dropped peer traffic");
    expect(summaries.length).toBeGreaterThanOrEqual(1);
    expect(summaries.length).toBeLessThanOrEqual(Math.ceil(elapsedMs / 150) + 1);
    const sum = (reason: string) =>
      summaries.reduce(
        (n, r) => n + ((r.fields.dropped as Record<string, number>)[reason] ?? 0),
        0,
      );
    expect(sum("not-rtps")).toBe(1000);
    expect(sum("peer-not-allowed")).toBe(200);
    expect(sum("participants-rejected")).toBe(70);
    const discovered = logger.records.filter((r) => r.message === "participant discovered");
    expect(discovered).toHaveLength(PEER_LINES_PER_INTERVAL);
    expect(summaries.reduce((n, r) => n + Number(r.fields.peerLinesLeftOut ?? 0), 0)).toBe(
      30 - PEER_LINES_PER_INTERVAL,
    );
  });

  it("holds the lines of a peer's endpoint churn to the match budget", async () => {
    const network = new MemoryNetwork();
    const logger = createMemoryLogger();
    const node = await createRtpsBus({
      participantName: "CARBON_FOOTPRINT_NODE",
      domainId: 0,
      interfaceAddress: "10.0.0.2",
      transport: network.transport("10.0.0.2"),
      logger,
      // No summary during the test: one interval's budget.
      dropLogIntervalMs: 600_000,
    });
    closers.push(() => node.close());
    const spec = {
      topicName: TOPICS.userInput.name,
      typeName: TOPICS.userInput.typeName,
      keyed: true,
      qos: TOPICS.userInput.carbonNode.qos,
    };
    await node.openReader(spec, () => {});
    const peer = await bus(network, "CHURN", "10.0.0.9");
    const matchLines = () =>
      logger.records.filter(
        (r) => r.message === "reader matched" || r.message === "reader unmatched",
      ).length;
    // 70 writers opened and closed: 140 match events, each a line before the budget.
    for (let i = 0; i < 70; i++) {
      const writer = await peer.openWriter(spec);
      const before = matchLines();
      const deadline = Date.now() + 5_000;
      while (
        matchLines() === before &&
        matchLines() < MATCH_LINES_PER_INTERVAL &&
        Date.now() < deadline
      )
        await new Promise((resolve) => setTimeout(resolve, 2));
      await writer.close();
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(matchLines()).toBe(MATCH_LINES_PER_INTERVAL);
  });
});

/** A minimal SPDP announcement of a made-up participant `n` (GUID prefix and one locator). */
function spdpOf(n: number): Uint8Array {
  const prefix = [0xfa, 0xce, 0, 0, 0, 0, 0, 0, 0, 0, (n >> 8) & 0xff, n & 0xff];
  const le16 = (v: number) => [v & 0xff, v >> 8];
  const le32 = (v: number) => [v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, v >>> 24];
  const param = (pid: number, value: number[]) => [...le16(pid), ...le16(value.length), ...value];
  const payload = [
    0x00,
    0x03,
    0x00,
    0x00, // PL_CDR_LE
    ...param(0x0050, [...prefix, 0, 0, 1, 0xc1]), // PID_PARTICIPANT_GUID
    ...param(0x0032, [...le32(1), ...le32(7410), ...new Array(12).fill(0), 10, 0, 0, 77]),
    ...param(0x0001, [0, 0, 0, 0]), // PID_SENTINEL
  ];
  const data = [
    0x15,
    0x05,
    ...le16(20 + payload.length), // DATA, little-endian, D flag
    0,
    0,
    16,
    0, // extra flags, octets to inline QoS
    0x00,
    0x01,
    0x00,
    0xc7,
    0x00,
    0x01,
    0x00,
    0xc2, // SPDP reader and writer
    0,
    0,
    0,
    0,
    1,
    0,
    0,
    0, // SN 1
    ...payload,
  ];
  return Uint8Array.from([0x52, 0x54, 0x50, 0x53, 2, 3, 0x01, 0x0f, ...prefix, ...data]);
}
