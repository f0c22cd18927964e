/**
 * Run by `nvml-hang.test.ts` as a process of its own, whose end is what is tested: a meter over
 * the fake NVML library (FAKE_NVML_LIBRARY, scripted by FAKE_NVML_SCRIPT) in which a call
 * hangs for minutes (the script says which: at init, at detect, in a sample, or listing
 * processes, which LIST_PROCESSES=1 asks for before the sample). HUNG_END how
 * the program ends ("natural": it returns, with exit code 3; "exit": `process.exit(5)`).
 * Prints one JSON line of what it saw; an `exit` listener registered after the hang prints
 * "later exit listener ran" when it runs.
 */
import { hungCallStats, NvmlSource, openPowerMeter } from "../../src/index.ts";

const library = process.env.FAKE_NVML_LIBRARY ?? "";
// Two seconds, not 300 ms: in a loaded CI run, this cold process's healthy calls at detect
// (the read thread starting, the library loading) outlived 300 ms, and the GPU was skipped
// before the hung call was reached. The hung call outlives any deadline.
const DEADLINE_MS = 2000;
const source = new NvmlSource({ library, cudaVisibleDevices: null, initTimeoutMs: DEADLINE_MS });
const opened = await openPowerMeter({
  inject: { sources: [source] },
  fallback: "none",
  readDeadlineMs: DEADLINE_MS,
});
const seen: { skipped: string[]; problems: string[]; listed?: string[] } = {
  skipped: [],
  problems: [],
};
if (opened.ok) {
  const meter = opened.value;
  if (process.env.LIST_PROCESSES === "1") {
    seen.listed = (await meter.gpuProcesses()).map((list) => list.problem?.kind ?? "listed");
  }
  const reading = await meter.sample();
  seen.problems = reading.problems.map((p) => p.kind);
  await meter.close();
} else seen.skipped = [opened.error.kind];
console.log(JSON.stringify({ ...seen, hung: hungCallStats() }));
process.on("exit", (code) => console.log(`later exit listener ran with ${code}`));
if (process.env.HUNG_END === "exit") process.exit(5);
process.exitCode = 3;
