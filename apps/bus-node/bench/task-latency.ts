/**
 * Task latency and burst throughput of the carbon node, with a Fast DDS 2.9 SustainML
 * orchestrator as the client: wattprint-node (TypeScript) side by side with the C++ Fast DDS
 * reference node from the testkit, in one run on one machine. Run inside a private network
 * namespace: `pnpm --filter @wattprint/bus-node bench`.
 */
import { cpus } from "node:os";
import { fileURLToPath } from "node:url";
import {
  assertInsidePrivateNetwork,
  type PeerProcess,
  startFakeCarbonNode,
  startOrchestrator,
  startProcess,
  stopAll,
} from "@wattprint/testkit";

const TASKS = Number(process.env.BENCH_TASKS ?? 1000);
const BURSTS = Number(process.env.BENCH_BURSTS ?? 10);
const NODE_BIN = fileURLToPath(new URL("../dist/main.js", import.meta.url));

interface Figures {
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  burstTasksPerS: number[];
}

function parse(orchestrator: PeerProcess): Figures {
  const latency = orchestrator.lines.find((line) => line.startsWith("LATENCY "));
  const value = (line: string | undefined, key: string) =>
    Number(new RegExp(`${key}=(\\S+)`).exec(line ?? "")?.[1]);
  const bursts = orchestrator.lines
    .filter((line) => line.startsWith("BURST "))
    .map((line) => value(line, "tasks_per_s"));
  return {
    p50Ms: value(latency, "p50_ms"),
    p99Ms: value(latency, "p99_ms"),
    maxMs: value(latency, "max_ms"),
    burstTasksPerS: bursts,
  };
}

async function measure(
  name: string,
  domain: number,
  startNode: () => Promise<PeerProcess>,
  tasks: number,
  bursts: number,
): Promise<Figures> {
  const node = await startNode();
  const orchestrator = await startOrchestrator("latency", {
    domain,
    tasks,
    bursts,
    burstSize: 50,
    taskTimeoutS: 10,
    release: true,
    // No line per task from either peer: a flushed line wakes this process, which then
    // competes with the peers for the two cores (it measured as millisecond tails).
    quiet: true,
  });
  const exit = await orchestrator.waitForExit(600_000);
  node.kill("SIGTERM");
  await node.waitForExit(15_000).catch(() => node.kill("SIGKILL"));
  if (exit.code !== 0) {
    const problems = orchestrator.lines.filter((line) => /TIMEOUT|ERROR|EXIT/.test(line));
    const nodeLog = node.lines.filter((line) => /"level":"(warn|error)"/.test(line)).slice(0, 20);
    throw new Error(
      `${name}: orchestrator failed\n${problems.slice(0, 20).join("\n")}\n${nodeLog.join("\n")}`,
    );
  }
  return parse(orchestrator);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

const startTsNode = (domain: number) => async (): Promise<PeerProcess> => {
  const node = startProcess(
    process.execPath,
    [NODE_BIN, "--domain", String(domain), "--log-level", "warn"],
    {},
  );
  // warn level keeps per-task logging out of the measurement. The node warms up (about 1 s)
  // before it joins the bus; measure the ready node, as the C++ one is measured ready.
  await new Promise((resolve) => setTimeout(resolve, 2_500));
  return node;
};

const row = (name: string, workload: string, f: Figures) =>
  `| ${name} | ${workload} | ${f.p50Ms.toFixed(3)} | ${f.p99Ms.toFixed(3)} | ${f.maxMs.toFixed(1)} | ${Math.round(median(f.burstTasksPerS))} (${f.burstTasksPerS.map(Math.round).join(", ")}) |`;

assertInsidePrivateNetwork();
try {
  // The workload: 1,000 sequential tasks, then bursts of 50.
  const full = await measure("wattprint-node", 81, startTsNode(81), TASKS, BURSTS);
  // Side by side on what SustainML's own node can serve: its writers stop at 500 instances.
  const ts = await measure("wattprint-node", 82, startTsNode(82), 400, 2);
  const cpp = await measure(
    "Fast DDS C++ node",
    83,
    () => startFakeCarbonNode({ domain: 83, waitS: 600, quiet: true }),
    400,
    2,
  );
  process.stdout.write(
    [
      `${cpus().length} CPUs (${cpus()[0]?.model ?? "?"}); node ${process.version}; ${new Date().toISOString()}`,
      "| node | workload | p50 ms | p99 ms | max ms | tasks/s in bursts of 50: median (each) |",
      "|---|---|---|---|---|---|",
      row("wattprint-node (TypeScript)", `${TASKS} sequential + ${BURSTS} bursts`, full),
      row("wattprint-node (TypeScript)", "400 sequential + 2 bursts", ts),
      row("Fast DDS 2.9 C++ node (testkit)", "400 sequential + 2 bursts", cpp),
      "",
    ].join("\n"),
  );
} finally {
  await stopAll();
}
