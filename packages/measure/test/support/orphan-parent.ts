/**
 * A bus node in miniature for the runner's lifetime tests: starts a measurement of `model`
 * (whose forward pass does not end), says "started" once the runner is forked, then dies as
 * `how` says: "exit" exits (as on an uncaught error), "wait" waits for the test's SIGKILL.
 * Usage: orphan-parent.ts <model.onnx> <exit|wait>.
 */
import { ModelHashes } from "../../src/model-file.ts";
import { ModelRunner } from "../../src/runner/model-runner.ts";

const [model, how] = process.argv.slice(2);
if (model === undefined || (how !== "exit" && how !== "wait")) {
  throw new Error("usage: orphan-parent.ts <model.onnx> <exit|wait>");
}
const file = await new ModelHashes().identify(model);
if (!file.ok) throw new Error(file.error.message);
const runner = new ModelRunner({ loadTimeoutMs: 600_000 });
void runner.prepare(model, { sha256: file.value.sha256, batchSize: 1 });
process.stdout.write("started\n");
// Long enough for the runner to load the model and be inside its endless warm-up pass.
setTimeout(() => {
  if (how === "exit") process.exit(0);
}, 3000);
setInterval(() => {}, 1000);
