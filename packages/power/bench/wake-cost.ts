/**
 * What waking a second thread costs at 1 Hz, thread by thread: the floor under every reader
 * that runs on the read thread (NVML, amdgpu). Three child processes run side by side, so that
 * they share the machine's load, for BENCH_WAKE_TICKS ticks (default 30) of a 1 Hz timer:
 * - `timer`: the main thread's timer alone;
 * - `notify`: each tick wakes a sleeping worker with `Atomics.notify`; the worker reads a
 *   32-byte file with `readSync` and stores the result in shared memory, answering nothing;
 * - `reply`: the same, and the worker answers with one empty `postMessage`, as the read
 *   thread does.
 * Each thread's CPU comes from `/proc/self/task/<tid>/schedstat` (nanoseconds on the CPU,
 * Linux only), so the worker's cost is told apart from the main thread's and from V8's
 * helper threads, whose collections make the whole process's figure move by hundreds of µs.
 * Run: `node --import tsx bench/wake-cost.ts` in packages/power.
 */
import { execFile } from "node:child_process";
import {
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";

const MODES = ["timer", "notify", "reply"] as const;
type Mode = (typeof MODES)[number];
const TICKS = Number(process.env.BENCH_WAKE_TICKS ?? 30);
const INTERVAL_MS = 1000;
/** Shared memory: [0] the round asked for, [1] the round done, [2] the worker's thread id. */
const ASKED = 0;
const DONE = 1;
const WORKER_TID = 2;

interface ChildFigures {
  readonly mode: Mode;
  readonly ticks: number;
  readonly mainUs: number;
  readonly workerUs: number;
  readonly otherUs: number;
}

const WORKER_SOURCE = `
const { workerData, parentPort } = require("node:worker_threads");
const { openSync, readSync, readlinkSync } = require("node:fs");
const shared = new Int32Array(workerData.shared);
shared[${WORKER_TID}] = Number(readlinkSync("/proc/thread-self").split("/")[2]);
const fd = openSync(workerData.file, "r");
const buffer = Buffer.alloc(32);
let seen = 0;
for (;;) {
  Atomics.wait(shared, ${ASKED}, seen);
  seen = Atomics.load(shared, ${ASKED});
  readSync(fd, buffer, 0, 32, 0);
  Atomics.store(shared, ${DONE}, seen);
  if (workerData.reply) parentPort.postMessage(null);
}
`;

/** Nanoseconds on the CPU of each of this process's threads, by thread id. */
function threadCpuNs(): Map<number, number> {
  const byThread = new Map<number, number>();
  for (const tid of readdirSync("/proc/self/task")) {
    try {
      const fields = readFileSync(`/proc/self/task/${tid}/schedstat`, "utf8").split(" ");
      byThread.set(Number(tid), Number(fields[0]));
    } catch {
      // A thread that ended between the listing and the read.
    }
  }
  return byThread;
}

async function child(mode: Mode, file: string): Promise<ChildFigures> {
  const shared = new Int32Array(new SharedArrayBuffer(16));
  let worker: Worker | undefined;
  if (mode !== "timer") {
    worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { shared: shared.buffer, file, reply: mode === "reply" },
    });
    worker.on("message", () => {});
    worker.unref();
  }
  // Let start-up settle (the worker's first run, module loading) before the window.
  await new Promise((resolve) => setTimeout(resolve, 3000));
  const mainTid = Number(readlinkSync("/proc/thread-self").split("/")[2]);
  const before = threadCpuNs();
  let ticks = 0;
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      ticks++;
      if (worker !== undefined) {
        Atomics.store(shared, ASKED, ticks);
        Atomics.notify(shared, ASKED);
      }
      if (ticks >= TICKS) {
        clearInterval(timer);
        // The last round's wake and read land inside the window.
        setTimeout(resolve, 50);
      }
    }, INTERVAL_MS);
  });
  const after = threadCpuNs();
  const workerTid = shared[WORKER_TID];
  let mainNs = 0;
  let workerNs = 0;
  let otherNs = 0;
  for (const [tid, ns] of after) {
    const spent = ns - (before.get(tid) ?? 0);
    if (tid === mainTid) mainNs += spent;
    else if (tid === workerTid) workerNs += spent;
    else otherNs += spent;
  }
  const perTickUs = (ns: number): number => Math.round(ns / 1000 / ticks);
  return {
    mode,
    ticks,
    mainUs: perTickUs(mainNs),
    workerUs: perTickUs(workerNs),
    otherUs: perTickUs(otherNs),
  };
}

function runChild(mode: Mode, file: string): Promise<ChildFigures> {
  const script = fileURLToPath(import.meta.url);
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [...process.execArgv, script, mode, file],
      { timeout: (TICKS + 30) * 1000 },
      (error, stdout) => {
        if (error !== null) reject(error);
        else resolve(JSON.parse(stdout) as ChildFigures);
      },
    );
  });
}

const [mode, file] = process.argv.slice(2);
if (mode !== undefined && file !== undefined) {
  const figures = await child(mode as Mode, file);
  process.stdout.write(`${JSON.stringify(figures)}\n`);
  process.exit(0);
} else {
  const dir = mkdtempSync(join(tmpdir(), "wattprint-wake-"));
  const value = join(dir, "energy_uj");
  writeFileSync(value, "123456789\n");
  try {
    const load = loadavg()[0]?.toFixed(2);
    const rows = await Promise.all(MODES.map((each) => runChild(each, value)));
    console.log(
      `Thread CPU per 1 Hz tick over ${TICKS} ticks, µs (schedstat; load average ${load} at start):\n`,
    );
    console.log("| what | main thread | worker | other threads |");
    console.log("| --- | ---: | ---: | ---: |");
    const labels: Record<Mode, string> = {
      timer: "empty 1 Hz timer",
      notify: "timer + wake the worker (`Atomics.notify`), one `readSync`, no answer",
      reply: "timer + wake the worker, one `readSync`, an empty `postMessage` back",
    };
    for (const row of rows) {
      console.log(`| ${labels[row.mode]} | ${row.mainUs} | ${row.workerUs} | ${row.otherUs} |`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
