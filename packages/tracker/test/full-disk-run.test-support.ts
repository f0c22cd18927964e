// Run by log-write-failures.test.ts under `ulimit -f` (SIGXFSZ ignored): a real file size
// limit, so the tracker's log writes fail with EFBIG part-way through the run. Prints what
// the run gave back as one JSON line.
import { CarbonTracker } from "../src/index.ts";

const dir = process.argv[2] as string;
const epochs = 40;
const tracker = new CarbonTracker({
  epochs,
  simCpu: "Xeon Sim",
  simCpuTdp: 100,
  simCpuUtil: 1,
  intensityGPerKWh: 100,
  logDir: dir,
  verbose: 0,
});
let rejected = 0;
let result = null;
for (let epoch = 1; epoch <= epochs; epoch++) {
  try {
    await tracker.epochStart();
    result = (await tracker.epochEnd())?.actual ?? result;
  } catch {
    rejected++;
  }
}
const stopped = await tracker.stop().catch(() => null);
const logs = tracker.warnings.filter((w) => w.kind === "logs").map((w) => w.message);
console.log(
  JSON.stringify({
    rejected,
    sameResult: stopped !== null && stopped === result,
    status: stopped?.status,
    completed: stopped?.epochs.completed,
    logs,
    resultLogs: stopped?.warnings.filter((w) => w.kind === "logs").length,
    failures: tracker.introspect().logWriteFailures,
  }),
);
