import { CmdNode, CmdTask, NodeId, responseTypeImplCodec } from "@wattprint/messages";
import { describe, expect, it } from "vitest";
import { startTaskClient } from "../src/client/task-client.ts";
import { MAX_CONFIGURATION_CHARS } from "../src/nodes/carbon-footprint.ts";
import { MAX_RESPONSE_INSTANCES } from "../src/runtime/node-runtime.ts";
import { carbonNodeRig, configureNode } from "./support/carbon-node.test-support.ts";

const setup = carbonNodeRig();

const responseBytes = (response: Parameters<typeof responseTypeImplCodec.encode>[0]) =>
  responseTypeImplCodec.encode(response).byteLength;

describe("configuration requests from a hostile peer", () => {
  const cases: [string, string][] = [
    ["100,000 characters of text", "x".repeat(100_000)],
    ["100,000 non-ASCII characters (6 bytes each once escaped)", "€".repeat(100_000)],
    ["JSON with a 100,000-character unknown key", JSON.stringify({ ["k".repeat(100_000)]: 1 })],
    ["JSON with a 100,000-character pue name", JSON.stringify({ pue: "p".repeat(100_000) })],
  ];
  for (const [what, configuration] of cases) {
    it(`refuses ${what} with a response of bounded size`, async () => {
      const { orchestrator } = await setup();
      await orchestrator.configure({
        node_id: NodeId.CARBON_FOOTPRINT,
        transaction_id: 1,
        configuration,
      });
      await orchestrator.waitFor(() => orchestrator.responses.length === 1, "the response");
      const [response] = orchestrator.responses;
      if (response === undefined) throw new Error("no response");
      expect(response).toMatchObject({ success: false, err_code: 1, transaction_id: 1 });
      const body = JSON.parse(response.configuration) as { error: string };
      expect(body.error).toMatch(/^Unsupported configuration request: /);
      expect(body.error).toMatch(/\(\d+ characters\)$/);
      expect(responseBytes(response)).toBeLessThan(2_000);
    });
  }

  it("does not read a request over MAX_CONFIGURATION_CHARS, and reads one at the limit", async () => {
    const { orchestrator } = await setup();
    const configure = async (transaction: number, configuration: string) => {
      const response = await configureNode(orchestrator, transaction, configuration);
      return { success: response.success, body: JSON.parse(response.configuration) };
    };
    // Valid JSON that would parse to a valid request: refused for its size alone.
    const valid = '{"latency_unit":"ms"}';
    const atLimit = valid + " ".repeat(MAX_CONFIGURATION_CHARS - valid.length);
    const over = `${atLimit} `;
    expect(await configure(1, over)).toMatchObject({
      success: false,
      body: {
        reason: `the request is ${MAX_CONFIGURATION_CHARS + 1} characters long, over the limit of ${MAX_CONFIGURATION_CHARS} (MAX_CONFIGURATION_CHARS); it was not read`,
      },
    });
    expect(await configure(2, atLimit)).toMatchObject({
      success: true,
      body: { latency_unit: "ms" },
    });
  });

  it("keeps the reference refusal unchanged for a short request", async () => {
    const { orchestrator } = await setup();
    await orchestrator.configure({
      node_id: NodeId.CARBON_FOOTPRINT,
      transaction_id: 2,
      configuration: "TestConfig",
    });
    await orchestrator.waitFor(() => orchestrator.responses.length === 1, "the response");
    expect(JSON.parse(orchestrator.responses[0]?.configuration ?? "")).toEqual({
      error: "Unsupported configuration request: TestConfig",
    });
  });

  it("keeps the latest MAX_RESPONSE_INSTANCES responses for late readers, and counts the rest", async () => {
    const { orchestrator, runtime, domain } = await setup();
    const total = MAX_RESPONSE_INSTANCES + 10;
    for (let transaction = 1; transaction <= total; transaction++) {
      await orchestrator.configure({
        node_id: NodeId.CARBON_FOOTPRINT,
        transaction_id: transaction,
        configuration: "{}",
      });
    }
    await orchestrator.waitFor(() => orchestrator.responses.length === total, "every response");
    expect(runtime.counters.instancesRetired.responses).toBe(10);
    // A reader that joins now gets the kept ones: before, every response ever written.
    const late = await startTaskClient(domain.connect("LATE_READER"));
    await late.waitFor(() => late.responses.length === MAX_RESPONSE_INSTANCES, "kept responses");
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(late.responses.map((r) => r.transaction_id)).toEqual(
      Array.from(
        { length: MAX_RESPONSE_INSTANCES },
        (_, i) => total - MAX_RESPONSE_INSTANCES + 1 + i,
      ),
    );
  });

  it("logs what a request changes, with the settings before and after, at warn", async () => {
    const { orchestrator, logger } = await setup({ settings: { latencyUnit: "h" } });
    await configureNode(orchestrator, 1, "{}");
    await configureNode(orchestrator, 2, JSON.stringify({ latency_unit: "ms", grid_ci: 999 }));
    await configureNode(orchestrator, 3, JSON.stringify({ latency_unit: "ms" }));
    const changes = logger.records.filter(
      (r) => r.message === "configuration changed by a request",
    );
    expect(changes).toHaveLength(1);
    expect(changes[0]?.level).toBe("warn");
    const { before, after, transaction } = changes[0]?.fields ?? {};
    expect(transaction).toBe(2);
    expect(JSON.parse(String(before))).toMatchObject({ latency_unit: "h", grid_ci: null });
    expect(JSON.parse(String(after))).toMatchObject({ latency_unit: "ms", grid_ci: 999 });
  });
});

describe("a flood of control commands", () => {
  it("costs the log a bounded number of lines, and every command is counted", async () => {
    const { orchestrator, runtime, logger } = await setup();
    const commands = 2_000;
    for (let i = 1; i <= commands; i++) {
      await orchestrator.control({
        cmd_task: CmdTask.PREEMPT_TASK,
        cmd_node: CmdNode.NO_CMD_NODE,
        target_node: "CARBON_FOOTPRINT",
        source_node: "s".repeat(1_000),
        task_id: { problem_id: i, iteration_id: 1 },
      });
    }
    await orchestrator.waitFor(() => runtime.counters.controlCommands === commands, "commands");
    const lines = logger.records.filter((r) => r.level !== "debug").length;
    expect(lines).toBeLessThan(200);
    expect(runtime.counters.problemLinesSuppressed).toBeGreaterThan(0);
  });
});
