import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// The fake libnvidia-ml.so.1 and the fake sysfs trees are the power package's test fixtures.
import { buildFakeNvml } from "../../../packages/power/test/fake-nvml/build.ts";
import {
  tempDir,
  twoSocketServer,
  writePowercap,
} from "../../../packages/power/test/helpers/trees.ts";
import { type InProcessOutcome, wattprint as runInProcess } from "./helpers/in-process.ts";
import { expectOneLineError } from "./helpers/outcome.ts";

/*
 * In-process through runCli, the readers' roots and library given through io.env. The fake
 * NVML is a C library that reads its script from the real environment (getenv) at nvmlInit and
 * keeps its devices in process-global state, so FAKE_NVML_SCRIPT is set for this file's process
 * and the tests here run one after another (describe.sequential); each test file has a process.
 */
const GPU = "GPU-aaaa1111-2222-3333-4444-555566667777";

let dir: { path: string; dispose(): Promise<void> };
let library: string;
let powercap: string;
let nvmlScript: string;
let nvmlLog: string;
let scriptBefore: string | undefined;

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
  scriptBefore = process.env.FAKE_NVML_SCRIPT;
  process.env.FAKE_NVML_SCRIPT = nvmlScript;
}, 120_000);
afterAll(async () => {
  if (scriptBefore === undefined) delete process.env.FAKE_NVML_SCRIPT;
  else process.env.FAKE_NVML_SCRIPT = scriptBefore;
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
  };
}

/** `wattprint ...args` seeing exactly `env` (so no CUDA_VISIBLE_DEVICES unless given). */
function wattprint(env: Record<string, string>, ...args: string[]): Promise<InProcessOutcome> {
  return runInProcess(args, { env });
}

/** The lines the fake NVML logged (init, shutdown) from `from` characters on. */
async function nvmlLogSince(from: number): Promise<string[]> {
  const text = await readFile(nvmlLog, "utf8").catch(() => "");
  return text
    .slice(from)
    .trim()
    .split("\n")
    .filter((line) => line !== "");
}

describe.sequential("wattprint hardware detect", () => {
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
    // A name no CPU row matches: refused, naming the variable (it modelled the median CPU).
    const bogus = await wattprint({ ...bare, WATTPRINT_CPU_NAME: "bogus" }, "hardware", "detect");
    expect(bogus.code).not.toBe(0);
    expect(bogus.stderr).toMatch(/"cpuName": unknown hardware "bogus";.*WATTPRINT_CPU_NAME\)$/m);
    expect(outcome.stdout).toMatch(
      /model:dram: \d+ module\(s\) assumed \([\d.]+ GB each\) × [\d.]+ W \+ [\d.]+ W\/GB/,
    );
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
    // The environment this process has, as the binary would see it.
    const outcome = await runInProcess(["hardware", "detect", "--json"], { env: process.env });
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

  it("prints names the machine supplies with their control characters escaped", async () => {
    // A GPU name is whatever the driver (or a file under a --root tree) says: an ESC in it
    // would drive the user's terminal.
    const original = await readFile(nvmlScript, "utf8");
    await writeFile(
      nvmlScript,
      original.replace("NVIDIA H100 80GB HBM3", "GPU\u001b[2J\u001b]0;pwned\u0007"),
    );
    try {
      const outcome = await wattprint(faked(), "hardware", "detect");
      expect(outcome.code).toBe(0);
      expect(outcome.stdout).not.toContain("\u001b");
      expect(outcome.stdout).not.toContain("\u0007");
      expect(outcome.stdout).toContain("GPU\\u001b[2J\\u001b]0;pwned\\u0007");
    } finally {
      await writeFile(nvmlScript, original);
    }
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
    expect(outcome.interruptListeners).toBe(0);
  });

  it("--watch's total adds cpu, dram and gpu, and says psys is left out", async () => {
    const outcome = await wattprint(
      faked(),
      "hardware",
      "detect",
      "--watch",
      "0.2",
      "--count",
      "2",
    );
    expect(outcome.code).toBe(0);
    expect(outcome.stdout).toMatch(
      /^total\s+[\d.]+ J\s+[\d.]+ W\s+cpu \+ dram \+ gpu \(psys overlaps them: not added\)$/m,
    );
  });

  it("--watch says a zone that never read well counted nothing, not that it drew 0 W", async () => {
    const zone = join(dir.path, "garbage-powercap", "intel-rapl:0");
    await mkdir(zone, { recursive: true });
    await writeFile(join(zone, "name"), "package-0\n");
    await writeFile(join(zone, "energy_uj"), "abc");
    await writeFile(join(zone, "max_energy_range_uj"), "262143328850\n");
    const outcome = await wattprint(
      { ...bare, WATTPRINT_POWERCAP_ROOT: join(dir.path, "garbage-powercap") },
      "hardware",
      "detect",
      "--components",
      "cpu",
      "--watch",
      "0.2",
      "--count",
      "2",
    );
    expect(outcome.code).toBe(0);
    expect(outcome.stdout).toMatch(
      /^cpu\s+0\.0 J\s+0\.0 W\s+measured \([\d.]+ s of it not counted: no good reading\)$/m,
    );
  });

  it("--watch stops on Ctrl-C with the energy so far, and shuts NVML down", async () => {
    const logged = (await readFile(nvmlLog, "utf8").catch(() => "")).length;
    let interrupted = false;
    const outcome = await runInProcess(
      ["hardware", "detect", "--components", "gpu", "--watch", "0.2"],
      {
        env: faked(),
        onStdout: (stdout, interrupt) => {
          if (!interrupted && / s {2}gpu /.test(stdout)) {
            interrupted = true;
            interrupt();
          }
        },
      },
    );
    expect(interrupted).toBe(true);
    expect(outcome.code).toBe(0);
    expect(outcome.stdout).toMatch(/watching 1 device\(s\) every 200 ms; Ctrl-C stops/);
    expect(outcome.stdout).toMatch(/over [\d.]+ s:/);
    expect(outcome.stdout).toMatch(/^gpu\s+[\d.]+ J/m);
    // The total names what it adds: here the one component there is.
    expect(outcome.stdout).toMatch(/^total\s+[\d.]+ J\s+[\d.]+ W\s+gpu$/m);
    expect(await nvmlLogSince(logged)).toEqual(["init 0", "shutdown"]);
    // Stopping unsubscribes, as the binary takes its SIGINT and SIGTERM handlers off.
    expect(outcome.interruptListeners).toBe(0);
  });

  it("--cpu refuses a name the table does not know, with suggestions, and keeps a vague known one", async () => {
    // It was modelled as the median of every CPU of the table, with exit 0.
    expectOneLineError(
      await wattprint(bare, "hardware", "detect", "--cpu", "bogus"),
      2,
      /^wattprint hardware detect: unknown hardware "bogus"; did you mean [^?]+\? .*\(--cpu\)$/,
    );
    expectOneLineError(
      await wattprint(bare, "hardware", "detect", "--cpu", "NVIDIA A100 40GB PCIe"),
      2,
      /^wattprint hardware detect: "NVIDIA A100 40GB PCIe" names NVIDIA A100 PCIe 40GB, a gpu, not a CPU \(--cpu\)$/,
    );
    const vague = await wattprint(bare, "hardware", "detect", "--cpu", "AMD EPYC");
    expect(vague.code).toBe(0);
    expect(vague.stdout).toMatch(/^model:cpu\s+cpu\s+model\s+modelled\s+low\s+AMD EPYC$/m);
    expect(vague.stdout).toMatch(/CPU name "AMD EPYC" given by the user/);
    const named = await wattprint(bare, "hardware", "detect", "--cpu", "AMD EPYC 7763");
    expect(named.code).toBe(0);
    expect(named.stdout).toMatch(/^model:cpu\s+cpu\s+model\s+modelled\s+high\s+AMD EPYC 7763$/m);
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
    // Taken out before the shared parser, --watch was the one flag whose repeat was kept.
    for (const twice of [
      ["--watch", "1s", "--watch", "2s"],
      ["--watch", "--watch=2s"],
      ["--watch=1s", "--watch"],
    ]) {
      expectOneLineError(
        await wattprint(bare, "hardware", "detect", ...twice, "--count", "1"),
        2,
        /^wattprint hardware detect: --watch was given more than once; give it once$/,
      );
    }
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
