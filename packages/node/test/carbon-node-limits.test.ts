import {
  type CO2FootprintImpl,
  co2ExtraDataSchema,
  NodeId,
  readExtraData,
  Status,
} from "@wattprint/messages";
import { describe, expect, it } from "vitest";
import type { TaskOverrides } from "../src/client/task-client.ts";
import type { NodeRuntimeOptions } from "../src/runtime/node-runtime.ts";
import { PROBLEM_LOG_LINES_PER_INTERVAL } from "../src/runtime/problem-log.ts";
import { carbonNodeRig } from "./support/carbon-node.test-support.ts";

/*
 * Each reproduction of a hostile task input, driven end to end over the in-memory bus: the
 * answer is a CO2Footprint whose extra_data names the refused field and its limit, keeps
 * `num_outputs` for the orchestrator, and carries finite numbers.
 */

const rig = carbonNodeRig();

async function setup(options: Partial<NodeRuntimeOptions> = {}) {
  const { logger, runtime, orchestrator } = await rig({ runtime: options });
  let iteration = 0;
  /** Sends one task of problem 1 and returns its output and the status before it. */
  const answer = async (overrides: TaskOverrides) => {
    iteration += 1;
    const before = orchestrator.outputs.length;
    await orchestrator.sendTask({ problem_id: 1, iteration_id: iteration }, overrides);
    await orchestrator.waitFor(() => orchestrator.outputs.length > before, `task ${iteration}`);
    const output = orchestrator.outputs.at(-1) as CO2FootprintImpl;
    const extra = readExtraData(output.extra_data);
    if (!extra.ok) throw new Error(extra.error.message);
    return { output, extra: extra.value, status: orchestrator.statuses.at(-1) };
  };
  return { logger, runtime, orchestrator, answer };
}

const json = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
const PREFIX = "Failed to obtain carbon footprint information: ";

function expectError(
  answered: Awaited<ReturnType<Awaited<ReturnType<typeof setup>>["answer"]>>,
  reason: string,
) {
  const { output, extra, status } = answered;
  expect(extra).toEqual({
    num_outputs: 1,
    model_restrains: ["bert-base"],
    mode: "error",
    error: `${PREFIX}${reason}`,
  });
  expect(co2ExtraDataSchema.safeParse(extra).success).toBe(true);
  expect([output.carbon_footprint, output.energy_consumption, output.carbon_intensity]).toEqual([
    0, 0, 0,
  ]);
  expect(status).toMatchObject({
    node_status: Status.NODE_ERROR,
    error_description: `${PREFIX}${reason}`,
  });
}

describe("task input limits on the carbon node", () => {
  it("answers a 100 KB geo_location_region with the limit, not a zone search", async () => {
    const { answer, logger } = await setup();
    expectError(
      await answer({ userInput: { geo_location_region: "x".repeat(100_000) } }),
      "UserInput.geo_location_region is 100000 characters long, over the limit of 256 (MAX_REGION_CHARS)",
    );
    // The error is the limit's, so the 100 KB string was never echoed into an "unknown location".
    expect(JSON.stringify(logger.records).length).toBeLessThan(10_000);
  });

  it("answers extra_data nested 20,000 deep with num_outputs kept and no handler crash", async () => {
    const { answer, logger, runtime } = await setup();
    const deep = `{"num_outputs":2,"model_restrains":[${"[".repeat(20_000)}${"]".repeat(20_000)}]}`;
    expectError(
      await answer({ userInput: { extra_data: new TextEncoder().encode(deep) } }),
      "UserInput.extra_data nests arrays/objects deeper than the limit of 32 levels (at byte 66)",
    );
    expect(logger.records.some((r) => r.message === "task handler threw")).toBe(false);
    expect(runtime.counters.tasksFailed).toBe(1);
  });

  it("answers 60,000 model_restrains (540 KB) by size and 1,001 short ones by count", async () => {
    const { answer } = await setup();
    const many = json({ model_restrains: Array.from({ length: 60_000 }, (_, i) => `m${i}`) });
    expectError(
      await answer({ userInput: { extra_data: many } }),
      `UserInput.extra_data is ${many.length} bytes, over the limit of 65536 bytes`,
    );
    expectError(
      await answer({
        userInput: { extra_data: json({ model_restrains: Array(1_001).fill("a") }) },
      }),
      "UserInput.extra_data.model_restrains has 1001 entries, over the limit of 1000 (MAX_MODEL_RESTRAINS)",
    );
  });

  it("turns 100,000 non-string restrictions into a small error, and 1,000 into one warning line", async () => {
    const { answer, logger } = await setup();
    const flood = json({ model_restrains: Array(100_000).fill(7) });
    const refused = await answer({ userInput: { extra_data: flood } });
    expectError(
      refused,
      `UserInput.extra_data is ${flood.length} bytes, over the limit of 65536 bytes`,
    );
    expect(refused.output.extra_data.length).toBeLessThan(300);

    const within = await answer({
      userInput: {
        extra_data: json({ num_outputs: 2, model_restrains: [...Array(999).fill(7), "t5"] }),
      },
    });
    expect(within.extra).toMatchObject({
      num_outputs: 2,
      model_restrains: ["bert-base", "t5"],
      warnings: ["user model_restrains: 999 entries are not a string (first: [0] 7); skipped"],
    });
    expect(within.output.extra_data.length).toBeLessThan(2_000);
    const warned = logger.records.filter((r) => r.message.startsWith("user model_restrains"));
    expect(warned).toHaveLength(1);
  });

  it("answers power 1e200 W x latency 1e200 h with the overflowing quantity; refuses grid_ci 1e308", async () => {
    const { answer, orchestrator } = await setup();
    expectError(
      await answer({ hw: { power_consumption: 1e200, latency: 1e200 } }),
      "result out of range: the energy for 1e+200 W over 3.6e+203 s at PUE 1 and 146.15 gCO2eq/kWh is beyond the largest number (about 1.8e308 J)",
    );
    // An intensity that made the carbon overflow is past MAX_GRID_CI: it is never set.
    await orchestrator.configure({
      node_id: NodeId.CARBON_FOOTPRINT,
      transaction_id: 1,
      configuration: '{"grid_ci":1e308}',
    });
    await orchestrator.waitFor(() => orchestrator.responses.length === 1, "configured");
    expect(orchestrator.responses[0]?.success).toBe(false);
    expect(orchestrator.responses[0]?.configuration).toMatch(/grid_ci/);
  });

  it("computes a task with an empty hw_description from its power and latency", async () => {
    const { answer } = await setup();
    const { output, extra, status } = await answer({ hw: { hw_description: "" } });
    expect(status?.node_status).toBe(Status.NODE_IDLE);
    expect(output.energy_consumption).toBeCloseTo(0.001, 15);
    expect(Number.isFinite(output.carbon_footprint) && output.carbon_footprint > 0).toBe(true);
    expect(extra).toMatchObject({ num_outputs: 1, mode: "onnx_hw_only" });
    expect(extra).not.toHaveProperty("error");
  });
});

describe("problem log rate limit", () => {
  it("writes at most the budget of lines per interval and then says how many it left out", async () => {
    let now = 1_000;
    const { orchestrator, runtime, logger } = await setup({
      now: () => now,
      problemLog: { linesPerInterval: 5, intervalMs: 10_000 },
    });
    for (let i = 0; i < 40; i += 1) {
      await orchestrator.sendRaw("hw", Uint8Array.of(0, 1, 0, 0, i));
    }
    await orchestrator.waitFor(() => runtime.counters.decodeErrors === 40, "40 bad samples");
    const lines = () => logger.records.filter((r) => r.message === "undecodable sample dropped");
    expect(lines()).toHaveLength(5);
    expect(runtime.counters.problemLinesSuppressed).toBe(35);

    now += 10_000;
    await orchestrator.sendRaw("hw", Uint8Array.of(0, 1, 0, 0, 99));
    await orchestrator.waitFor(() => runtime.counters.decodeErrors === 41, "next interval");
    expect(lines()).toHaveLength(6);
    const summary = logger.records.filter((r) => r.message === "problem log lines suppressed");
    expect(summary.map((r) => r.fields)).toEqual([
      expect.objectContaining({ suppressed: 35, linesPerInterval: 5, intervalMs: 10_000 }),
    ]);
    // The summary comes just before the first line of the new interval.
    const at = logger.records.indexOf(summary[0] as (typeof logger.records)[number]);
    expect(logger.records[at + 1]?.message).toBe("undecodable sample dropped");
  });

  it("keeps its default budget for task warnings across a burst of bad tasks", async () => {
    const { orchestrator, runtime, logger } = await setup({ now: () => 0 });
    const tasks = PROBLEM_LOG_LINES_PER_INTERVAL + 20;
    for (let i = 1; i <= tasks; i += 1) {
      await orchestrator.sendTask(
        { problem_id: 2, iteration_id: i },
        { userInput: { extra_data: json({ num_outputs: "many" }) } },
      );
    }
    await orchestrator.waitFor(() => orchestrator.outputs.length === tasks, "all tasks", 20_000);
    const warned = logger.records.filter((r) => r.message.startsWith("user num_outputs"));
    expect(warned).toHaveLength(PROBLEM_LOG_LINES_PER_INTERVAL);
    expect(runtime.counters.problemLinesSuppressed).toBe(20);
    await runtime.stop("test over");
    const summary = logger.records.find((r) => r.message === "problem log lines suppressed");
    expect(summary?.fields).toMatchObject({ suppressed: 20 });
  });
});
