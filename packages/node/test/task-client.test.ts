import {
  CONFIG_TOPIC_QOS,
  nodeStatusImplCodec,
  Status,
  TASK_DATA_QOS,
  TOPICS,
} from "@wattprint/messages";
import { afterEach, describe, expect, it } from "vitest";
import { MemoryDomain } from "../src/adapters/memory-bus.ts";
import { MAX_COLLECTED_PER_LIST, startTaskClient } from "../src/client/task-client.ts";
import type { BusPort } from "../src/ports/bus.ts";

let bus: BusPort | undefined;
afterEach(async () => {
  await bus?.close();
  bus = undefined;
});

async function client(domain = new MemoryDomain()) {
  bus = domain.connect("ORCHESTRATOR_NODE");
  return startTaskClient(bus);
}

describe("TaskClient waiting", () => {
  it("answers a wait that runs out as a timeout failure naming what it waited for", async () => {
    const orchestrator = await client();
    const started = performance.now();
    const waited = await orchestrator.waitUntil(
      () => orchestrator.statuses.length > 0,
      "the node's status",
      30,
    );
    expect(performance.now() - started).toBeGreaterThanOrEqual(25);
    expect(waited).toEqual({
      ok: false,
      error: { kind: "timeout", message: "timed out waiting for the node's status", timeoutMs: 30 },
    });
    await expect(orchestrator.waitFor(() => false, "nothing", 10)).rejects.toThrow(
      "timed out waiting for nothing",
    );
  });

  it("answers ok as soon as the condition holds", async () => {
    const orchestrator = await client();
    let polls = 0;
    expect(await orchestrator.waitUntil(() => ++polls >= 3, "three polls", 5_000)).toEqual({
      ok: true,
      value: undefined,
    });
    expect(polls).toBe(3);
  });
});

describe("TaskClient under a flood from another peer", () => {
  it("keeps at most MAX_COLLECTED_PER_LIST entries per list, the newest, and counts the rest", async () => {
    const domain = new MemoryDomain();
    const orchestrator = await client(domain);
    const peer = domain.connect("ANYONE");
    const statusWriter = await peer.openWriter({
      topicName: TOPICS.status.name,
      typeName: TOPICS.status.typeName,
      keyed: true,
      qos: TASK_DATA_QOS,
    });
    const outputWriter = await peer.openWriter({
      topicName: TOPICS.carbonOutput.name,
      typeName: TOPICS.carbonOutput.typeName,
      keyed: true,
      qos: CONFIG_TOPIC_QOS,
    });
    const flood = MAX_COLLECTED_PER_LIST + 500;
    const key = new Uint8Array(16);
    for (let i = 0; i < flood; i++) {
      const status = {
        ...nodeStatusImplCodec.defaults(),
        node_status: Status.NODE_IDLE,
        node_name: `FAKE_${i}`,
      };
      await statusWriter.write(nodeStatusImplCodec.encode(status), key);
      await outputWriter.write(new Uint8Array([0, 1, 0, 0, 1]), key);
    }
    await orchestrator.waitFor(
      () => orchestrator.dropped.statuses + orchestrator.statuses.length === flood,
      "the flood",
    );
    await orchestrator.waitFor(
      () => orchestrator.dropped.decodeErrors + orchestrator.decodeErrors.length === flood,
      "the bad outputs",
    );
    expect(orchestrator.statuses).toHaveLength(MAX_COLLECTED_PER_LIST);
    expect(orchestrator.statuses.at(-1)?.node_name).toBe(`FAKE_${flood - 1}`);
    expect(orchestrator.dropped.statuses).toBe(500);
    expect(orchestrator.decodeErrors).toHaveLength(MAX_COLLECTED_PER_LIST);
    expect(orchestrator.dropped.decodeErrors).toBe(500);
    await peer.close();
  });
});
