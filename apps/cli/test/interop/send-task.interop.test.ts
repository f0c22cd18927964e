import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { PARTICIPANT_PROPERTIES } from "@wattprint/messages";
import {
  carbonFootprintNode,
  createMemoryLogger,
  createRtpsBus,
  defaultCarbonNodeSettings,
  NodeRuntime,
} from "@wattprint/node";
import { assertInsidePrivateNetwork, startFakeCarbonNode, stopAll } from "@wattprint/testkit";
import { afterEach, beforeAll, describe, expect, it } from "vitest";

/* `wattprint bus send-task` over real RTPS, inside the private namespace; domain 72 is this file's. */
const DOMAIN = 72;
const BIN = fileURLToPath(new URL("../../dist/main.js", import.meta.url));
const run = promisify(execFile);

async function sendTask(...args: string[]) {
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      [BIN, "bus", "send-task", "--domain", String(DOMAIN), ...args],
      {
        timeout: 40_000,
      },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? "", stderr: failed.stderr ?? "" };
  }
}

beforeAll(() => assertInsidePrivateNetwork());
afterEach(() => stopAll());

describe("wattprint bus send-task", () => {
  it("drives the TypeScript carbon node and prints statuses and the CO2Footprint", async () => {
    const bus = await createRtpsBus({
      participantName: "CARBON_FOOTPRINT_NODE",
      domainId: DOMAIN,
      interfaceAddress: "127.0.0.1",
      properties: PARTICIPANT_PROPERTIES,
      logger: createMemoryLogger(),
    });
    const runtime = await NodeRuntime.start(carbonFootprintNode(defaultCarbonNodeSettings()), {
      bus,
      logger: createMemoryLogger(),
    });
    try {
      const text = await sendTask(
        "--problem",
        "3",
        "--power",
        "200",
        "--latency",
        "0.25",
        "--region",
        "France",
      );
      expect(text.code, text.stderr).toBe(0);
      expect(text.stdout).toMatch(/^status {2}NODE_RUNNING\nstatus {2}NODE_IDLE\nCO2Footprint/m);
      expect(text.stdout).toMatch(/^CO2Footprint for task \(3,1\)$/m);
      expect(text.stdout).toMatch(/energy_consumption {2}0\.05 kWh/);

      const json = await sendTask("--problem", "4", "--model", "NO_MODEL", "--json");
      expect(json.code, json.stderr).toBe(0);
      const outcome = JSON.parse(json.stdout) as {
        task_id: unknown;
        statuses: string[];
        extra_data: { mode: string };
      };
      expect(outcome.task_id).toEqual({ problem_id: 4, iteration_id: 1 });
      expect(outcome.extra_data.mode).toBe("no_model");
      expect(outcome.statuses.at(-1)).toBe("NODE_ERROR");
    } finally {
      await runtime.stop("test over");
    }
  });

  it("interoperates with a Fast DDS carbon node", async () => {
    await startFakeCarbonNode({ domain: DOMAIN, waitS: 30 });
    const result = await sendTask("--problem", "5", "--power", "100", "--latency", "0.5", "--json");
    expect(result.code, result.stderr).toBe(0);
    const outcome = JSON.parse(result.stdout) as {
      task_id: unknown;
      energy_consumption: { value: number };
    };
    expect(outcome.task_id).toEqual({ problem_id: 5, iteration_id: 1 });
    expect(outcome.energy_consumption.value).toBeCloseTo(0.05, 12);
  });

  it("fails with a clear message when no node answers", async () => {
    const result = await sendTask("--timeout", "1");
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /timed out waiting for the node's status .*is wattprint-node running on domain 72/,
    );
  });
});
