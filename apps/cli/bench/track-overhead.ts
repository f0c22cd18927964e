/**
 * What `wattprint track` adds to a command's wall time (issue 13: under 150 ms for `true`).
 * Runs each command line RUNS times (BENCH_RUNS, default 20) in turn, interleaved so that a
 * burst of load elsewhere hits every line alike, and prints the median wall time, and the mean
 * and median CPU time (user + system of the finished child, from /proc/self/stat in 10 ms
 * ticks; Linux only, else "n/a"). `node -e ""` and `wattprint --help` are there to show what
 * part of the overhead is Node's own start and what part is ours. `track -- true` is the
 * issue's command as a user types it, summary printed (into /dev/null here): the CPU and
 * memory model on a machine without RAPL or NVML;
 * `--sim-cpu 10` skips the machine's readers.
 * BENCH_BASE_BIN=path/to/other/dist/main.js adds the same track lines for another build (a
 * checkout of main, say), interleaved with these: a before/after on one loaded machine.
 * Run: `pnpm --filter @wattprint/cli bench` (builds dist first).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const BIN = fileURLToPath(new URL("../dist/main.js", import.meta.url));
const logDir = mkdtempSync(join(tmpdir(), "wattprint-track-bench-"));

interface Line {
  readonly label: string;
  readonly argv: readonly string[];
}

const node = process.execPath;
const BASE_BIN = process.env.BENCH_BASE_BIN;

function trackLines(bin: string, suffix: string): Line[] {
  // Without --quiet: the issue's line prints its summary, which is part of what it costs
  // (the first Intl.NumberFormat alone was 20 ms of it until the core stopped using ICU).
  const track = [node, bin, "track", "--log-dir", logDir];
  return [
    { label: `wattprint track -- true${suffix}`, argv: [...track, "--", "true"] },
    {
      label: `wattprint track --sim-cpu 10 -- true${suffix}`,
      argv: [...track, "--sim-cpu", "10", "--", "true"],
    },
  ];
}

const LINES: readonly Line[] = [
  { label: "true", argv: ["true"] },
  { label: 'node -e ""', argv: [node, "-e", ""] },
  { label: "wattprint --help", argv: [node, BIN, "--help"] },
  ...trackLines(BIN, ""),
  ...(BASE_BIN === undefined ? [] : trackLines(BASE_BIN, " (base)")),
];

/** User + system CPU seconds of this process's waited-for children (cutime + cstime). */
function childrenCpuS(): number | undefined {
  try {
    const stat = readFileSync("/proc/self/stat", "utf8");
    // The command name may hold spaces; the fields after it start past the last ")".
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticks = Number(fields[13]) + Number(fields[14]);
    return ticks / 100; // USER_HZ is 100 on every Linux architecture Node supports
  } catch {
    return undefined;
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

const wallMs = LINES.map(() => [] as number[]);
const cpuMs = LINES.map(() => [] as number[]);
for (let run = 0; run < RUNS; run++) {
  LINES.forEach((line, i) => {
    const cpuBefore = childrenCpuS();
    const start = process.hrtime.bigint();
    const result = spawnSync(line.argv[0] as string, line.argv.slice(1), { stdio: "ignore" });
    const elapsed = Number(process.hrtime.bigint() - start) / 1e6;
    const cpuAfter = childrenCpuS();
    if (result.status !== 0) throw new Error(`${line.label} exited ${result.status}`);
    (wallMs[i] as number[]).push(elapsed);
    if (cpuBefore !== undefined && cpuAfter !== undefined)
      (cpuMs[i] as number[]).push((cpuAfter - cpuBefore) * 1000);
  });
}
rmSync(logDir, { recursive: true, force: true });

const base = median(wallMs[0] as number[]);
console.log(`${RUNS} runs each, interleaved; load average ${readLoad()}`);
console.log(`${"command".padEnd(48)} median wall    vs true  mean CPU  median CPU`);
LINES.forEach((line, i) => {
  const wall = median(wallMs[i] as number[]);
  const cpus = cpuMs[i] as number[];
  const cpu =
    cpus.length === 0
      ? "n/a".padStart(9)
      : `${(cpus.reduce((a, b) => a + b, 0) / cpus.length).toFixed(0).padStart(6)} ms ${median(cpus).toFixed(0).padStart(8)} ms`;
  console.log(
    `${line.label.padEnd(48)} ${wall.toFixed(1).padStart(8)} ms ${`+${(wall - base).toFixed(1)}`.padStart(8)} ms ${cpu}`,
  );
});

// Issue 13's line, against its target: the command as typed, less `true` alone.
const TARGET_MS = 150;
const issueLine = LINES.findIndex((line) => line.label === "wattprint track -- true");
const addedMs = median(wallMs[issueLine] as number[]) - base;
console.log(
  `\nwattprint track -- true adds ${addedMs.toFixed(1)} ms to true (target < ${TARGET_MS} ms): ` +
    `${addedMs < TARGET_MS ? "met" : "not met"} on this run`,
);

function readLoad(): string {
  try {
    return readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
  } catch {
    return "n/a";
  }
}
