/**
 * What tracking costs: the tracker sampling at 1 Hz for 30 s (BENCH_S) on the model fallback
 * and on simulated devices, each in its own process beside an idle Node process with a 1 Hz
 * empty timer. Reports CPU time above the idle process as a share of one core (target: at
 * most 0.02 %) and each process's RSS (target: under 73 MB, carbontracker's with simulated
 * devices). The five run at once, so a loaded machine loads them alike, BENCH_REPEATS times
 * (default 3); the table gives each repeat's figure and their median, and the collections
 * that fell in each window.
 * Run: `pnpm --filter @wattprint/tracker bench`.
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

interface Figures {
  mode: string;
  wallS: number;
  cpuUs: number;
  openCpuUs: number;
  rssBytes: number;
  heapUsedBytes: number;
  samples: number;
  collections: { major: number; minor: number };
  devices: string[];
}

const child = fileURLToPath(new URL("./child.js", import.meta.url));

function run(mode: string, warm = false): Promise<Figures> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [child, mode, warm ? "warm" : "cold"], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    proc.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString("utf8");
    });
    proc.on("error", reject);
    proc.on("close", (code) => {
      if (code !== 0) reject(new Error(`${mode}: exit ${code}`));
      else resolve(JSON.parse(out.trim().split("\n").at(-1) ?? "{}") as Figures);
    });
  });
}

const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);
const CONFIGS = [
  ["model", false],
  ["sim", false],
  ["model", true],
  ["sim", true],
] as const;

const repeats: { idle: Figures; runs: Figures[] }[] = [];
for (let r = 0; r < REPEATS; r++) {
  const [idle, ...runs] = await Promise.all([
    run("idle"),
    ...CONFIGS.map(([mode, warm]) => run(mode, warm)),
  ]);
  if (idle === undefined) throw new Error("the idle process gave no figures");
  repeats.push({ idle, runs });
}

const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? Number.NaN)
    : ((sorted[middle - 1] ?? Number.NaN) + (sorted[middle] ?? Number.NaN)) / 2;
};
const gcs = (f: Figures) => `${f.collections.major}/${f.collections.minor}`;
for (const [r, { idle }] of repeats.entries()) {
  console.log(
    `repeat ${r + 1}: window ${idle.wallS.toFixed(1)} s, idle Node ${(idle.cpuUs / 1000).toFixed(1)} ms CPU, collections (major/minor) ${gcs(idle)}, RSS ${mb(idle.rssBytes)} MB`,
  );
}
console.log(
  "| Devices | Samples | CPU above idle, each repeat (% of one core) | median | collections in the window (major/minor) | RSS (MB) | Opening CPU (ms) |",
);
console.log("| --- | --- | --- | --- | --- | --- | --- |");
for (const [c, [mode, warm]] of CONFIGS.entries()) {
  const rows = repeats.map(({ idle, runs }) => ({ idle, f: runs[c] as Figures }));
  const shares = rows.map(({ idle, f }) => ((f.cpuUs - idle.cpuUs) / 1e6 / f.wallS) * 100);
  const first = rows[0]?.f;
  const label = `${mode === "sim" ? "simulated" : "model fallback"}${warm ? " (warm)" : ""}`;
  console.log(
    `| ${label}: ${first?.devices.join(", ") ?? ""} | ${first?.samples ?? 0} | ${shares.map((v) => v.toFixed(4)).join(", ")} | ${median(shares).toFixed(4)} | ${rows.map(({ f }) => gcs(f)).join(", ")} | ${rows.map(({ f }) => mb(f.rssBytes)).join(", ")} | ${rows.map(({ f }) => (f.openCpuUs / 1000).toFixed(0)).join(", ")} |`,
  );
}
