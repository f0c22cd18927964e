/**
 * `pnpm --filter @wattprint/logs bench`: writes 20,000 and 100,000 log pairs (plus their
 * error logs) into a temporary folder, then times parse + aggregate over each, three runs
 * per mode, each in a fresh Node process whose peak RSS is read from the kernel. The folders
 * are kept under $TMPDIR/wattprint-logs-bench/ for the next run (delete them to regenerate).
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { generateLogFolder } from "./generate-logs.ts";

const ROOT = join(tmpdir(), "wattprint-logs-bench");
const MEASURE = join(dirname(fileURLToPath(import.meta.url)), "measure.js");
const COUNTS = (process.env.BENCH_PAIRS ?? "20000,100000").split(",").map(Number);
const MODES = (process.env.BENCH_MODES ?? "aggregate,aggregate-sorted,parse-all").split(",");
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

interface Measurement {
  readonly mode: string;
  readonly pairs: number;
  readonly seconds: number;
  /** User + system CPU of the measuring process, from the first directory call to the total. */
  readonly cpuSeconds: number;
  readonly peakRssMB: number;
  readonly energyKWh: number;
}

function folder(pairs: number): string {
  const dir = join(ROOT, `pairs-${pairs}`);
  const done = join(dir, ".complete");
  if (existsSync(done)) return dir;
  mkdirSync(dir, { recursive: true });
  for (const name of readdirSync(dir))
    if (name.endsWith(".log")) throw new Error(`${dir} is half written: delete it`);
  const started = performance.now();
  const generated = generateLogFolder(dir, pairs, pairs);
  writeFileSync(done, JSON.stringify(generated));
  console.log(
    `generated ${pairs} pairs in ${((performance.now() - started) / 1000).toFixed(1)} s: ${dir}`,
  );
  return dir;
}

const median = (xs: number[]): number =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

console.log(`node ${process.version}, ${RUNS} runs per row, median (min-max)`);
console.log("pairs     mode               CPU seconds           wall seconds          peak RSS MB");
for (const pairs of COUNTS) {
  const dir = folder(pairs);
  for (const mode of MODES) {
    if (mode === "parse-all" && pairs > 20_000) continue; // holds every pair: not the streaming path
    const runs: Measurement[] = [];
    for (let i = 0; i < RUNS; i++) {
      const out = execFileSync(process.execPath, [MEASURE, dir, mode], { encoding: "utf8" });
      runs.push(JSON.parse(out.trim().split("\n").at(-1) ?? "{}") as Measurement);
    }
    if (runs.some((r) => r.pairs !== pairs))
      throw new Error(`${mode}: expected ${pairs} pairs, got ${runs.map((r) => r.pairs)}`);
    const spread = (xs: number[], digits: number) =>
      `${median(xs).toFixed(digits)} (${Math.min(...xs).toFixed(digits)}-${Math.max(...xs).toFixed(digits)})`;
    console.log(
      `${String(pairs).padEnd(9)} ${mode.padEnd(18)} ${spread(
        runs.map((r) => r.cpuSeconds),
        3,
      ).padEnd(21)} ${spread(
        runs.map((r) => r.seconds),
        3,
      ).padEnd(21)} ${spread(
        runs.map((r) => r.peakRssMB),
        1,
      )}`,
    );
  }
}
