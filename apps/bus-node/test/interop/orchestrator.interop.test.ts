import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { resolveGridIntensity } from "@wattprint/core";
import {
  assertInsidePrivateNetwork,
  orchestratorOutputs,
  orchestratorStatuses,
  type PeerProcess,
  startOrchestrator,
  startProcess,
  stopAll,
  writeTestOnnxModel,
} from "@wattprint/testkit";
import { afterEach, beforeAll, describe, expect, it } from "vitest";

/*
 * The proof with a real peer: a Fast DDS 2.9 program plays SustainML's orchestrator with its
 * exact types, topics and QoS; the built wattprint-node binary is the carbon node. Both run in
 * the private namespace wattprint-netns made (domain 71 is this file's own).
 */
const DOMAIN = 71;
const NODE_BIN = fileURLToPath(new URL("../../dist/main.js", import.meta.url));

function startNode(...args: string[]): PeerProcess {
  return startProcess(
    process.execPath,
    [NODE_BIN, "--domain", String(DOMAIN), "--interface", "127.0.0.1", ...args],
    {
      env: { WATTPRINT_LOG_LEVEL: "info" },
    },
  );
}

const spain = (): number => {
  const result = resolveGridIntensity({ location: "Spain" });
  if (!result.ok) throw new Error("Spain must resolve");
  return result.value.intensity.value;
};

beforeAll(() => assertInsidePrivateNetwork());
afterEach(() => stopAll());

describe("wattprint-node with a Fast DDS SustainML orchestrator", () => {
  it("is discovered as CARBON_FOOTPRINT_NODE and answers 20 tasks with their task ids", async () => {
    const node = startNode();
    await node.waitForLine(/"message":"listening"/, 20_000);
    const orchestrator = await startOrchestrator("sequential", {
      domain: DOMAIN,
      tasks: 20,
      latency: 0.5,
      power: 100,
    });
    const exit = await orchestrator.waitForExit(90_000);
    expect(orchestrator.lines).toContain("NODE_DISCOVERED name=CARBON_FOOTPRINT_NODE");
    expect(
      orchestrator.lines.filter((line) => line.startsWith("PARTICIPANT_PROPERTY")).join("\n"),
    ).toMatch(/key=fastdds\.application\.id value=SUSTAINML/);
    expect(exit.code, orchestrator.output()).toBe(0);

    const outputs = orchestratorOutputs(orchestrator);
    expect(outputs.map((o) => o.problem).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 20 }, (_, i) => i + 1),
    );
    for (const output of outputs) {
      expect(output.iteration).toBe(1);
      // 100 W x 0.5 h = 0.05 kWh at Spain's intensity (PUE 1, as the reference node)
      expect(output.energy).toBeCloseTo(0.05, 12);
      expect(output.intensity).toBe(spain());
      expect(output.carbon).toBeCloseTo(0.05 * spain(), 9);
      const extra = JSON.parse(output.extra) as Record<string, unknown>;
      expect(extra).toMatchObject({
        num_outputs: 1,
        model_restrains: ["bert-base"],
        mode: "onnx_hw_only",
      });
    }
    // The orchestrator's status reader keeps the latest sample of one instance; it saw the
    // node come up and return to IDLE, and every status named the node.
    const statuses = orchestratorStatuses(orchestrator);
    expect(statuses.length).toBeGreaterThan(0);
    expect(
      statuses.every(
        (s) => s.node === "CARBON_FOOTPRINT_NODE" && s.problem === 0 && s.iteration === 0,
      ),
    ).toBe(true);
    expect(statuses.at(-1)?.status).toBe(2);
    expect(statuses.map((s) => s.status)).toContain(4);
  });

  it("answers a configuration request for node 1 and copies its ids", async () => {
    const node = startNode();
    await node.waitForLine(/"message":"listening"/, 20_000);
    const orchestrator = await startOrchestrator("sequential", {
      domain: DOMAIN,
      tasks: 1,
      config: '{"latency_unit":"ms"}',
      configTransaction: 42,
    });
    expect((await orchestrator.waitForExit(60_000)).code, orchestrator.output()).toBe(0);
    const response = orchestrator.lines.find((line) => line.startsWith("RESPONSE "));
    expect(response).toMatch(
      /^RESPONSE node_id=1 transaction_id=42 success=1 err_code=0 configuration=/,
    );
    expect(JSON.parse(response?.replace(/^.*configuration=/, "") ?? "")).toEqual({
      latency_unit: "ms",
      pue: 1,
      grid_ci: null,
      mode: "auto",
      measure_seconds: 1,
    });
    // The task after the request already used milliseconds: 100 W x 0.5 ms.
    expect(orchestratorOutputs(orchestrator)[0]?.energy).toBeCloseTo((100 * 0.5e-3) / 3.6e6, 18);
  });

  it("measures a model from its models folder and estimates the next task", async () => {
    const models = await mkdtemp(join(tmpdir(), "wattprint-interop-models-"));
    try {
      await writeTestOnnxModel(models, "tiny-mlp.onnx", "matmul-relu", 32);
      const node = startNode("--models-dir", models, "--sim-cpu-watts", "65");
      await node.waitForLine(/"message":"listening"/, 30_000);
      // The first measured task also starts the runner process and loads the model.
      const measured = await startOrchestrator("sequential", {
        domain: DOMAIN,
        tasks: 1,
        model: "tiny-mlp",
        modelPath: "hub/tiny-mlp",
        taskTimeoutS: 60,
        fixedProblem: 11,
      });
      expect((await measured.waitForExit(90_000)).code, measured.output()).toBe(0);
      // A reader joining later also gets the node's earlier outputs (TRANSIENT_LOCAL): pick by task.
      const tracker = orchestratorOutputs(measured).find((o) => o.problem === 11);
      const extra = JSON.parse(tracker?.extra ?? "") as {
        inferences: number;
        window_s: number;
        window_energy_j: number;
        measurement: { devices: { id: string; basis: string }[] };
      };
      expect(extra).toMatchObject({
        mode: "tracker",
        num_outputs: 1,
        model_restrains: ["tiny-mlp"],
      });
      expect(extra.inferences).toBeGreaterThan(0);
      // Per inference: the window's energy / the passes run, at Spain's intensity, PUE 1.
      expect(tracker?.energy).toBe(extra.window_energy_j / extra.inferences / 3.6e6);
      // 65 W x the window, within 2 %: the meter samples land a few ms from the window's ends
      // on a loaded machine.
      expect(Math.abs(extra.window_energy_j / (65 * extra.window_s) - 1)).toBeLessThan(0.02);
      expect(tracker?.intensity).toBe(spain());
      expect(extra.measurement.devices).toEqual([
        expect.objectContaining({ id: "sim_cpu:0", basis: "simulated" }),
      ]);

      const estimated = await startOrchestrator("sequential", {
        domain: DOMAIN,
        tasks: 1,
        fixedProblem: 12,
      });
      expect((await estimated.waitForExit(60_000)).code, estimated.output()).toBe(0);
      const hwOnly = orchestratorOutputs(estimated).find((o) => o.problem === 12);
      expect(JSON.parse(hwOnly?.extra ?? "")).toMatchObject({ mode: "onnx_hw_only" });
      expect(hwOnly?.energy).toBeCloseTo(0.05, 12);
    } finally {
      await rm(models, { recursive: true, force: true });
    }
  });

  it("publishes ERROR before a NO_MODEL output and stops gracefully on SIGTERM", async () => {
    const node = startNode();
    await node.waitForLine(/"message":"listening"/, 20_000);
    const orchestrator = await startOrchestrator("sequential", {
      domain: DOMAIN,
      tasks: 1,
      model: "NO_MODEL",
    });
    expect((await orchestrator.waitForExit(60_000)).code, orchestrator.output()).toBe(0);
    const [output] = orchestratorOutputs(orchestrator);
    expect(output).toMatchObject({ carbon: 0, energy: 0, intensity: 0 });
    expect(JSON.parse(output?.extra ?? "")).toMatchObject({
      mode: "no_model",
      error: expect.stringMatching(/NO_MODEL/),
    });
    expect(orchestratorStatuses(orchestrator).at(-1)).toMatchObject({ status: 1, errorCode: 1 });
    node.kill("SIGTERM");
    expect((await node.waitForExit(15_000)).code).toBe(0);
    expect(node.output()).toMatch(/"message":"node stopped"/);
  });
});
