import { afterEach, describe, expect, it } from "vitest";
import { MemoryDomain } from "../src/adapters/memory-bus.ts";
import { startTaskClient } from "../src/client/task-client.ts";
import type { BusPort } from "../src/ports/bus.ts";

let bus: BusPort | undefined;
afterEach(async () => {
  await bus?.close();
  bus = undefined;
});

async function client() {
  bus = new MemoryDomain().connect("ORCHESTRATOR_NODE");
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
