/**
 * What sampling costs. Part 1: one sample of each reader and of a meter over all of them, on
 * fake sysfs trees and the fake NVML library, by both paths: `sample()` (a new reading per
 * sample) and the allocation-free one (a source's `read`, the meter's `sampleInto`), as wall
 * and CPU time per sample and heap bytes allocated per sample. Part 2: a meter sampling at
 * 1 Hz for 60 s, as process CPU time of child processes run side by side with one that only
 * runs an empty 1 Hz timer (same modules, same open meter), repeated; the target is at most
 * 0.02 % of one core, about 200 µs per sample.
 * Run: `pnpm --filter @wattprint/power bench` (BENCH_METER_S shortens part 2, BENCH_REPEATS
 * sets its repetitions, BENCH_PART=1 or 2 runs one part).
 */
import { execFile } from "node:child_process";
import { loadavg } from "node:os";
import { PerformanceObserver } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { type FrameCallback, openPowerMeter, type PowerSource } from "../src/index.ts";
import { benchMachine } from "./fixtures.ts";
import { median } from "./median.ts";

const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 2000);
/** Samples in the heap window, tried in turn until one has no collection in it. */
const ALLOCATION_WINDOWS = [3000, 1000, 300, 100, 100];
const METER_S = Number(process.env.BENCH_METER_S ?? 60);
const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);
const PART = process.env.BENCH_PART ?? "all";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

let gcDuringWindow = 0;
new PerformanceObserver((list) => {
  gcDuringWindow += list.getEntries().length;
}).observe({ entryTypes: ["gc"] });

/** One step of a benchmark loop: start a sample and call `done` when it is back (maybe at once). */
type Step = (done: () => void) => void;

/**
 * Runs `step` `n` times back to back without a promise per step (the loop must not allocate
 * what it measures); a step that answers synchronously continues in the same loop, not deeper
 * in the stack.
 */
function chain(n: number, step: Step): Promise<void> {
  return new Promise((resolve) => {
    let i = 0;
    let looping = false;
    let answered = false;
    const loop = (): void => {
      looping = true;
      while (i < n) {
        answered = false;
        step(done);
        if (!answered) {
          looping = false;
          return;
        }
      }
      looping = false;
      resolve();
    };
    const done = (): void => {
      i++;
      if (looping) answered = true;
      else loop();
    };
    loop();
  });
}

/** A promise-returning sample as a step (the promise is part of what `sample()` costs). */
function promised(sample: () => Promise<unknown>): Step {
  return (done) => {
    void sample().then(done);
  };
}

interface Figures {
  wallUs: number;
  cpuUs: number;
  bytes: number;
}

async function measure(step: Step): Promise<Figures> {
  await chain(200, step);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await chain(SAMPLES, step);
  const wallUs = ((performance.now() - t0) * 1000) / SAMPLES;
  const cpu = process.cpuUsage(cpu0);
  const cpuUs = (cpu.user + cpu.system) / SAMPLES;
  // Bytes: the heap grown over a window with no collection in it; the window shrinks until
  // none runs (a sample that allocates kilobytes fills the young generation in a few thousand).
  let bytes = Number.NaN;
  for (const window of ALLOCATION_WINDOWS) {
    gc();
    // The observer hears of the forced collection a little later: let it, then start counting.
    await new Promise((resolve) => setTimeout(resolve, 20));
    gcDuringWindow = 0;
    const before = process.memoryUsage().heapUsed;
    await chain(window, step);
    const after = process.memoryUsage().heapUsed;
    await new Promise((resolve) => setImmediate(resolve));
    if (gcDuringWindow === 0) {
      bytes = (after - before) / window;
      break;
    }
  }
  return { wallUs, cpuUs, bytes };
}

const rows: string[] = [];
const row = (name: string, f: Figures) =>
  rows.push(
    `| ${name} | ${f.wallUs.toFixed(1)} | ${f.cpuUs.toFixed(1)} | ${Number.isNaN(f.bytes) ? "n/a" : f.bytes.toFixed(0)} |`,
  );

/** A row for `sampleInto` on a meter over RAPL alone, `how` saying how its tree is read. */
async function sampleIntoRow(how: string, rapl: PowerSource): Promise<void> {
  const opened = await openPowerMeter({ inject: { sources: [rapl] }, fallback: "none" });
  if (!opened.ok) throw new Error(opened.error.message);
  const meter = opened.value;
  const reading = meter.createReading();
  row(
    `PowerMeter over rapl (${meter.devices.length} devices)${how}: sampleInto()`,
    await measure((done) => meter.sampleInto(reading, done)),
  );
  await meter.close();
}

async function partOne(): Promise<void> {
  const machine = await benchMachine();
  const makers: Record<string, () => PowerSource> = {
    "rapl (5 zones)": machine.rapl,
    "nvml (2 GPUs, energy counter)": machine.nvml,
    "amdgpu (2 cards)": machine.amdgpu,
    "model (CPU load from /proc/stat, plus DRAM)": machine.model,
  };
  const all: PowerSource[] = [];
  for (const [name, make] of Object.entries(makers)) {
    const source = make();
    await source.detect();
    row(`${name}: sample()`, await measure(promised(() => source.sample())));
    const read = source.read?.bind(source);
    if (read !== undefined) {
      const step: Step = (done) => read(done as FrameCallback);
      row(`${name}: read()`, await measure(step));
    }
    all.push(source);
  }
  row(
    "all four readers in parallel: sample()",
    await measure(promised(() => Promise.all(all.map((s) => s.sample())))),
  );
  for (const source of all) source.close();

  const opened = await openPowerMeter({
    inject: { sources: [machine.rapl(), machine.nvml(), machine.amdgpu()] },
    fallback: "none",
  });
  if (!opened.ok) throw new Error(opened.error.message);
  const meter = opened.value;
  const n = meter.devices.length;
  row(
    `PowerMeter over rapl + nvml + amdgpu (${n} devices): sample()`,
    await measure(promised(() => meter.sample())),
  );
  const reading = meter.createReading();
  row(
    `PowerMeter over rapl + nvml + amdgpu (${n} devices): sampleInto()`,
    await measure((done) => meter.sampleInto(reading, done)),
  );
  await meter.close();

  await sampleIntoRow("", machine.rapl());
  await sampleIntoRow(" read as on sysfs (no stat checks)", machine.raplAsOnSysfs());
  await machine.dispose();

  console.log(
    `Cost of one sample, ${SAMPLES} samples each (mean per sample); heap over up to ${ALLOCATION_WINDOWS[0]}:\n`,
  );
  console.log("| what | wall µs | CPU µs | heap bytes allocated |");
  console.log("| --- | ---: | ---: | ---: |");
  console.log(rows.join("\n"));
}

interface ChildResult {
  mode: string;
  cpuUs: number;
  wallS: number;
  samples: number;
  windowUs: number;
  heapBytes: number | null;
  devices: number;
}

const CHILD = fileURLToPath(new URL("./one-hertz.ts", import.meta.url));
/**
 * An older copy of this package to measure beside this one (its `sample()` path), with this
 * `bench/one-hertz.ts` and `bench/fixtures.ts` copied in; see the README's "Performance".
 */
const BEFORE = process.env.BENCH_BEFORE;

function child(mode: string): Promise<ChildResult> {
  const before = mode.startsWith("before:");
  const script = before ? `${BEFORE}/bench/one-hertz.ts` : CHILD;
  return new Promise((resolve, reject) =>
    execFile(
      process.execPath,
      [...process.execArgv, script, before ? mode.slice(7) : mode, String(METER_S)],
      { timeout: (METER_S + 120) * 1000 },
      (error, stdout) => {
        if (error) reject(error);
        else {
          const result = JSON.parse(stdout.trim().split("\n").at(-1) ?? "{}") as ChildResult;
          resolve({ ...result, mode });
        }
      },
    ),
  );
}

async function partTwo(): Promise<void> {
  const modes = [
    "empty",
    "sampleInto",
    "sample",
    "rapl-sampleInto",
    "rapl-sample",
    "sysrapl-sampleInto",
    "sim-sampleInto",
    "sim-sample",
  ];
  if (BEFORE !== undefined) modes.push("before:sample", "before:rapl-sample", "before:sim-sample");
  const extra: Record<string, number[]> = {};
  const raw: Record<string, number[]> = {};
  const heap: Record<string, number[]> = {};
  const windows: Record<string, number[]> = {};
  const push = (table: Record<string, number[]>, mode: string, value: number): void => {
    const list = table[mode] ?? [];
    list.push(value);
    table[mode] = list;
  };
  for (let r = 0; r < REPEATS; r++) {
    const load = loadavg()[0]?.toFixed(2);
    // Side by side: every child sees the same load, and the difference is the sampling.
    const results = await Promise.all(modes.map(child));
    const empty = results[0] as ChildResult;
    const line = results.map((c) => `${c.mode} ${(c.cpuUs / c.wallS).toFixed(0)} µs/s`).join(", ");
    console.error(`repeat ${r + 1}/${REPEATS} (load ${load}): ${line}`);
    for (const c of results) {
      push(raw, c.mode, c.cpuUs / c.wallS);
      // The empty timer's window is the two clock readings alone: take it off.
      push(windows, c.mode, (c.windowUs - empty.windowUs) / Math.max(1, c.samples));
      if (c.heapBytes !== null && empty.heapBytes !== null && c.mode !== "empty")
        push(heap, c.mode, (c.heapBytes - empty.heapBytes) / Math.max(1, c.samples));
      if (c.mode !== "empty") {
        const perSample = (c.cpuUs / c.wallS - empty.cpuUs / empty.wallS) * (c.wallS / c.samples);
        push(extra, c.mode, perSample);
      }
    }
  }
  console.log(
    `\n1 Hz for ${METER_S} s, process CPU time, ${REPEATS} repeats side by side (median), load ${loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")}:\n`,
  );
  console.log(
    "| run | process CPU µs per s | process CPU above the empty timer, µs per sample (each repeat) | CPU inside the sampling window, µs per sample (each repeat) | % of one core (window) | heap B per sample above the empty timer |",
  );
  console.log("| --- | ---: | ---: | ---: | ---: | ---: |");
  for (const mode of modes) {
    const perS = median(raw[mode] ?? []);
    if (mode === "empty") {
      console.log(`| empty 1 Hz timer, meter open (the floor) | ${perS.toFixed(0)} | | | | |`);
      continue;
    }
    const above = median(extra[mode] ?? []);
    const each = (list: number[] | undefined) => (list ?? []).map((v) => v.toFixed(0)).join(", ");
    const inWindow = median(windows[mode] ?? []);
    console.log(
      `| ${mode} | ${perS.toFixed(0)} | ${above.toFixed(0)} (${each(extra[mode])}) | ${inWindow.toFixed(0)} (${each(windows[mode])}) | ${(inWindow / 1e4).toFixed(4)} | ${heap[mode] === undefined ? "n/a" : median(heap[mode]).toFixed(0)} |`,
    );
  }
}

if (PART === "all" || PART === "1") await partOne();
if (PART === "all" || PART === "2") await partTwo();
