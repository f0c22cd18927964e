import { CmdNode, type CO2FootprintImpl, readExtraData, Status } from "@wattprint/messages";
import { describe, expect, it } from "vitest";
import { MemoryMeasurer } from "../src/adapters/memory-measurer.ts";
import { type TaskOverrides, taskParts } from "../src/client/task-client.ts";
import { carbonNodeRig } from "./support/carbon-node.test-support.ts";

/*
 * A graceful stop (SIGTERM, TERMINATE_NODE): the running task answers and so do the tasks
 * queued behind it (sustainml-wire.md §8.5), but on the estimate path; what cannot run any
 * more (tasks deferred by STOP_NODE, inputs waiting for their task) is counted and logged.
 * Every test stops its node itself; the rig's stop after each test is then a no-op, there
 * only for a test that fails before its own stop.
 */
const rig = carbonNodeRig();

async function setup() {
  const measurer = new MemoryMeasurer({
    models: { "tiny-mlp": "/models/tiny-mlp.onnx" },
    devices: [{ id: "sim:cpu", name: "CPU", component: "cpu", watts: 50, basis: "simulated" }],
  });
  const { runtime, orchestrator, logger } = await rig({ ports: { measurer } });
  return { runtime, orchestrator, logger, measurer };
}

/** Found in the models folder, so `auto` measures it. */
const measured: TaskOverrides = { model: { model: "tiny-mlp", model_path: "hub/tiny-mlp" } };

const extraOf = (output: CO2FootprintImpl) => {
  const extra = readExtraData(output.extra_data);
  if (!extra.ok) throw new Error(extra.error.message);
  return extra.value;
};

describe("a graceful stop with measured tasks queued", () => {
  it("waits for the running measurement only: the queued tasks answer on the estimate path", async () => {
    const { runtime, orchestrator, measurer } = await setup();
    const release = measurer.hold();
    for (let iteration = 1; iteration <= 3; iteration += 1)
      await orchestrator.sendTask({ problem_id: 1, iteration_id: iteration }, measured);
    await orchestrator.waitFor(
      () => measurer.requests.length === 1 && runtime.queuedTasks() === 2,
      "one task measuring, two queued",
    );
    const stopped = runtime.stop("test over");
    release();
    await stopped;
    await orchestrator.waitFor(() => orchestrator.outputs.length === 3, "three answers");
    // One measurement window, not one per queued task: each holds a real node for seconds.
    expect(measurer.requests).toHaveLength(1);
    const extras = orchestrator.outputs.map(extraOf);
    expect(extras.map((extra) => extra.mode)).toEqual(["tracker", "hw_only", "hw_only"]);
    for (const extra of extras.slice(1))
      expect(extra.mode_reason).toMatch(/^the node is stopping: a task queued before the stop/);
    expect(runtime.counters.tasksCompleted).toBe(3);
    await orchestrator.waitFor(
      () => orchestrator.statuses.at(-1)?.node_status === Status.NODE_TERMINATING,
      "the last status",
    );
  });
});

describe("a stop with work the node can no longer run", () => {
  it("counts deferred tasks and waiting inputs as dropped (stopped) and logs one line", async () => {
    const { runtime, orchestrator, logger } = await setup();
    await orchestrator.control({ cmd_node: CmdNode.STOP_NODE, target_node: "CARBON_FOOTPRINT" });
    await orchestrator.waitFor(() => runtime.currentStatus === Status.NODE_INACTIVE, "stopped");
    for (let iteration = 1; iteration <= 2; iteration += 1)
      await orchestrator.sendTask({ problem_id: 2, iteration_id: iteration });
    const partial = taskParts({ problem_id: 99, iteration_id: 1 });
    await orchestrator.send("model", partial.model);
    await orchestrator.send("hw", partial.hw);
    await orchestrator.waitFor(
      () => runtime.counters.tasksDeferred === 2 && runtime.pending().hw === 1,
      "two tasks deferred, one task partial",
    );
    await runtime.stop("test over");
    expect(orchestrator.outputs).toHaveLength(0);
    expect(runtime.counters.inputsDropped.stopped).toBe(4);
    expect(runtime.pending()).toEqual({ model: 0, userInput: 0, hw: 0 });
    const lines = logger.records.filter((r) => r.message === "dropped at stop");
    expect(lines).toEqual([
      {
        level: "warn",
        message: "dropped at stop",
        fields: {
          node: "CARBON_FOOTPRINT_NODE",
          reason: "stopped",
          deferredTasks: 2,
          pendingInputs: 2,
        },
      },
    ]);
  });

  it("logs no drop line when nothing was left", async () => {
    const { runtime, logger } = await setup();
    await runtime.stop("test over");
    expect(runtime.counters.inputsDropped.stopped).toBe(0);
    expect(logger.records.some((r) => r.message === "dropped at stop")).toBe(false);
  });
});
