import { performance } from "node:perf_hooks";
import { Worker } from "node:worker_threads";
import * as ort from "onnxruntime-node";
import {
  cutName,
  FEEDABLE_TYPES,
  type FeedPlan,
  feedBytes,
  listInputs,
  planFeeds,
} from "../feeds.ts";
import { FeedCache } from "./feed-cache.ts";
import { onnxruntimeMessage } from "./ort-message.ts";
import { feedKey, type RunnerReply, type RunnerRequest, runnerRequestSchema } from "./protocol.ts";

/**
 * The runner process: loads models with onnxruntime-node and runs them for a window. It
 * runs apart from the bus node so that a model that hangs or crashes onnxruntime (which
 * aborts the process when a worker thread running it is terminated) costs only this
 * process: the measurer kills it on a timeout and starts another.
 *
 * Sessions are cached by the file's sha256, at most `maxModels` (argv[2]), least recently
 * used evicted and released; the feeds of each (model, batch, shapes) are built once.
 */
const maxModels = Math.max(1, Number.parseInt(process.argv[2] ?? "4", 10) || 4);

/**
 * A watchdog on a thread of its own: onnxruntime's forward pass holds this process's main
 * thread, so a runner whose parent died mid-pass (killed, or exited on an error) kept a core
 * busy under PID 1 until the pass ended, and a hostile model's pass need never end. The
 * parent's timers, which kill a pass that runs too long, died with it. Polling the parent's
 * pid costs one syscall every half second.
 */
const parentPid = Number(process.argv[3]) || process.ppid;
const watchdog = new Worker(
  `const { workerData } = require("node:worker_threads");
const check = () => { if (process.ppid !== workerData) process.kill(process.pid, "SIGKILL"); };
check();
setInterval(check, 500);`,
  // The parent's pid as it gave it, not ppid now: a parent gone before this line ran left
  // the runner under PID 1 already.
  { eval: true, workerData: parentPid, execArgv: [] },
);
watchdog.unref();

type Feeds = Record<string, ort.Tensor>;

const sessions = new Map<string, ort.InferenceSession>();
/** Each set of feeds with how long its warm-up pass took: the run's deadline allows for it. */
const feedSets = new FeedCache<{ readonly feeds: Feeds; readonly passS: number }>();

function send(reply: RunnerReply): void {
  process.send?.(reply);
}

/** onnxruntime's text, its source locations and C++ signatures left out (ort-message.ts). */
function message(error: unknown): string {
  return onnxruntimeMessage(error instanceof Error ? error.message : String(error));
}

function zeros(plan: FeedPlan): ort.Tensor {
  const dims = plan.dims;
  switch (plan.type) {
    case "float32":
      return new ort.Tensor("float32", new Float32Array(plan.elements), dims);
    case "float64":
      return new ort.Tensor("float64", new Float64Array(plan.elements), dims);
    case "float16":
      return new ort.Tensor("float16", new Uint16Array(plan.elements), dims);
    case "int8":
      return new ort.Tensor("int8", new Int8Array(plan.elements), dims);
    case "uint8":
      return new ort.Tensor("uint8", new Uint8Array(plan.elements), dims);
    case "int16":
      return new ort.Tensor("int16", new Int16Array(plan.elements), dims);
    case "uint16":
      return new ort.Tensor("uint16", new Uint16Array(plan.elements), dims);
    case "int32":
      return new ort.Tensor("int32", new Int32Array(plan.elements), dims);
    case "uint32":
      return new ort.Tensor("uint32", new Uint32Array(plan.elements), dims);
    case "int64":
      return new ort.Tensor("int64", new BigInt64Array(plan.elements), dims);
    case "uint64":
      return new ort.Tensor("uint64", new BigUint64Array(plan.elements), dims);
    case "bool":
      return new ort.Tensor("bool", new Uint8Array(plan.elements), dims);
    case "string":
      return new ort.Tensor("string", new Array<string>(plan.elements).fill(""), dims);
  }
}

async function session(sha256: string, file: string): Promise<ort.InferenceSession> {
  const cached = sessions.get(sha256);
  if (cached) {
    // Map order is the recency order: re-insert on use.
    sessions.delete(sha256);
    sessions.set(sha256, cached);
    return cached;
  }
  const created = await ort.InferenceSession.create(file, { graphOptimizationLevel: "all" });
  sessions.set(sha256, created);
  while (sessions.size > maxModels) {
    const [oldest, evicted] = sessions.entries().next().value as [string, ort.InferenceSession];
    sessions.delete(oldest);
    feedSets.dropModel(oldest);
    await evicted.release();
  }
  return created;
}

async function prepare(request: Extract<RunnerRequest, { type: "prepare" }>): Promise<RunnerReply> {
  const started = performance.now();
  const cached = sessions.has(request.sha256);
  let loaded: ort.InferenceSession;
  try {
    loaded = await session(request.sha256, request.file);
  } catch (error) {
    const why = message(error);
    // onnxruntime-node reads the inputs' types after loading the model natively, and throws
    // for types it cannot hand to JavaScript (bfloat16, float8, complex): an input the
    // measurer cannot feed, not a broken file. Either way the native session it made is
    // never released (200 MB a try for a 200 MB model), so this runner is retired.
    const unsupported = /Unsupported data type/i.test(why);
    return {
      type: "failed",
      id: request.id,
      kind: unsupported ? "inputs-not-feedable" : "model-not-loadable",
      message: unsupported
        ? `${request.file} has an input or output of a type onnxruntime-node cannot pass to JavaScript (${why}); only tensors of ${FEEDABLE_TYPES.join(", ")} can be fed`
        : `${request.file} is not a loadable ONNX model: ${why}`,
      retire: true,
    };
  }
  const plan = planFeeds(loaded.inputMetadata, request);
  if (!plan.ok) {
    const kind = plan.error.kind === "invalid-request" ? "invalid-request" : "inputs-not-feedable";
    return { type: "failed", id: request.id, kind, message: plan.error.message };
  }
  const key = feedKey(request);
  if (!feedSets.has(key)) {
    const feeds: Feeds = {};
    for (const input of plan.value) feeds[input.name] = zeros(input);
    // One warm-up pass: a model whose inputs are accepted by the metadata but not by its
    // operators fails here, before any window is measured.
    const passStarted = performance.now();
    try {
      await loaded.run(feeds);
    } catch (error) {
      return {
        type: "failed",
        id: request.id,
        kind: "run-failed",
        message: `a forward pass with inputs ${listInputs(plan.value, (p) => `${cutName(p.name)}: ${p.type}[${p.dims.join("x")}]`)} failed: ${message(error)}`,
      };
    }
    const bytes = plan.value.reduce((sum, input) => sum + feedBytes(input), 0);
    const passS = (performance.now() - passStarted) / 1000;
    feedSets.set(key, request.sha256, { feeds, passS }, bytes);
  }
  return {
    type: "prepared",
    id: request.id,
    loadS: (performance.now() - started) / 1000,
    cached,
    passS: feedSets.get(key)?.passS ?? 0,
    inputs: plan.value.map((p) => ({ name: p.name, type: p.type, dims: [...p.dims] })),
    outputs: [...loaded.outputNames],
  };
}

/** Runs forward passes until the window is over; the pass running at the end completes. */
async function run(request: Extract<RunnerRequest, { type: "run" }>): Promise<RunnerReply> {
  const loaded = sessions.get(request.sha256);
  const set = feedSets.get(feedKey(request));
  if (!loaded || !set) {
    return {
      type: "failed",
      id: request.id,
      kind: "invalid-request",
      message: "run before prepare: the model or its feeds are not loaded in the runner",
    };
  }
  const started = performance.now();
  const end = started + request.windowS * 1000;
  let inferences = 0;
  try {
    do {
      await loaded.run(set.feeds);
      inferences++;
    } while (performance.now() < end);
  } catch (error) {
    return {
      type: "failed",
      id: request.id,
      kind: "run-failed",
      message: `forward pass ${inferences + 1} failed: ${message(error)}`,
    };
  }
  return {
    type: "ran",
    id: request.id,
    inferences,
    elapsedS: (performance.now() - started) / 1000,
  };
}

/** One request at a time: the measurer never sends the next before this one's reply. */
process.on("message", (raw: unknown) => {
  const parsed = runnerRequestSchema.safeParse(raw);
  if (!parsed.success) {
    const id = (raw as { id?: unknown } | null)?.id;
    send({
      type: "failed",
      id: typeof id === "number" && Number.isInteger(id) ? id : -1,
      kind: "invalid-request",
      message: `the runner got a message it does not understand: ${parsed.error.issues[0]?.message ?? "invalid"}`,
    });
    return;
  }
  const request = parsed.data;
  void (request.type === "prepare" ? prepare(request) : run(request)).then(send, (error) =>
    send({ type: "failed", id: request.id, kind: "run-failed", message: message(error) }),
  );
});
process.on("disconnect", () => process.exit(0));
