import { beforeAll, describe, expect, it } from "vitest";
import { buildPeer } from "../../src/build-peer.ts";
import { startFakeCarbonNode } from "../../src/fastdds-fake-carbon-node.ts";
import {
  orchestratorOutputs,
  orchestratorStatuses,
  startOrchestrator,
} from "../../src/fastdds-orchestrator.ts";
import { assertInsidePrivateNetwork } from "../../src/private-network.ts";

// Domains 40-49 belong to this file; each concurrent test takes its own.
const DOMAIN = 40;
const EXIT_MS = 30_000;
const NODE_STATUS_IDLE = 2;

describe.concurrent("fastdds-orchestrator against the fake carbon node", () => {
  beforeAll(async () => {
    assertInsidePrivateNetwork();
    await Promise.all([buildPeer("fastdds-orchestrator"), buildPeer("fastdds-fake-carbon-node")]);
  });

  it("fails when no CARBON_FOOTPRINT_NODE shows up", async () => {
    await using orchestrator = await startOrchestrator("sequential", {
      domain: DOMAIN + 1,
      waitS: 2,
    });
    expect((await orchestrator.waitForExit(EXIT_MS)).code).toBe(1);
    expect(orchestrator.lines).toContain("NODE_TIMEOUT name=CARBON_FOOTPRINT_NODE");
  });

  it("runs sequential tasks and the configuration request", async () => {
    const domain = DOMAIN + 2;
    await using node = await startFakeCarbonNode({ domain, gridCi: 250, waitS: 25 });
    await using orchestrator = await startOrchestrator("sequential", {
      domain,
      tasks: 3,
      config: '{"x":1}',
      latency: 0.5,
    });

    expect((await orchestrator.waitForExit(EXIT_MS)).code).toBe(0);
    expect(orchestrator.lines).toContain("NODE_DISCOVERED name=CARBON_FOOTPRINT_NODE");
    expect(orchestrator.lines.filter((l) => l.startsWith("MATCH_TIMEOUT"))).toEqual([]);
    expect(orchestratorOutputs(orchestrator)).toEqual(
      [1, 2, 3].map((problem) => ({
        problem,
        iteration: 1,
        carbon: 12.5,
        energy: 0.05,
        intensity: 250,
        extra:
          '{"num_outputs": 1, "model_restrains": ["bert-base"], "mode": "onnx_hw_only", "grid_ci_source": "env"}',
      })),
    );
    expect(orchestratorStatuses(orchestrator).at(-1)).toMatchObject({
      node: "CARBON_FOOTPRINT_NODE",
      status: NODE_STATUS_IDLE,
    });
    expect(orchestrator.lines).toContain(
      'RESPONSE node_id=1 transaction_id=1 success=0 err_code=1 configuration={"error": "Unsupported configuration request: {\\"x\\":1}"}',
    );
    // The node saw the orchestrator by name, with SustainML's application id.
    expect(
      node.lines.some((l) => l.startsWith("PARTICIPANT_DISCOVERED name=ORCHESTRATOR_NODE ")),
    ).toBe(true);
    expect(node.lines.some((l) => / key=fastdds\.application\.id value=SUSTAINML$/.test(l))).toBe(
      true,
    );
  });

  it("delivers a burst of 50 tasks (status read without the filtered topic)", async () => {
    const domain = DOMAIN + 3;
    await using node = await startFakeCarbonNode({ domain, waitS: 25 });
    await using orchestrator = await startOrchestrator("burst", {
      domain,
      tasks: 50,
      noStatusFilter: true,
    });

    expect((await orchestrator.waitForExit(EXIT_MS)).code).toBe(0);
    expect(orchestrator.lines.some((l) => /^BURST tasks=50 arrived=50 /.test(l))).toBe(true);
    expect(new Set(orchestratorOutputs(orchestrator).map((o) => o.problem)).size).toBe(50);
    expect(node.lines.filter((l) => l.startsWith("TASK_DONE "))).toHaveLength(50);
    expect(orchestratorStatuses(orchestrator).at(-1)?.status).toBe(NODE_STATUS_IDLE);
  });

  it("measures latency over sequential tasks and a burst", async () => {
    const domain = DOMAIN + 4;
    await using node = await startFakeCarbonNode({ domain, waitS: 25 });
    await using orchestrator = await startOrchestrator("latency", { domain, tasks: 20, bursts: 1 });

    expect((await orchestrator.waitForExit(EXIT_MS)).code).toBe(0);
    const latency = await orchestrator.waitForLine(/^LATENCY n=(\d+) p50_ms=(\S+) p99_ms=(\S+)/, 1);
    expect(latency[1]).toBe("20");
    expect(Number(latency[3])).toBeGreaterThanOrEqual(Number(latency[2]));
    expect(orchestrator.lines.some((l) => /^BURST tasks=50 arrived=50 /.test(l))).toBe(true);
    expect(node.lines.filter((l) => l.startsWith("TASK_DONE "))).toHaveLength(70);
  });

  it("with --quiet on both sides prints nothing per task during the run, timings after it", async () => {
    const domain = DOMAIN + 5;
    await using node = await startFakeCarbonNode({ domain, waitS: 25, quiet: true });
    await using orchestrator = await startOrchestrator("latency", {
      domain,
      tasks: 10,
      bursts: 1,
      burstSize: 10,
      quiet: true,
    });

    expect((await orchestrator.waitForExit(EXIT_MS)).code).toBe(0);
    const latency = await orchestrator.waitForLine(/^LATENCY n=(\d+) /, 1);
    expect(latency[1]).toBe("10");
    expect(orchestrator.lines.some((l) => /^BURST tasks=10 arrived=10 /.test(l))).toBe(true);
    const perTask = /^(TASK_SENT|TASK_DONE|STATUS|OUTPUT|INPUT|STATUS_SENT) /;
    // Each task's timing comes after the run instead, for analysis.
    const latencyAt = orchestrator.lines.findIndex((l) => l.startsWith("LATENCY "));
    expect(orchestrator.lines.slice(0, latencyAt).filter((l) => perTask.test(l))).toEqual([]);
    const done = orchestrator.lines.filter((l) => l.startsWith("TASK_DONE "));
    expect(done).toHaveLength(10);
    expect(done.every((l) => orchestrator.lines.indexOf(l) > latencyAt)).toBe(true);
    expect(orchestrator.lines.filter((l) => /^(TASK_SENT|STATUS|OUTPUT) /.test(l))).toEqual([]);
    expect(node.lines.filter((l) => perTask.test(l))).toEqual([]);
  });
});
