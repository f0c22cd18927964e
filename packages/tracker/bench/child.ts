/**
 * One process of the tracker benchmark (bench/tracker.ts runs three at once): `idle` (a 1 Hz
 * empty timer, the baseline), `model` (the tracker on the model fallback) or `sim` (on
 * simulated devices). It imports the tracker in every mode, so all three load the same code,
 * opens it, settles, then measures its own CPU time and memory over the window.
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { CarbonTracker } from "../src/index.ts";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

const mode = process.argv[2] ?? "idle";
/** `warm`: first run a tracker at 100 Hz for 3 s, so the measured one runs JIT-compiled code, as in a long run. */
const warm = process.argv[3] === "warm";
const windowS = Number(process.env.BENCH_S ?? 30);
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
await sleep(3000);
gc();
const before = process.cpuUsage();
const t0 = performance.now();
await sleep(windowS * 1000);
const cpu = process.cpuUsage(before);
const wallS = (performance.now() - t0) / 1000;
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
    devices: result?.components.flatMap((c) => c.devices.map((d) => `${d.id} (${d.basis})`)) ?? [],
  })}\n`,
);
