import { describe, expect, it } from "vitest";
import { MemoryMeasurer } from "../src/adapters/memory-measurer.ts";
import { startTaskClient, type TaskClient, taskParts } from "../src/client/task-client.ts";
import { carbonNodeRig } from "./support/carbon-node.test-support.ts";

/*
 * Bursts of complete tasks (sustainml-wire.md §8.4): rtps delivers a datagram's samples in one
 * callback, and the memory bus, which delivers each sample in its own microtask, does the same
 * when every write is issued before the first is delivered.
 */
const rig = carbonNodeRig();
const DEVICES = [
  { id: "sim:cpu", name: "cpu", component: "cpu", watts: 100, basis: "simulated" as const },
];

/** Writes every input of `count` tasks without waiting, so they arrive back to back. */
function burst(client: TaskClient, problem: number, count: number): Promise<unknown> {
  const writes: Promise<void>[] = [];
  for (let iteration = 1; iteration <= count; iteration += 1) {
    const parts = taskParts({ problem_id: problem, iteration_id: iteration });
    writes.push(client.send("model", parts.model));
    writes.push(client.send("userInput", parts.userInput));
    writes.push(client.send("hw", parts.hw));
  }
  return Promise.all(writes);
}

describe("a burst of complete tasks", () => {
  it("is answered whole by an idle estimate-mode node: the queue bound is for a backlog", async () => {
    const { runtime, orchestrator } = await rig({ settings: { mode: "estimate" } });
    await burst(orchestrator, 1, 120);
    await orchestrator.waitFor(() => orchestrator.outputs.length === 120, "120 answers");
    expect(runtime.counters.inputsDropped.queueFull).toBe(0);
    expect(runtime.counters.tasksCompleted).toBe(120);
  });

  it("keeps the bound behind a measured task: the backlog is cut to maxQueuedTasks", async () => {
    const measurer = new MemoryMeasurer({ devices: DEVICES, models: { "bert-base": "/m/b.onnx" } });
    const { runtime, orchestrator } = await rig({
      ports: { measurer },
      runtime: { maxQueuedTasks: 10 },
    });
    const release = measurer.hold();
    await orchestrator.sendTask({ problem_id: 9, iteration_id: 1 }, { model: { model_path: "" } });
    await orchestrator.waitFor(() => measurer.requests.length === 1, "the measurement");
    await burst(orchestrator, 2, 30);
    await orchestrator.waitFor(() => runtime.counters.inputsDropped.queueFull === 20, "20 drops");
    expect(runtime.queuedTasks()).toBe(10);
    release();
  });

  it("lets a writer with one task in past another's flood behind a measured task", async () => {
    const measurer = new MemoryMeasurer({ devices: DEVICES, models: { "bert-base": "/m/b.onnx" } });
    const { runtime, orchestrator, domain } = await rig({ ports: { measurer } });
    const flooder = await startTaskClient(domain.connect("FLOODER"));
    const release = measurer.hold();
    await orchestrator.sendTask({ problem_id: 1, iteration_id: 1 }, { model: { model_path: "" } });
    await orchestrator.waitFor(() => measurer.requests.length === 1, "the measurement");
    for (let i = 1; i <= 60; i += 1) await flooder.sendTask({ problem_id: 500, iteration_id: i });
    await orchestrator.sendTask({ problem_id: 2, iteration_id: 1 });
    await orchestrator.waitFor(() => runtime.counters.inputsDropped.fairShare === 1, "a fair drop");
    // The flooder's tasks past 50 were its own newest; the genuine task took its 50th's place.
    expect(runtime.counters.inputsDropped.queueFull).toBe(10);
    release();
    await orchestrator.waitFor(
      () => orchestrator.outputs.some((o) => o.task_id.problem_id === 2),
      "the genuine task answered",
    );
  });
});
