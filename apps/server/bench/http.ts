// HTTP bench on loopback (pnpm --filter @wattprint/server bench): POST /v1/estimate beside a
// bare Fastify handler returning a constant, in the same run and on the same request body;
// then POST /v1/runs on PGlite and on a PostgreSQL server this script starts (root only).
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import autocannon from "autocannon";
import {
  type PostgresServer,
  postgresUnavailable,
  startPostgres,
} from "../test/support/postgres-server.test-support.ts";
import { runResult } from "../test/support/runs.test-support.ts";
import { ESTIMATE_REQUEST } from "./bodies.ts";

const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
// The estimate and the bare handlers are loaded in turns, this many rounds, and compared
// within each round: this VM's speed drifts by half from one minute to the next, and a
// ratio of loads taken minutes apart measured the drift as much as the route.
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

interface Urls {
  readonly bareUrl: string;
  readonly appUrl: string;
  readonly loggedUrl: string;
  readonly postgresUrl?: string;
}

async function startServers(env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; urls: Urls }> {
  const child = spawn(
    process.execPath,
    // The packages as published (their built dist/), not their TypeScript through tsx, whose
    // name-keeping wrappers cost the estimate about a tenth of its time.
    ["--import", "tsx", "bench/servers.ts"],
    {
      env,
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  const lines = createInterface({ input: child.stdout ?? process.stdin });
  for await (const line of lines) return { child, urls: JSON.parse(line) as Urls };
  throw new Error("the bench servers exited before printing their URLs");
}

/** CPU seconds (user + system) the servers' process has used, from /proc (Linux). */
function processCpuS(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
    // utime and stime are fields 14 and 15 of stat(5); here offset by the two cut off.
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_S;
  } catch {
    return Number.NaN;
  }
}
const CLOCK_TICKS_PER_S = 100;
let serverPid: number | undefined;

interface Figures {
  readonly name: string;
  /** Server CPU time per answered request: steadier than req/s on a loaded machine. */
  readonly cpuUsPerRequest: number;
  readonly requestsPerS: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly non2xx: number;
  readonly errors: number;
}

async function load(
  name: string,
  url: string,
  body: string,
  durationS = DURATION_S,
): Promise<Figures> {
  const cpuBefore = processCpuS(serverPid);
  const result = await autocannon({
    url,
    method: "POST",
    headers: { "content-type": "application/json" },
    body,
    connections: CONNECTIONS,
    duration: durationS,
  });
  const cpuS = processCpuS(serverPid) - cpuBefore;
  return {
    name,
    cpuUsPerRequest: Math.round((cpuS * 1e6) / Math.max(1, result.requests.total)),
    requestsPerS: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** One row for a load run in rounds: medians, and the worst round's p99. */
function summarise(rounds: readonly Figures[]): Figures {
  const first = rounds[0] as Figures;
  return {
    name: first.name,
    cpuUsPerRequest: Math.round(median(rounds.map((f) => f.cpuUsPerRequest))),
    requestsPerS: Math.round(median(rounds.map((f) => f.requestsPerS))),
    p50Ms: median(rounds.map((f) => f.p50Ms)),
    p99Ms: Math.max(...rounds.map((f) => f.p99Ms)),
    non2xx: rounds.reduce((sum, f) => sum + f.non2xx, 0),
    errors: rounds.reduce((sum, f) => sum + f.errors, 0),
  };
}

const estimate = JSON.stringify(ESTIMATE_REQUEST);
const run = JSON.stringify({
  project: "bench",
  tags: ["bench"],
  result: runResult("2026-06-01T00:00:00Z", 1, 1.2, 170),
});

let postgres: PostgresServer | undefined;
const unavailable = postgresUnavailable();
if (unavailable === undefined) postgres = await startPostgres();
const { child, urls } = await startServers({
  ...process.env,
  ...(postgres ? { BENCH_DATABASE_URL: postgres.url } : {}),
});
serverPid = child.pid;
try {
  // Warm-up: V8 compiles the paths before the measured runs.
  await load("warm-up bare", `${urls.bareUrl}/`, estimate, 2);
  await load("warm-up estimate", `${urls.appUrl}/v1/estimate`, estimate, 3);
  await load("warm-up logged estimate", `${urls.loggedUrl}/v1/estimate`, estimate, 2);
  const turns: readonly (readonly [string, string])[] = [
    ["bare Fastify, constant", `${urls.bareUrl}/`],
    ["bare Fastify, the estimate's document as a constant", `${urls.bareUrl}/report`],
    ["POST /v1/estimate", `${urls.appUrl}/v1/estimate`],
    ["POST /v1/estimate, request logs at info (the default)", `${urls.loggedUrl}/v1/estimate`],
  ];
  const rounds: Figures[][] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const figures: Figures[] = [];
    // Each round starts one load later, so no load always runs first or last.
    for (let i = 0; i < turns.length; i++) {
      const index = (i + round) % turns.length;
      const [name, url] = turns[index] as readonly [string, string];
      figures[index] = await load(name, url, estimate);
    }
    rounds.push(figures);
  }
  const of = (index: number) => rounds.map((figures) => figures[index] as Figures);
  const [bare, bareReport, app, logged] = [0, 1, 2, 3].map((index) => summarise(of(index)));
  const runsPglite = await load("POST /v1/runs (PGlite)", `${urls.appUrl}/v1/runs`, run);
  const runsPostgres =
    urls.postgresUrl === undefined
      ? undefined
      : await load("POST /v1/runs (PostgreSQL 15)", `${urls.postgresUrl}/v1/runs`, run);
  const rows = [
    bare,
    bareReport,
    app,
    logged,
    runsPglite,
    ...(runsPostgres ? [runsPostgres] : []),
  ] as Figures[];
  process.stdout.write(
    `autocannon: ${CONNECTIONS} connections, loopback; the first four loads in ${ROUNDS} rounds of ${DURATION_S} s each (medians; p99 the worst round), the runs ${DURATION_S} s\n\n`,
  );
  process.stdout.write(
    "| load | req/s | p50 ms | p99 ms | server CPU µs/request | non-2xx | errors |\n|---|---:|---:|---:|---:|---:|---:|\n",
  );
  for (const row of rows) {
    process.stdout.write(
      `| ${row.name} | ${row.requestsPerS} | ${row.p50Ms} | ${row.p99Ms} | ${row.cpuUsPerRequest} | ${row.non2xx} | ${row.errors} |\n`,
    );
  }
  /** The estimate against a bare load, round by round: the medians and each round's share. */
  const share = (bareIndex: number) => {
    const byRate = rounds.map(
      (figures) =>
        (figures[2] as Figures).requestsPerS / (figures[bareIndex] as Figures).requestsPerS,
    );
    const byCpu = rounds.map(
      (figures) =>
        (figures[bareIndex] as Figures).cpuUsPerRequest / (figures[2] as Figures).cpuUsPerRequest,
    );
    const percent = (value: number) => `${(value * 100).toFixed(0)}%`;
    return `${percent(median(byRate))} of req/s (rounds: ${byRate.map(percent).join(" ")}), ${percent(median(byCpu))} by server CPU per request (rounds: ${byCpu.map(percent).join(" ")})`;
  };
  process.stdout.write(
    `\nestimate / bare: ${share(0)} (target >= 70%); estimate p99 ${app?.p99Ms} ms (target < 10 ms)\n`,
  );
  process.stdout.write(`estimate / bare sending the same document: ${share(1)}\n`);
  if (unavailable !== undefined) process.stdout.write(`PostgreSQL not measured: ${unavailable}\n`);
} finally {
  child.kill("SIGTERM");
  await postgres?.stop();
}
