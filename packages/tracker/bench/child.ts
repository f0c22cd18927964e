/**
 * One process of the tracker benchmark (bench/tracker.ts runs five at once): `idle` (a 1 Hz
 * empty timer, the baseline), `model` (the tracker on the model fallback) or `sim` (on
 * simulated devices). It imports the tracker in every mode, so all five load the same code,
 * opens it, settles, then measures its own CPU time and memory over the window, and counts the
 * garbage collections in it: one full collection of this ~13 MB heap costs tens of ms, as much
 * as a 1 Hz tracker costs in minutes, so whether one falls in the window decides the figure.
 *
 * No `gc()` before the window: a collection forced through `--expose-gc` set at run time left
 * V8's collector busy afterwards (about 5 ms of CPU a second in an idle process, against 0.3
 * ms without it), which was most of the noise of this bench's earlier figures.
 */
import { constants, type PerformanceEntry, PerformanceObserver } from "node:perf_hooks";
import { CarbonTracker } from "../src/index.ts";

const mode = process.argv[2] ?? "idle";
/** `warm`: first run a tracker at 100 Hz for 3 s, so the measured one runs JIT-compiled code, as in a long run. */
const warm = process.argv[3] === "warm";
const windowS = Number(process.env.BENCH_S ?? 30);
const settleS = Number(process.env.BENCH_SETTLE_S ?? 45);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let tracker: CarbonTracker | null = null;
let keepAlive: NodeJS.Timeout | null = null;
const openStart = process.cpuUsage();
const devices =
  mode === "sim"
    ? { simGpu: "NVIDIA Sim", simGpuWatts: 300, simCpu: "Xeon Sim", simCpuTdp: 120 }
    : {};
if (warm) {
  const warmUp = new CarbonTracker({
    verbose: 0,
    location: "DE",
    updateInterval: 0.01,
    ...devices,
  });
  await warmUp.start();
  await sleep(3000);
  await warmUp.stop();
}
if (mode === "idle") {
  keepAlive = setInterval(() => {}, 1000);
} else {
  tracker = new CarbonTracker({ verbose: 0, location: "DE", updateInterval: 1, ...devices });
  const ready = await tracker.ready();
  if (!ready.ok) throw new Error(ready.error.message);
  await tracker.start();
  keepAlive = setInterval(() => {}, 1000);
}
const open = process.cpuUsage(openStart);
await sleep(settleS * 1000);
const collections = { major: 0, minor: 0 };
const observer = new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    const kind = (entry as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind;
    if (kind === constants.NODE_PERFORMANCE_GC_MAJOR) collections.major += 1;
    else collections.minor += 1;
  }
});
observer.observe({ entryTypes: ["gc"] });
const before = process.cpuUsage();
const t0 = performance.now();
await sleep(windowS * 1000);
const cpu = process.cpuUsage(before);
const wallS = (performance.now() - t0) / 1000;
observer.disconnect();
const samples = tracker?.introspect().samples ?? 0;
const memory = process.memoryUsage();
const result = tracker === null ? null : await tracker.stop();
if (keepAlive !== null) clearInterval(keepAlive);
process.stdout.write(
  `${JSON.stringify({
    mode: `${mode}${warm ? " (warm)" : ""}`,
    wallS,
    cpuUs: cpu.user + cpu.system,
    openCpuUs: open.user + open.system,
    rssBytes: memory.rss,
    heapUsedBytes: memory.heapUsed,
    samples,
    collections,
    devices: result?.components.flatMap((c) => c.devices.map((d) => `${d.id} (${d.basis})`)) ?? [],
  })}\n`,
);
