/**
 * The measured path's overhead, and what a measurement in the background costs the estimate
 * path. `pnpm --filter @wattprint/bus-node bench:measure` (no network: no namespace needed).
 *
 * 1. A measured window of S seconds: the wall time of `measure()` minus S, split into the
 *    tracker's setup (before the window) and the window's overrun (the tracker's window
 *    minus S: the IPC round trip, the last forward pass, the final power sample). The model
 *    load is reported apart (first call only).
 * 2. The estimate path's handler, p50/p99 over many tasks, alone and while a measurement
 *    window runs in the runner process.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { ModelMeasurer } from "@wattprint/measure";
import { type MLModelImpl, writeExtraData } from "@wattprint/messages";
import { carbonFootprintNode, defaultCarbonNodeSettings, taskParts } from "@wattprint/node";
import { writeTestOnnxModel } from "@wattprint/testkit";

const WINDOWS_S = [0.5, 1, 2];
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const ESTIMATE_TASKS = Number(process.env.BENCH_TASKS ?? 20_000);

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

const ms = (value: number) => value.toFixed(1);

const dir = await mkdtemp(join(tmpdir(), "wattprint-measure-bench-"));
const model = await writeTestOnnxModel(dir, "tiny-mlp.onnx", "matmul-relu", 64);
const opened = await ModelMeasurer.open({
  tracker: { simCpu: "Bench CPU", simCpuTdp: 65, simCpuUtil: 1 },
});
if (!opened.ok) throw new Error(opened.error.message);
const measurer = opened.value;

try {
  const first = await measurer.measure({ modelFile: model, windowS: 0.1 });
  if (!first.ok) throw new Error(first.error.message);
  console.log(
    `model load (runner start, session, feeds, warm-up pass; not in any window): ${ms(first.value.loadS * 1000)} ms`,
  );
  console.log(
    "window S | runs | measure() - S, ms (median, max) | window overrun, ms (median, max) | setup, ms (median)",
  );
  for (const windowS of WINDOWS_S) {
    const overheads: number[] = [];
    const overruns: number[] = [];
    const setups: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const started = performance.now();
      const measured = await measurer.measure({ modelFile: model, windowS });
      const wallS = (performance.now() - started) / 1000;
      if (!measured.ok) throw new Error(measured.error.message);
      overheads.push((wallS - windowS) * 1000);
      overruns.push((measured.value.windowS - windowS) * 1000);
      setups.push(measured.value.setupS * 1000);
    }
    for (const list of [overheads, overruns, setups]) list.sort((a, b) => a - b);
    console.log(
      `${windowS} s | ${RUNS} | ${ms(quantile(overheads, 0.5))}, ${ms(overheads.at(-1) ?? Number.NaN)} | ${ms(quantile(overruns, 0.5))}, ${ms(overruns.at(-1) ?? Number.NaN)} | ${ms(quantile(setups, 0.5))}`,
    );
  }

  // The estimate path: the carbon definition's handler on one task shape, as the bus node runs it.
  const definition = carbonFootprintNode(defaultCarbonNodeSettings());
  const parts = taskParts({ problem_id: 1, iteration_id: 1 });
  const inputs = {
    model: parts.model satisfies MLModelImpl,
    userInput: { ...parts.userInput, extra_data: writeExtraData({ num_outputs: 1 }) },
    hw: parts.hw,
  };
  const estimateLatencies = async (label: string) => {
    const latencies: number[] = [];
    const cpuBefore = process.cpuUsage();
    for (let i = 0; i < ESTIMATE_TASKS; i++) {
      const started = performance.now();
      await definition.handleTask(inputs, { problem_id: 1, iteration_id: i + 1 });
      latencies.push((performance.now() - started) * 1000);
      // Yield now and then, as a bus would between tasks, so the background work interleaves.
      if (i % 100 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    const cpu = process.cpuUsage(cpuBefore);
    latencies.sort((a, b) => a - b);
    console.log(
      `estimate handler ${label}: p50 ${quantile(latencies, 0.5).toFixed(1)} us, p99 ${quantile(latencies, 0.99).toFixed(1)} us, CPU ${((cpu.user + cpu.system) / ESTIMATE_TASKS).toFixed(1)} us/task (${ESTIMATE_TASKS} tasks)`,
    );
  };
  await estimateLatencies("alone (warm-up)");
  await estimateLatencies("alone");
  const background = measurer.measure({ modelFile: model, windowS: 30 });
  await new Promise((resolve) => setTimeout(resolve, 200));
  await estimateLatencies("while a window runs in the runner process");
  const done = await background;
  if (!done.ok) throw new Error(done.error.message);
} finally {
  await measurer.close();
  await rm(dir, { recursive: true, force: true });
}
