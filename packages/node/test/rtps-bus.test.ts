import { PARTICIPANT_PROPERTIES, Status } from "@wattprint/messages";
import { MemoryNetwork } from "@wattprint/rtps";
import { afterEach, describe, expect, it } from "vitest";
import { createRtpsBus } from "../src/adapters/rtps-bus.ts";
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
});
