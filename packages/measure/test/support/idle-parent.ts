/**
 * A host that measures once and then has nothing left to do, never closing its runner: it
 * must exit by itself (exit code 0, "measured" on stdout). Usage: idle-parent.ts <model.onnx>.
 */
import { ModelHashes } from "../../src/model-file.ts";
import { ModelRunner } from "../../src/runner/model-runner.ts";

const [model] = process.argv.slice(2);
if (model === undefined) throw new Error("usage: idle-parent.ts <model.onnx>");
const file = await new ModelHashes().identify(model);
if (!file.ok) throw new Error(file.error.message);
const runner = new ModelRunner({});
const spec = { sha256: file.value.sha256, batchSize: 1 };
const prepared = await runner.prepare(model, spec);
if (!prepared.ok) throw new Error(prepared.error.message);
const ran = await runner.run(spec, 0.1);
if (!ran.ok) throw new Error(ran.error.message);
process.stdout.write("measured\n");
