import { describe, expect, it } from "vitest";
import { MemoryDomain } from "../src/adapters/memory-bus.ts";
import { startTaskClient } from "../src/client/task-client.ts";
import { createMemoryLogger } from "../src/log.ts";
import { carbonFootprintNode, defaultCarbonNodeSettings } from "../src/nodes/carbon-footprint.ts";
import { NodeRuntime, type NodeRuntimeOptions } from "../src/runtime/node-runtime.ts";

/*
 * The limits that bound the node's state are options: a NaN or a negative one used to turn
 * a bound off without a word (`size >= NaN` is never true), and a NaN age made the sweep
 * timer fire every millisecond. Each is refused at start, naming the option and the value.
 */
const start = (options: Partial<NodeRuntimeOptions>) =>
  NodeRuntime.start(carbonFootprintNode(defaultCarbonNodeSettings()), {
    bus: new MemoryDomain().connect("CARBON_FOOTPRINT_NODE"),
    logger: createMemoryLogger(),
    ...options,
  });

/** JSON.stringify writes NaN and Infinity as null: these names keep the test titles apart. */
const describeOptions = (options: object): string =>
  JSON.stringify(options, (_key, value: unknown) =>
    typeof value === "number" && !Number.isFinite(value) ? String(value) : value,
  );

describe("NodeRuntime.start options", () => {
  const bad: [string, Partial<NodeRuntimeOptions>][] = [
    ["maxPendingPerInput", { maxPendingPerInput: Number.NaN }],
    ["maxPendingPerInput", { maxPendingPerInput: 0 }],
    ["maxPendingPerInput", { maxPendingPerInput: Number.POSITIVE_INFINITY }],
    ["maxPendingPerInput", { maxPendingPerInput: 2.5 }],
    ["maxQueuedTasks", { maxQueuedTasks: Number.NaN }],
    ["maxQueuedTasks", { maxQueuedTasks: -1 }],
    // A complete task waits in this queue before it runs: 0 passed the check, then ran none.
    ["maxQueuedTasks", { maxQueuedTasks: 0 }],
    ["maxPendingAgeMs", { maxPendingAgeMs: Number.NaN }],
    ["maxPendingAgeMs", { maxPendingAgeMs: 0 }],
    ["maxPendingAgeMs", { maxPendingAgeMs: Number.POSITIVE_INFINITY }],
    [
      "problemLog.linesPerInterval",
      { problemLog: { linesPerInterval: Number.NaN, intervalMs: 1 } },
    ],
    ["problemLog.intervalMs", { problemLog: { linesPerInterval: 1, intervalMs: -5 } }],
  ];
  for (const [name, options] of bad) {
    it(`refuses ${name} in ${describeOptions(options)}`, async () => {
      await expect(start(options)).rejects.toThrow(new RegExp(`^NodeRuntime option ${name}`));
    });
  }

  it("says the smallest maxQueuedTasks it takes, and answers tasks with it", async () => {
    await expect(start({ maxQueuedTasks: 0 })).rejects.toThrow(
      "NodeRuntime option maxQueuedTasks must be an integer from 1 to 1000000, got 0",
    );
    const domain = new MemoryDomain();
    const runtime = await NodeRuntime.start(carbonFootprintNode(defaultCarbonNodeSettings()), {
      bus: domain.connect("CARBON_FOOTPRINT_NODE"),
      logger: createMemoryLogger(),
      maxQueuedTasks: 1,
    });
    const orchestrator = await startTaskClient(domain.connect("ORCHESTRATOR_NODE"));
    await orchestrator.sendTask({ problem_id: 1, iteration_id: 1 });
    await orchestrator.waitFor(() => orchestrator.outputs.length === 1, "the answer");
    await runtime.stop("test over");
  });

  it("accepts the limits the apps pass", async () => {
    const runtime = await start({
      maxPendingPerInput: 50,
      maxQueuedTasks: 1,
      maxPendingAgeMs: 600_000,
      problemLog: { linesPerInterval: 0, intervalMs: 10_000 },
    });
    await runtime.stop("test over");
  });
});
