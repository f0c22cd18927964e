import { execFile, spawn } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// The fake libnvidia-ml.so.1 and the fake sysfs trees are the power package's test fixtures.
import { buildFakeNvml } from "../../../packages/power/test/fake-nvml/build.ts";
import {
  tempDir,
  twoSocketServer,
  writePowercap,
} from "../../../packages/power/test/helpers/trees.ts";

const run = promisify(execFile);
const BIN = fileURLToPath(new URL("../dist/main.js", import.meta.url));
const GPU = "GPU-aaaa1111-2222-3333-4444-555566667777";

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

let dir: { path: string; dispose(): Promise<void> };
let library: string;
let powercap: string;
let nvmlScript: string;
let nvmlLog: string;

beforeAll(async () => {
  library = await buildFakeNvml();
  dir = await tempDir("cli-detect");
  powercap = join(dir.path, "powercap");
  await writePowercap(powercap, twoSocketServer());
  nvmlLog = join(dir.path, "nvml.log");
  nvmlScript = join(dir.path, "nvml.txt");
  await writeFile(
    nvmlScript,
    [
      `log ${nvmlLog}`,
      `device ${GPU} NVIDIA H100 80GB HBM3`,
      "energy 1000 2000 3000 4000 5000 6000 7000 8000",
      "limit 700000",
      "util 40 10",
      "process 77 1048576",
      "",
    ].join("\n"),
  );
}, 120_000);
afterAll(async () => {
  await dir.dispose();
});

/** No RAPL, no hwmon, no NVML: what a VM or a laptop without drivers sees. */
const bare = {
  WATTPRINT_POWERCAP_ROOT: "/nonexistent/powercap",
  WATTPRINT_HWMON_ROOT: "/nonexistent/hwmon",
  WATTPRINT_NVML_LIBRARY: "/nonexistent/libnvidia-ml.so.1",
};

function faked(): Record<string, string> {
  return {
    WATTPRINT_POWERCAP_ROOT: powercap,
    WATTPRINT_HWMON_ROOT: "/nonexistent/hwmon",
    WATTPRINT_NVML_LIBRARY: library,
    FAKE_NVML_SCRIPT: nvmlScript,
  };
}

async function wattprint(env: Record<string, string>, ...args: string[]): Promise<Outcome> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], {
      timeout: 20_000,
      env: { ...process.env, CUDA_VISIBLE_DEVICES: undefined, ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? "", stderr: failed.stderr ?? "" };
  }
}

function expectOneLineError(outcome: Outcome, code: number, pattern: RegExp): void {
  expect(outcome.code).toBe(code);
  expect(outcome.stdout).toBe("");
  expect(outcome.stderr.trimEnd().split("\n")).toHaveLength(1);
  expect(outcome.stderr).toMatch(pattern);
}

describe("wattprint hardware detect", () => {
  it("without any reader says so and models the CPU and memory with their assumptions", async () => {
    const outcome = await wattprint(
      { ...bare, WATTPRINT_CPU_NAME: "AMD EPYC" },
      "hardware",
      "detect",
    );
    expect(outcome.code).toBe(0);
    expect(outcome.stdout).toMatch(/^model:cpu\s+cpu\s+model\s+modelled\s+low\s+AMD EPYC$/m);
    expect(outcome.stdout).toMatch(/^model:dram\s+dram\s+model\s+modelled/m);
    expect(outcome.stdout).toMatch(/none measured: every figure is modelled/);
    expect(outcome.stdout).toMatch(
      /model:cpu: "AMD EPYC" names no single CPU of the hardware table: assumed [\d.]+ W per logical CPU/,
    );
    expect(outcome.stdout).toMatch(/model:dram: 5 W per DIMM/);
    expect(outcome.stdout).toMatch(
      /rapl \(not-present\): no powercap tree at \/nonexistent\/powercap.*modprobe intel_rapl_msr/,
    );
    expect(outcome.stdout).toMatch(
      /nvml \(no-driver\): cannot load \/nonexistent\/libnvidia-ml\.so\.1/,
    );
    expect(outcome.stdout).toMatch(/amdgpu \(not-present\)/);
    expect(outcome.stdout).toMatch(/powermetrics \(unsupported-platform\)/);
  });

  it("on this machine as it is, lists each device as measured or modelled and never fails", async () => {
    const outcome = await wattprint({}, "hardware", "detect", "--json");
    expect(outcome.code).toBe(0);
    const report = JSON.parse(outcome.stdout) as {
      devices: { basis: string; notes: string[] }[];
      skipped: { reader: string; message: string }[];
    };
    expect(report.devices.length).toBeGreaterThan(0);
    for (const device of report.devices) {
      expect(["measured", "modelled"]).toContain(device.basis);
      if (device.basis === "modelled") expect(device.notes.length).toBeGreaterThan(0);
    }
    for (const skip of report.skipped) expect(skip.message.length).toBeGreaterThan(10);
  });

  it("prefers measured RAPL and NVML devices when they are there (fake trees and a fake NVML)", async () => {
    const outcome = await wattprint(faked(), "hardware", "detect", "--json");
    expect(outcome.code).toBe(0);
    const report = JSON.parse(outcome.stdout) as {
      devices: {
        id: string;
        basis: string;
        kind: string;
        counter: { rangeJ: number | null } | null;
      }[];
      gpuProcesses: { device: string; processes: { pid: number }[] }[];
    };
    expect(report.devices.map((d) => [d.id, d.kind, d.basis])).toEqual([
      ["rapl:intel-rapl:0", "cpu", "measured"],
      ["rapl:intel-rapl:0:2", "dram", "measured"],
      ["rapl:intel-rapl:1", "cpu", "measured"],
      ["rapl:intel-rapl:1:0", "dram", "measured"],
      ["rapl:intel-rapl:2", "psys", "measured"],
      [`nvml:${GPU}`, "gpu", "measured"],
    ]);
    // A counter that never wraps is written as null: JSON has no Infinity.
    expect(report.devices[5]?.counter).toEqual({ rangeJ: null });
    expect(report.gpuProcesses[0]?.processes[0]?.pid).toBe(77);
  });

  it("--watch prints a line per reading and the energy at the end", async () => {
    const outcome = await wattprint(
      faked(),
      "hardware",
      "detect",
      "--components",
      "gpu",
      "--watch",
      "0.2",
      "--count",
      "2",
      "--json",
    );
    expect(outcome.code).toBe(0);
    const lines = outcome.stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(lines).toHaveLength(3);
    expect(lines[0].devices[0]).toMatchObject({ id: `nvml:${GPU}`, kind: "gpu", utilisation: 0.4 });
    expect(lines[1].components[0]).toMatchObject({ component: "gpu", basis: "measured" });
    // The fake counter moves 1 J per read.
    expect(lines[2]).toMatchObject({
      summary: true,
      totalEnergyJ: 2,
      components: [{ component: "gpu", energyJ: 2 }],
    });
  });

  it("--watch stops on Ctrl-C with the energy so far, and shuts NVML down", async () => {
    const child = spawn(
      process.execPath,
      [BIN, "hardware", "detect", "--components", "gpu", "--watch", "0.2"],
      {
        env: { ...process.env, ...faked(), FAKE_NVML_SCRIPT: nvmlScript },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let stdout = "";
    await new Promise<void>((resolve) => {
      child.stdout.on("data", (chunk: Buffer) => {
        stdout += chunk.toString();
        if (/ s {2}gpu /.test(stdout)) resolve();
      });
    });
    await writeFile(nvmlLog, "");
    child.kill("SIGINT");
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(code).toBe(0);
    expect(stdout).toMatch(/watching 1 device\(s\) every 200 ms; Ctrl-C stops/);
    expect(stdout).toMatch(/over [\d.]+ s:/);
    expect(stdout).toMatch(/^gpu\s+[\d.]+ J/m);
    expect((await readFile(nvmlLog, "utf8")).trim()).toBe("shutdown");
  });

  it("refuses what it cannot do with one line: a missing component, an unknown device, a bad interval", async () => {
    expectOneLineError(
      await wattprint(bare, "hardware", "detect", "--components", "gpu"),
      1,
      /no gpu power source on this machine: nvml: cannot load/,
    );
    expectOneLineError(
      await wattprint(bare, "hardware", "detect", "--device", "nvml:*"),
      2,
      /no device matches "nvml:\*"; devices found: model:cpu, model:dram/,
    );
    expectOneLineError(
      await wattprint(bare, "hardware", "detect", "--watch", "soon"),
      2,
      /--watch takes an interval such as 2s/,
    );
    expectOneLineError(
      await wattprint(bare, "hardware", "detect", "--watch", "10ms"),
      2,
      /between 100ms and 1h/,
    );
    expectOneLineError(
      await wattprint(bare, "hardware", "detect", "--count", "3"),
      2,
      /--count only makes sense with --watch/,
    );
    expectOneLineError(
      await wattprint(bare, "hardware", "detect", "--components", "tpu"),
      2,
      /--components takes all, cpu, dram, gpu, psys, machine; got "tpu"/,
    );
  });
});
