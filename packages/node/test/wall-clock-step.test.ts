import { afterEach, describe, expect, it, vi } from "vitest";
import { taskParts } from "../src/client/task-client.ts";
import { carbonNodeRig } from "./support/carbon-node.test-support.ts";

const rig = carbonNodeRig();
afterEach(() => {
  vi.restoreAllMocks();
});

describe("a wall-clock step while a task's inputs arrive", () => {
  it("expires nothing: ages are on a clock an NTP step does not move", async () => {
    // Installed before the node starts, which may keep the function it finds.
    const real = Date.now.bind(Date);
    let stepMs = 0;
    vi.spyOn(Date, "now").mockImplementation(() => real() + stepMs);
    const { orchestrator, runtime } = await rig({ orchestratorFirst: true });
    const task = taskParts({ problem_id: 7, iteration_id: 1 });
    await orchestrator.send("model", task.model);
    await orchestrator.send("hw", task.hw);
    await new Promise((resolve) => setTimeout(resolve, 20));
    // The system clock stepped 11 minutes ahead: past the 10-minute age limit on Date.now,
    // which dropped both inputs as expired and left the task unanswered.
    stepMs = 11 * 60_000;
    await orchestrator.send("userInput", task.userInput);
    await vi.waitFor(() => expect(orchestrator.outputs).toHaveLength(1), { timeout: 5000 });
    expect(runtime.counters.inputsDropped.expired).toBe(0);
    expect(runtime.counters.tasksCompleted).toBe(1);
  });
});
