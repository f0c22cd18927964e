/**
 * What tracking costs: the tracker sampling at 1 Hz for 30 s (BENCH_S) on the model fallback
 * and on simulated devices, each in its own process beside an idle Node process with a 1 Hz
 * empty timer. Reports CPU time above the idle process as a share of one core (target: at
 * most 0.02 %) and each process's RSS (target: under 73 MB, carbontracker's with simulated
 * devices). The three run at once, so a loaded machine loads them alike.
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

const [idle, ...runs] = await Promise.all([
  run("idle"),
  run("model"),
  run("sim"),
  run("model", true),
  run("sim", true),
]);
const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
const share = (f: Figures) => ((f.cpuUs - idle.cpuUs) / 1e6 / f.wallS) * 100;
console.log(
  `window ${idle.wallS.toFixed(1)} s, idle Node: ${(idle.cpuUs / 1000).toFixed(1)} ms CPU, RSS ${mb(idle.rssBytes)} MB`,
);
console.log(
  "| Devices | Samples | CPU above idle (% of one core) | CPU per sample (ms) | RSS (MB) | heap (MB) | Opening CPU (ms) |",
);
console.log("| --- | --- | --- | --- | --- | --- | --- |");
for (const f of runs) {
  console.log(
    `| ${f.mode.replace(/^sim/, "simulated").replace(/^model/, "model fallback")}: ${f.devices.join(", ")} | ${f.samples} | ${share(f).toFixed(4)} | ${((f.cpuUs - idle.cpuUs) / 1000 / Math.max(1, f.samples)).toFixed(3)} | ${mb(f.rssBytes)} | ${mb(f.heapUsedBytes)} | ${(f.openCpuUs / 1000).toFixed(0)} |`,
  );
}
