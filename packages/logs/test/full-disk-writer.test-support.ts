// Run by src/writer/log-writer.test.ts under `ulimit -f` (SIGXFSZ ignored): writes epochs
// until the file size limit fails one, then says how many of the logs' descriptors are open
// before and after end().
import { readdirSync, readlinkSync } from "node:fs";
import { join } from "node:path";
import { seconds, watts } from "@wattprint/core";
import { startLogs } from "../src/writer/log-writer.ts";

const dir = process.argv[2] as string;
const openLogs = (): number =>
  readdirSync("/proc/self/fd").filter((fd) => {
    try {
      return readlinkSync(join("/proc/self/fd", fd)).startsWith(dir);
    } catch {
      return false;
    }
  }).length;

const started = startLogs({
  logDir: dir,
  pid: 1,
  loggerId: 2,
  components: [{ name: "gpu", devices: ["g"] }],
});
if (!started.ok) throw new Error(started.error.message);
const writer = started.value;
let failed = "";
for (let i = 0; i < 100_000 && failed === ""; i++) {
  const written = writer.epochEnd({ duration: seconds(1), power: { gpu: watts(100 + i) } });
  if (!written.ok) failed = written.error.kind;
}
const before = openLogs();
const ended = writer.end();
const after = openLogs();
console.log(JSON.stringify({ failed, before, ended: ended.ok ? "ok" : ended.error.kind, after }));
