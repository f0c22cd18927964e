/**
 * The NVML reader on a real NVIDIA GPU, in one run of under a minute: what a session lent a
 * GPU machine runs (issue 11: "the same tests run against the real driver when one is
 * present", and the 1 Hz cost with real NVML calls). `pack.ts` bundles it with koffi (and,
 * with --with-node, a compressed Node) into a folder that travels to the machine; the
 * package README says how to call it. Here it runs against the fake library of the tests
 * (test/device-check.test.ts), so its plumbing is checked on every CI run.
 *
 * It opens a meter on the GPUs only (the environment as `wattprint` reads it:
 * WATTPRINT_NVML_LIBRARY, CUDA_VISIBLE_DEVICES), then:
 * 1. samples twice, NVML_CHECK_IDLE_S apart (default 2): idle watts per GPU;
 * 2. loads the GPUs for NVML_CHECK_LOAD_S (default 8; 0 skips it) with a bf16 matrix product
 *    in `python3` and PyTorch, if both are there, sampling once a second and listing the
 *    compute processes NVML reports: the watts must rise above idle and the load's process
 *    must be listed;
 * 3. measures the 1 Hz cost for NVML_CHECK_HZ_S seconds (default 20): the CPU of every thread
 *    inside each sample's window (`sampleInto`), against as many empty ticks;
 * 4. closes the meter (nvmlShutdown) and checks that the read thread stopped.
 * It prints one JSON document and writes it to $OUT/nvml-check.json when OUT is set; the exit
 * code is 0 when every check passed, 1 otherwise.
 */
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { median } from "../bench/median.ts";
import {
  type MeterReading,
  openPowerMeter,
  type PowerMeter,
  powerOptionsFromEnv,
  readThreadStats,
} from "../src/index.ts";

interface Check {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

/** A whole number of seconds from 0 to 120 in `name`, or `fallback` when it is unset or empty. */
function secondsFromEnv(name: string, fallback: number): number {
  const text = process.env[name]?.trim() ?? "";
  const value = text === "" ? fallback : Number(text);
  if (!Number.isInteger(value) || value < 0 || value > 120) {
    process.stderr.write(
      `${name} must be a whole number of seconds from 0 to 120, got "${text}"\n`,
    );
    process.exit(2);
  }
  return value;
}
const IDLE_S = secondsFromEnv("NVML_CHECK_IDLE_S", 2);
const LOAD_S = secondsFromEnv("NVML_CHECK_LOAD_S", 8);
const HZ_S = secondsFromEnv("NVML_CHECK_HZ_S", 20);

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const checks: Check[] = [];
const check = (name: string, ok: boolean, detail: string): void => {
  checks.push({ name, ok, detail });
};

/** Watts per device between two readings of the same meter. */
function wattsBetween(a: MeterReading, b: MeterReading): Record<string, number> {
  const out: Record<string, number> = {};
  const seconds = (b.atMs - a.atMs) / 1000;
  for (const d of b.devices) {
    const before = a.devices.find((x) => x.device.id === d.device.id);
    if (before !== undefined && seconds > 0) {
      out[d.device.id] = Number(((d.energyJ - before.energyJ) / seconds).toFixed(1));
    }
  }
  return out;
}

/** A GPU load through PyTorch, or why there is none. */
function startLoad(loadS: number): { done: Promise<number | null>; pid?: number } | string {
  if (loadS === 0) return "NVML_CHECK_LOAD_S=0";
  const program = [
    "import time, torch",
    "a = torch.randn(8192, 8192, device='cuda', dtype=torch.bfloat16)",
    "end = time.time() + float(__import__('sys').argv[1])",
    "while time.time() < end:",
    "    for _ in range(8): a @ a",
    "    torch.cuda.synchronize()",
  ].join("\n");
  const child = spawn("python3", ["-c", program, String(loadS)], { stdio: "ignore" });
  const done = new Promise<number | null>((resolve) => {
    child.once("error", () => resolve(null));
    child.once("exit", (code) => resolve(code));
  });
  return child.pid === undefined ? { done } : { done, pid: child.pid };
}

/** CPU µs of every thread inside each of `count` windows: a sample's, or an empty tick's. */
async function windowsCpuUs(meter: PowerMeter | null, count: number): Promise<number[]> {
  const reading = meter?.createReading() ?? null;
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    await sleep(1000);
    const before = process.cpuUsage();
    await new Promise<void>((resolve) => {
      if (meter === null || reading === null) resolve();
      else meter.sampleInto(reading, () => resolve());
    });
    const used = process.cpuUsage(before);
    out.push(used.user + used.system);
  }
  return out;
}

async function main(): Promise<number> {
  const report: Record<string, unknown> = { node: process.version, env: {} };
  report.env = {
    CUDA_VISIBLE_DEVICES: process.env.CUDA_VISIBLE_DEVICES ?? null,
    WATTPRINT_NVML_LIBRARY: process.env.WATTPRINT_NVML_LIBRARY ?? null,
  };
  const openedAt = performance.now();
  const opened = await openPowerMeter({
    ...powerOptionsFromEnv(process.env),
    components: ["gpu"],
    fallback: "none",
  });
  report.openMs = Number((performance.now() - openedAt).toFixed(1));
  if (!opened.ok) {
    check("open", false, `${opened.error.kind}: ${opened.error.message}`);
    return finish(report);
  }
  const meter = opened.value;
  report.devices = meter.devices.map((d) => ({
    id: d.id,
    name: d.name,
    reader: d.reader,
    counter: d.counter !== null,
    maxWatts: d.maxWatts,
    notes: d.notes,
  }));
  report.skipped = meter.skipped.map((s) => `${s.reader} ${s.kind}: ${s.message}`);
  check(
    "open",
    meter.devices.length > 0 && meter.devices.every((d) => d.reader === "nvml"),
    `${meter.devices.length} NVML device(s) in ${report.openMs} ms`,
  );

  // 1. Idle.
  const first = await meter.sample();
  await sleep(IDLE_S * 1000);
  const idle = await meter.sample();
  const idleWatts = wattsBetween(first, idle);
  report.idleWatts = idleWatts;
  report.problems = idle.problems.map((p) => `${p.kind}: ${p.message}`);
  check(
    "idle energy",
    idle.devices.every((d) => d.energyJ >= 0 && d.problem === null) &&
      idle.totalEnergyJ >= first.totalEnergyJ,
    `total ${first.totalEnergyJ.toFixed(3)} J -> ${idle.totalEnergyJ.toFixed(3)} J over ${IDLE_S} s`,
  );

  // 2. Under load.
  const load = startLoad(LOAD_S);
  if (typeof load === "string") {
    report.load = `skipped (${load})`;
  } else {
    let previous = await meter.sample();
    const peak: Record<string, number> = {};
    let listed = false;
    let processes: unknown = [];
    for (let s = 0; s < LOAD_S + 2; s++) {
      await sleep(1000);
      const now = await meter.sample();
      for (const [id, watts] of Object.entries(wattsBetween(previous, now))) {
        peak[id] = Math.max(peak[id] ?? 0, watts);
      }
      previous = now;
      const lists = await meter.gpuProcesses();
      if (!listed && lists.some((l) => l.processes.some((p) => p.pid === load.pid))) {
        listed = true;
        processes = lists;
      }
    }
    const code = await load.done;
    report.load = { seconds: LOAD_S, exitCode: code, peakWatts: peak, processes };
    if (code !== 0) {
      report.load = { ...(report.load as object), note: "python3 or torch missing, or it failed" };
    } else {
      const rose = Object.entries(peak).some(([id, w]) => w > (idleWatts[id] ?? 0) + 20);
      check(
        "load raises power",
        rose,
        `peak ${JSON.stringify(peak)} against idle ${JSON.stringify(idleWatts)}`,
      );
      check("load's process listed", listed, `pid ${load.pid}`);
    }
  }

  // 3. The 1 Hz cost, sampled and empty ticks interleaved in blocks of five.
  const sampled: number[] = [];
  const empty: number[] = [];
  for (let done = 0; done < HZ_S; done += 5) {
    const n = Math.min(5, HZ_S - done);
    sampled.push(...(await windowsCpuUs(meter, n)));
    empty.push(...(await windowsCpuUs(null, n)));
  }
  if (sampled.length > 0) {
    const perSample = median(sampled) - median(empty);
    report.oneHertz = {
      samples: sampled.length,
      windowCpuUs: sampled,
      emptyTickCpuUs: empty,
      medianAboveEmptyUs: perSample,
      percentOfOneCore: Number(((perSample / 1e6) * 100).toFixed(4)),
    };
    check(
      "1 Hz cost at most 0.02 % of one core",
      perSample <= 200,
      `${perSample} µs per sample above an empty tick (median of ${sampled.length})`,
    );
  }

  // 4. Close.
  await meter.close();
  await sleep(200);
  const thread = readThreadStats();
  report.readThread = thread;
  check("closed", !thread.running, `read thread running: ${thread.running}`);
  return finish(report);
}

function finish(report: Record<string, unknown>): number {
  report.checks = checks;
  const text = `${JSON.stringify(report, null, 2)}\n`;
  process.stdout.write(text);
  const out = process.env.OUT;
  if (out !== undefined && out !== "") writeFileSync(join(out, "nvml-check.json"), text);
  return checks.every((c) => c.ok) ? 0 : 1;
}

process.exitCode = await main();
