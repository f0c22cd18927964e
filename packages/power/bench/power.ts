/**
 * What sampling costs. Part 1: one `sample()` of each reader and of all of them together, on
 * fake sysfs trees and the fake NVML library (wall and CPU time per sample, bytes allocated
 * per sample). Part 2: a meter over all of them sampling at 1 Hz for 60 s, measured as process
 * CPU time (`process.cpuUsage()`) beside the same process with an empty 1 Hz timer; the target
 * is at most 0.02 % of one core.
 * Run: `pnpm --filter @wattprint/power bench` (BENCH_METER_S shortens part 2).
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { PerformanceObserver } from "node:perf_hooks";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import {
  AmdgpuSource,
  ModelSource,
  NvmlSource,
  openPowerMeter,
  type PowerSource,
  RaplSource,
} from "../src/index.ts";
import { buildFakeNvml } from "../test/fake-nvml/build.ts";
import { tempDir, twoSocketServer, writeHwmon, writePowercap } from "../test/helpers/trees.ts";

const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 2000);
const ALLOCATION_SAMPLES = 200;
const METER_S = Number(process.env.BENCH_METER_S ?? 60);

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

let gcDuringWindow = 0;
new PerformanceObserver((list) => {
  gcDuringWindow += list.getEntries().length;
}).observe({ entryTypes: ["gc"] });

const dir = await tempDir("bench");
const powercap = join(dir.path, "powercap");
const hwmon = join(dir.path, "hwmon");
const proc = join(dir.path, "proc");
await writePowercap(powercap, twoSocketServer());
await writeHwmon(hwmon, [
  {
    hwmon: "hwmon0",
    name: "amdgpu",
    pci: "0000:03:00.0",
    files: { power1_average: 150_000_000, power1_cap: 300_000_000 },
  },
  { hwmon: "hwmon1", name: "amdgpu", pci: "0000:83:00.0", files: { energy1_input: 5_000_000 } },
]);
await writePowercap(proc, []);
await writeFile(
  join(proc, "stat"),
  "cpu  93449 10 36391 141482 355 5 754 7 0 0\ncpu0 1 2 3 4 5 6 7 8 0 0\n",
);
const library = await buildFakeNvml();
const script = join(dir.path, "nvml.txt");
await writeFile(
  script,
  [
    "device GPU-aaaa1111-2222-3333-4444-555566667777 NVIDIA H100 80GB HBM3",
    "energy 1000000",
    "limit 700000",
    "device GPU-bbbb1111-2222-3333-4444-555566667777 NVIDIA H100 80GB HBM3",
    "energy 2000000",
    "limit 700000",
    "",
  ].join("\n"),
);
process.env.FAKE_NVML_SCRIPT = script;

const facts = {
  cpu: { brand: "AMD EPYC 7763 64-Core Processor", logicalCpus: 128, sockets: 1 },
  memoryBytes: 256 * 1024 ** 3,
  dimms: 8,
  origin: ["bench"],
};
const makers: Record<string, () => PowerSource> = {
  "rapl (5 zones)": () => new RaplSource({ root: powercap }),
  "nvml (2 GPUs, energy counter)": () => new NvmlSource({ library, cudaVisibleDevices: null }),
  "amdgpu (2 cards)": () => new AmdgpuSource({ root: hwmon }),
  "model (cpu load from /proc/stat + dram)": () =>
    new ModelSource({ cpu: true, dram: true, facts, procRoot: proc, platform: "linux" }),
};

interface Figures {
  wallUs: number;
  cpuUs: number;
  bytes: number;
}

async function measure(sample: () => Promise<unknown>): Promise<Figures> {
  for (let i = 0; i < 200; i++) await sample();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < SAMPLES; i++) await sample();
  const wallUs = ((performance.now() - t0) * 1000) / SAMPLES;
  const cpu = process.cpuUsage(cpu0);
  const cpuUs = (cpu.user + cpu.system) / SAMPLES;
  // Bytes: the heap grown over a window short enough for no collection to run in it.
  let bytes = Number.NaN;
  for (let attempt = 0; attempt < 5 && Number.isNaN(bytes); attempt++) {
    gc();
    // The observer hears of the forced collection a little later: let it, then start counting.
    await new Promise((resolve) => setTimeout(resolve, 20));
    gcDuringWindow = 0;
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < ALLOCATION_SAMPLES; i++) await sample();
    const after = process.memoryUsage().heapUsed;
    await new Promise((resolve) => setImmediate(resolve));
    if (gcDuringWindow === 0) bytes = (after - before) / ALLOCATION_SAMPLES;
  }
  return { wallUs, cpuUs, bytes };
}

const rows: string[] = [];
const row = (name: string, f: Figures) =>
  rows.push(
    `| ${name} | ${f.wallUs.toFixed(1)} | ${f.cpuUs.toFixed(1)} | ${Number.isNaN(f.bytes) ? "n/a" : f.bytes.toFixed(0)} |`,
  );

const all: PowerSource[] = [];
for (const [name, make] of Object.entries(makers)) {
  const source = make();
  await source.detect();
  row(name, await measure(() => source.sample()));
  all.push(source);
}
row("all four readers, in parallel", await measure(() => Promise.all(all.map((s) => s.sample()))));
for (const source of all) source.close();

const opened = await openPowerMeter({
  inject: {
    sources: [
      new RaplSource({ root: powercap }),
      new NvmlSource({ library, cudaVisibleDevices: null }),
      new AmdgpuSource({ root: hwmon }),
    ],
  },
  fallback: "none",
});
if (!opened.ok) throw new Error(opened.error.message);
const meter = opened.value;
row(
  `PowerMeter.sample() over rapl + nvml + amdgpu (${meter.devices.length} devices)`,
  await measure(() => meter.sample()),
);

console.log(`sample() cost, ${SAMPLES} samples each (mean per sample):\n`);
console.log("| what | wall µs | CPU µs | heap bytes allocated |");
console.log("| --- | ---: | ---: | ---: |");
console.log(rows.join("\n"));

/** CPU of this process over `METER_S` seconds with a 1 Hz timer doing `tick`. */
async function atOneHertz(tick: () => void): Promise<{ cpuUs: number; seconds: number }> {
  gc();
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const timer = setInterval(tick, 1000);
  await new Promise((resolve) => setTimeout(resolve, METER_S * 1000 + 100));
  clearInterval(timer);
  const cpu = process.cpuUsage(cpu0);
  return { cpuUs: cpu.user + cpu.system, seconds: (performance.now() - t0) / 1000 };
}
const share = (r: { cpuUs: number; seconds: number }) => (r.cpuUs / (r.seconds * 1e6)) * 100;

console.log(`\n1 Hz for ${METER_S} s, process CPU time (process.cpuUsage):\n`);
const idle = await atOneHertz(() => {});
let ticks = 0;
// Also the CPU inside each sample's own window (from the tick to the reading), summed: the
// process's other activity in the 60 s (the floor above, which varies by more than the target
// from run to run) hardly reaches into these windows.
let windowUs = 0;
const metered = await atOneHertz(() => {
  const c0 = process.cpuUsage();
  void meter.sample().then(() => {
    const c = process.cpuUsage(c0);
    windowUs += c.user + c.system;
    ticks++;
  });
});
console.log("| run | CPU µs | % of one core |");
console.log("| --- | ---: | ---: |");
console.log(
  `| empty 1 Hz timer (this machine's floor) | ${idle.cpuUs} | ${share(idle).toFixed(4)} |`,
);
console.log(
  `| PowerMeter.sample() at 1 Hz, ${ticks} samples, ${meter.devices.length} devices | ${metered.cpuUs} | ${share(metered).toFixed(4)} |`,
);
console.log(
  `| difference: the meter's own cost | ${metered.cpuUs - idle.cpuUs} | ${(share(metered) - share(idle)).toFixed(4)} |  (target ≤ 0.02 %)`,
);
console.log(
  `| CPU inside the ${ticks} sampling windows (all threads), per second | ${(windowUs / metered.seconds).toFixed(0)} per s, ${(windowUs / Math.max(1, ticks)).toFixed(0)} per sample | ${((windowUs / (metered.seconds * 1e6)) * 100).toFixed(4)} |`,
);
await meter.close();
await dir.dispose();
