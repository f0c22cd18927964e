/**
 * One measurement in a fresh process, so that its peak RSS is its own:
 * `node bench-dist/bench/measure.js <dir> <mode>` prints one JSON line.
 *   aggregate: scanLogDir + AggregateAccumulator, one pair at a time (directory order)
 *   aggregate-sorted: the same in name order (the names are held to sort them)
 *   parse-all: parseAllLogs, every parsed pair held in memory (carbontracker's parse_all_logs)
 */
import { AggregateAccumulator, parseAllLogs, scanLogDir } from "@wattprint/logs";

const [dir = ".", mode = "aggregate"] = process.argv.slice(2);
const started = performance.now();
const cpuStarted = process.cpuUsage();
let pairs = 0;
let energyKWh = 0;
if (mode === "parse-all") {
  const parsed = await parseAllLogs(dir);
  if (!parsed.ok) throw new Error(parsed.error.message);
  const total = new AggregateAccumulator();
  for (const pair of parsed.value.logs) total.add(pair);
  pairs = parsed.value.logs.length;
  energyKWh = total.totals().energyKWh;
} else {
  const scan = scanLogDir(dir, { order: mode === "aggregate-sorted" ? "name" : "directory" });
  if (!scan.ok) throw new Error(scan.error.message);
  const total = new AggregateAccumulator();
  for await (const pair of scan.value) total.add(pair);
  pairs = scan.value.introspect().counters.pairsParsed;
  energyKWh = total.totals().energyKWh;
}
const seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuStarted);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
// maxRSS is in kilobytes.
const peakRssMB = process.resourceUsage().maxRSS / 1024;
const memory = process.memoryUsage();
const heapTotalMB = memory.heapTotal / 1048576;
console.log(
  JSON.stringify({ mode, pairs, seconds, cpuSeconds, peakRssMB, heapTotalMB, energyKWh }),
);
