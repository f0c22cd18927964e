// Run by src/writer/log-writer.test.ts under `ulimit -f 0` (SIGXFSZ ignored): the logs'
// opening lines cannot be written; says what startLogs answered and what the folder holds.
import { readdirSync } from "node:fs";
import { startLogs } from "../src/writer/log-writer.ts";

const dir = process.argv[2] as string;
const started = startLogs({
  logDir: dir,
  pid: 1,
  loggerId: 2,
  components: [{ name: "gpu", devices: ["g"] }],
});
console.log(
  JSON.stringify({
    started: started.ok ? "ok" : started.error.kind,
    files: readdirSync(dir),
  }),
);
