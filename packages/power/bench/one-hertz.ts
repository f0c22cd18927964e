/**
 * One child of the 1 Hz benchmark (started by `power.ts`): opens a meter over the fake
 * machine, then for `seconds` either samples it once a second or only runs an empty 1 Hz timer,
 * and prints the process CPU time (`process.cpuUsage()`, every thread) as one JSON line.
 * Usage: one-hertz.ts <mode> <seconds>, mode one of `empty`, `sampleInto`, `sample`,
 * `rapl-sampleInto`, `sim-sampleInto`.
 */
import { PerformanceObserver } from "node:perf_hooks";
import { openPowerMeter, type PowerSource, SimulatedSource } from "../src/index.ts";
import { benchMachine } from "./fixtures.ts";

const mode = process.argv[2] ?? "empty";
const seconds = Number(process.argv[3] ?? 60);
const machine = await benchMachine();
const sources: PowerSource[] = mode.startsWith("rapl")
  ? [machine.rapl()]
  : mode.startsWith("sim")
    ? [
        new SimulatedSource("cpu", [{ name: "sim cpu", watts: 150 }]),
        new SimulatedSource("gpu", [{ name: "sim gpu", watts: 300, utilisation: 0.5 }]),
      ]
    : [machine.rapl(), machine.nvml(), machine.amdgpu()];
const opened = await openPowerMeter({ inject: { sources }, fallback: "none" });
if (!opened.ok) throw new Error(opened.error.message);
const meter = opened.value;
const reading = meter.createReading();
// Warm the code paths as a long-running meter would have them, then let the process settle.
for (let i = 0; i < 300; i++) await new Promise((resolve) => meter.sampleInto(reading, resolve));
for (let i = 0; i < 300; i++) await meter.sample();
await new Promise((resolve) => setTimeout(resolve, 3000));

let collections = 0;
new PerformanceObserver((list) => {
  collections += list.getEntries().length;
}).observe({ entryTypes: ["gc"] });
let samples = 0;
const count = (): void => {
  samples++;
};
const heapBefore = process.memoryUsage().heapUsed;
const before = process.cpuUsage();
const t0 = performance.now();
let timer: NodeJS.Timeout | null = null;
if (mode === "empty") timer = setInterval(() => {}, 1000);
else if (mode === "sample") timer = setInterval(() => void meter.sample().then(count), 1000);
else meter.start(1000, count, true, reading);
await new Promise((resolve) => setTimeout(resolve, seconds * 1000 + 100));
if (timer !== null) clearInterval(timer);
meter.stop();
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
    heapBytes,
    devices: meter.devices.length,
  }),
);
await meter.close();
await machine.dispose();
process.exit(0);
