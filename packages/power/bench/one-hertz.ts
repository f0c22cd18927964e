/**
 * One child of the 1 Hz benchmark (started by `power.ts`): opens a meter over the fake
 * machine, then for `seconds` either samples it once a second or only runs an empty 1 Hz timer,
 * and prints the process CPU time (`process.cpuUsage()`, every thread) as one JSON line.
 * Usage: one-hertz.ts <mode> <seconds>. Mode `empty` only runs the timer; otherwise an
 * optional prefix picks the devices (`rapl-`: RAPL alone, `sysrapl-`: RAPL alone read as on
 * sysfs, with no `stat` checks, `sim-`: two simulated devices, none: rapl + nvml + amdgpu) and the rest the path: `sample` (a new reading each second) or
 * `sampleInto` (one reading rewritten by `sampleInto`).
 */
import { PerformanceObserver } from "node:perf_hooks";
import { openPowerMeter, type PowerSource, SimulatedSource } from "../src/index.ts";
import { benchMachine } from "./fixtures.ts";

const mode = process.argv[2] ?? "empty";
const seconds = Number(process.argv[3] ?? 60);
const machine = await benchMachine();
const sources: PowerSource[] = mode.startsWith("rapl")
  ? [machine.rapl()]
  : mode.startsWith("sysrapl")
    ? [machine.raplAsOnSysfs()]
    : mode.startsWith("sim")
      ? [
          new SimulatedSource("cpu", [{ name: "sim cpu", watts: 150 }]),
          new SimulatedSource("gpu", [{ name: "sim gpu", watts: 300, utilisation: 0.5 }]),
        ]
      : [machine.rapl(), machine.nvml(), machine.amdgpu()];
const opened = await openPowerMeter({ inject: { sources }, fallback: "none" });
if (!opened.ok) throw new Error(opened.error.message);
const meter = opened.value;
// Absent before `sampleInto` existed: the same child then measures an older tree's `sample()`.
const reusable = typeof meter.createReading === "function";
const reading = reusable ? meter.createReading() : null;
// Warm the code paths as a long-running meter would have them, then let the process settle.
if (reading !== null)
  for (let i = 0; i < 300; i++) await new Promise((resolve) => meter.sampleInto(reading, resolve));
for (let i = 0; i < 300; i++) await meter.sample();
await new Promise((resolve) => setTimeout(resolve, 3000));

let collections = 0;
new PerformanceObserver((list) => {
  collections += list.getEntries().length;
}).observe({ entryTypes: ["gc"] });
let samples = 0;
// CPU inside each sample's own window (from the tick to the reading), summed: what the meter
// adds at 1 Hz, cold, with every thread counted. The process's other activity (the floor) hardly
// reaches into these windows. The empty timer takes the same two clock readings.
let windowUs = 0;
let tickCpu = process.cpuUsage();
const count = (): void => {
  const c = process.cpuUsage(tickCpu);
  windowUs += c.user + c.system;
  samples++;
};
const heapBefore = process.memoryUsage().heapUsed;
const before = process.cpuUsage();
const t0 = performance.now();
let tick: () => void;
if (mode === "empty") {
  tick = () => {
    tickCpu = process.cpuUsage();
    count();
  };
} else if (mode.endsWith("sampleInto") && reading !== null) {
  tick = () => {
    tickCpu = process.cpuUsage();
    meter.sampleInto(reading, count);
  };
} else if (mode.endsWith("sample")) {
  tick = () => {
    tickCpu = process.cpuUsage();
    void meter.sample().then(count);
  };
} else throw new Error(`unknown mode ${mode}`);
const timer = setInterval(tick, 1000);
await new Promise((resolve) => setTimeout(resolve, seconds * 1000 + 100));
clearInterval(timer);
const cpu = process.cpuUsage(before);
// Heap grown over the run; meaningless (null) when a collection ran in it.
const heapBytes = collections === 0 ? process.memoryUsage().heapUsed - heapBefore : null;
const wallS = (performance.now() - t0) / 1000;
console.log(
  JSON.stringify({
    mode,
    cpuUs: cpu.user + cpu.system,
    wallS,
    samples,
    windowUs,
    heapBytes,
    devices: meter.devices.length,
  }),
);
await meter.close();
await machine.dispose();
process.exit(0);
