import { execFile, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { estimateReportSchema } from "@wattprint/core";
import { describe, expect, it } from "vitest";
import { usage } from "../src/cli.ts";
import { wattprint as inProcess } from "./helpers/in-process.ts";
import { expectUsageError, type Outcome } from "./helpers/outcome.ts";

/*
 * A few runs of the built binary, as a user runs it: the shebang, dist's imports, the exit code
 * set through process.exitCode, real signals. Everything else is tested in-process. The test
 * script builds dist (with turbo, cached) before vitest runs, and the first two tests compare
 * the binary's output with the sources', so a stale dist fails here instead of passing quietly.
 */
const run = promisify(execFile);
const BIN = fileURLToPath(new URL("../dist/main.js", import.meta.url));
const SPAWN_TIMEOUT_MS = 15_000;

/** The environment less the variables the CLI reads, so the binary sees what in-process runs see. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of Object.keys(env)) {
    if (/^(SUSTAINML_|WATTPRINT_|CUDA_)/.test(name)) delete env[name];
  }
  return { ...env, ...extra };
}

async function spawned(...args: string[]): Promise<Outcome> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], {
      env: cleanEnv(),
      timeout: SPAWN_TIMEOUT_MS,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? "", stderr: failed.stderr ?? "" };
  }
}

describe.concurrent("the built wattprint binary", () => {
  it("answers --help with exit 0 and the usage of the sources", async () => {
    const outcome = await spawned("--help");
    expect(outcome).toEqual({ code: 0, stdout: usage(), stderr: "" });
  });

  it("prints the same estimate as the sources", async () => {
    const args = ["estimate", "--hardware", "NVIDIA A100 40GB PCIe", "--duration", "2h"];
    const outcome = await spawned(...args, "--location", "DE", "--json");
    expect(outcome.code).toBe(0);
    const report = estimateReportSchema.parse(JSON.parse(outcome.stdout));
    // 250 W x 2 h x PUE 1.56.
    expect(report.energy.value).toBeCloseTo(0.78, 12);
    const fromSources = await inProcess([...args, "--location", "DE", "--json"]);
    expect(outcome).toEqual({ code: fromSources.code, stdout: fromSources.stdout, stderr: "" });
  });

  it("exits 2 with one line for a usage error", async () => {
    expectUsageError(
      await spawned("estimate", "--watts", "0x10", "--duration", "1h"),
      /^wattprint estimate: --watts expects a number >= 0, got "0x10"$/,
    );
  });

  it("stops hardware detect --watch on SIGINT with exit 0 and the energy so far", async () => {
    // Nothing to read on the fake roots: the CPU is modelled, which needs no driver.
    const child = spawn(
      process.execPath,
      [BIN, "hardware", "detect", "--components", "cpu", "--watch", "0.2"],
      {
        env: cleanEnv({
          WATTPRINT_POWERCAP_ROOT: "/nonexistent/powercap",
          WATTPRINT_HWMON_ROOT: "/nonexistent/hwmon",
          WATTPRINT_NVML_LIBRARY: "/nonexistent/libnvidia-ml.so.1",
        }),
        stdio: ["ignore", "pipe", "pipe"],
        timeout: SPAWN_TIMEOUT_MS,
      },
    );
    let stdout = "";
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const closed = new Promise<number | null>((resolve) => child.on("close", resolve));
    await new Promise<void>((resolve) => {
      child.stdout.on("data", (chunk: Buffer) => {
        stdout += chunk.toString();
        if (/ s {2}cpu /.test(stdout)) resolve();
      });
      child.on("close", () => resolve());
    });
    child.kill("SIGINT");
    expect(await closed).toBe(0);
    expect(stderr).toBe("");
    expect(stdout).toMatch(/watching 1 device\(s\) every 200 ms; Ctrl-C stops/);
    expect(stdout).toMatch(/over [\d.]+ s:/);
    expect(stdout).toMatch(/^cpu\s+[\d.]+ J/m);
  });
});
