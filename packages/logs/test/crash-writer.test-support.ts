/**
 * A tracker that writes epochs until it is killed: `node --import tsx <this> <logDir>`. It
 * prints `epoch N` after each record returned, so the test knows what must be on disk when
 * it sends SIGKILL.
 */
import { seconds, watts } from "@wattprint/core";
import { startLogs } from "../src/index.ts";

const logDir = process.argv[2] ?? ".";
const started = startLogs({
  logDir,
  components: [
    { name: "gpu", devices: ["NVIDIA Sim"] },
    { name: "cpu", devices: ["cpu:0"] },
  ],
});
if (!started.ok) throw new Error(started.error.message);
const writer = started.value;
console.log(`started ${writer.files.stem}`);
for (let epoch = 1; ; epoch++) {
  const written = writer.epochEnd({
    duration: seconds(0.25),
    power: { gpu: watts(200 + epoch), cpu: watts(35.5) },
  });
  if (!written.ok) throw new Error(written.error.message);
  console.log(`epoch ${epoch}`);
  // Busy for a moment, as training is, then the next epoch.
  await new Promise((resolve) => setTimeout(resolve, 2));
}
