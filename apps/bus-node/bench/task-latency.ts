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
): Promise<Figures> {
  const node = await startNode();
  const orchestrator = await startOrchestrator("latency", {
    domain,
    tasks: TASKS,
    bursts: BURSTS,
    burstSize: 50,
    taskTimeoutS: 10,
  });
  const exit = await orchestrator.waitForExit(600_000);
  node.kill("SIGTERM");
  await node.waitForExit(15_000).catch(() => node.kill("SIGKILL"));
  if (exit.code !== 0) throw new Error(`${name}: orchestrator failed\n${orchestrator.output()}`);
  return parse(orchestrator);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

assertInsidePrivateNetwork();
try {
  const ts = await measure("wattprint-node", 81, async () => {
    const node = startProcess(
      process.execPath,
      [NODE_BIN, "--domain", "81", "--log-level", "warn"],
      {},
    );
    // warn level keeps per-task logging out of the measurement; wait for discovery instead.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    return node;
  });
  const cpp = await measure("Fast DDS C++ node", 82, async () =>
    startFakeCarbonNode({ domain: 82, waitS: 600 }),
  );
  const row = (name: string, f: Figures) =>
    `| ${name} | ${f.p50Ms.toFixed(3)} | ${f.p99Ms.toFixed(3)} | ${f.maxMs.toFixed(1)} | ${Math.round(median(f.burstTasksPerS))} |`;
  process.stdout.write(
    [
      `tasks=${TASKS} sequential, ${BURSTS} bursts of 50; ${cpus().length} CPUs (${cpus()[0]?.model ?? "?"}); node ${process.version}; ${new Date().toISOString()}`,
      "| node | p50 ms | p99 ms | max ms | burst tasks/s (median) |",
      "|---|---|---|---|---|",
      row("wattprint-node (TypeScript)", ts),
      row("Fast DDS 2.9 C++ node (testkit)", cpp),
      `bursts wattprint-node: ${ts.burstTasksPerS.map(Math.round).join(", ")}`,
      `bursts C++: ${cpp.burstTasksPerS.map(Math.round).join(", ")}`,
      "",
    ].join("\n"),
  );
} finally {
  await stopAll();
}
