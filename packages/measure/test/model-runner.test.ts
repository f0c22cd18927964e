import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeTestOnnxModel } from "@wattprint/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ModelHashes } from "../src/model-file.ts";
import { ModelRunner } from "../src/runner/model-runner.ts";

let dir: string;
const hashes = new ModelHashes();
const runners: ModelRunner[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "wattprint-runner-"));
});
afterAll(async () => {
  for (const runner of runners) await runner.close();
  await rm(dir, { recursive: true, force: true });
});

function runner(options: ConstructorParameters<typeof ModelRunner>[0] = {}): ModelRunner {
  const made = new ModelRunner(options);
  runners.push(made);
  return made;
}

async function spec(path: string, batchSize = 1) {
  const file = await hashes.identify(path);
  if (!file.ok) throw new Error(file.error.message);
  return { path, spec: { sha256: file.value.sha256, batchSize } };
}

describe("ModelRunner (onnxruntime-node in a child process)", () => {
  it("loads a MatMul+Relu model once, feeds the batch size to the dynamic dimension, and runs a window", async () => {
    const model = await spec(await writeTestOnnxModel(dir, "mlp.onnx", "matmul-relu"), 3);
    const run = runner();
    const first = await run.prepare(model.path, model.spec);
    expect(first).toMatchObject({
      ok: true,
      value: {
        cached: false,
        inputs: [{ name: "x", type: "float32", dims: [3, 64] }],
        outputs: ["y"],
      },
    });
    const again = await run.prepare(model.path, model.spec);
    expect(again).toMatchObject({ ok: true, value: { cached: true } });
    const ran = await run.run(model.spec, 0.2);
    if (!ran.ok) throw new Error(ran.error.message);
    expect(ran.value.inferences).toBeGreaterThan(0);
    expect(ran.value.elapsedS).toBeGreaterThanOrEqual(0.2);
    expect(run.counters.started).toBe(1);
  });

  it("kills a runner whose memory passes maxRssBytes, fails the request saying so, and goes on", async () => {
    // One input element expanded to 512 × 4 MiB: the feed limits cannot see it coming.
    const expanding = await spec(
      await writeTestOnnxModel(dir, "expand.onnx", "expanding-output", 512),
    );
    const good = await spec(await writeTestOnnxModel(dir, "small.onnx", "matmul-relu", 8));
    const run = runner({ maxRssBytes: 400 * 1024 * 1024 });
    const prepared = await run.prepare(expanding.path, expanding.spec);
    const failed = prepared.ok ? await run.run(expanding.spec, 1) : prepared;
    expect(failed).toMatchObject({
      ok: false,
      error: {
        kind: "run-failed",
        message: expect.stringMatching(
          /reached \d+ MiB, over its limit of 400 MiB, and was killed/,
        ),
      },
    });
    expect(run.counters.killedOverMemory).toBe(1);
    expect(await run.prepare(good.path, good.spec)).toMatchObject({ ok: true });
    expect(await run.run(good.spec, 0.05)).toMatchObject({ ok: true });
    expect(run.counters.started).toBe(2);
  });

  it("answers a broken file and unfeedable inputs with typed failures, and goes on", async () => {
    const broken = join(dir, "broken.onnx");
    await writeFile(broken, "this is not a protobuf");
    const sequence = await spec(await writeTestOnnxModel(dir, "seq.onnx", "sequence-input"));
    const huge = await spec(await writeTestOnnxModel(dir, "huge.onnx", "huge-input"));
    const good = await spec(await writeTestOnnxModel(dir, "good.onnx", "matmul-relu", 8));
    const run = runner();
    const notLoadable = await run.prepare(broken, (await spec(broken)).spec);
    expect(notLoadable).toMatchObject({ ok: false, error: { kind: "model-not-loadable" } });
    expect(notLoadable.ok || notLoadable.error.message).toMatch(/broken\.onnx/);
    expect(await run.prepare(sequence.path, sequence.spec)).toMatchObject({
      ok: false,
      error: {
        kind: "inputs-not-feedable",
        message: expect.stringMatching(/"items" is not a tensor/),
      },
    });
    expect(await run.prepare(huge.path, huge.spec)).toMatchObject({
      ok: false,
      error: { kind: "inputs-not-feedable", message: expect.stringMatching(/over the limit/) },
    });
    expect(await run.prepare(good.path, good.spec)).toMatchObject({ ok: true });
    expect(await run.run(good.spec, 0.05)).toMatchObject({ ok: true });
    // The runner that failed to load a file is retired (whatever onnxruntime made of it is
    // not released); one more runner serves the rest, and none died.
    expect(run.counters).toMatchObject({ started: 2, retired: 1, died: 0 });
  });

  it("refuses a run before its model is prepared", async () => {
    const model = await spec(await writeTestOnnxModel(dir, "unprepared.onnx", "matmul-relu", 4));
    expect(await runner().run(model.spec, 0.05)).toMatchObject({
      ok: false,
      error: { kind: "invalid-request" },
    });
  });

  it("keeps at most maxModels loaded, releasing the least recently used", async () => {
    const a = await spec(await writeTestOnnxModel(dir, "a.onnx", "matmul-relu", 5));
    const b = await spec(await writeTestOnnxModel(dir, "b.onnx", "matmul-relu", 6));
    const run = runner({ maxModels: 1 });
    expect(await run.prepare(a.path, a.spec)).toMatchObject({ ok: true, value: { cached: false } });
    expect(await run.prepare(b.path, b.spec)).toMatchObject({ ok: true, value: { cached: false } });
    expect(await run.prepare(a.path, a.spec)).toMatchObject({ ok: true, value: { cached: false } });
    expect(await run.prepare(a.path, a.spec)).toMatchObject({ ok: true, value: { cached: true } });
  });

  it("kills a runner that overruns its timeout and starts a fresh one for the next request", async () => {
    const model = await spec(await writeTestOnnxModel(dir, "slow.onnx", "matmul-relu", 16));
    // A limit 400 ms short of the window: the reply cannot exist before the window ends, so
    // the timer fires first by that much. (With no grace at all the two raced: on a loaded CI
    // machine the parent woke with both due, and the reply, read first, won.)
    const run = runner({ runGraceMs: -400 });
    expect(await run.prepare(model.path, model.spec)).toMatchObject({ ok: true });
    const timedOut = await run.run(model.spec, 0.5);
    expect(timedOut).toMatchObject({ ok: false, error: { kind: "timeout" } });
    expect(run.counters.killedOnTimeout).toBe(1);
    // A fresh process, with nothing loaded: the model is loaded again.
    expect(await run.prepare(model.path, model.spec)).toMatchObject({
      ok: true,
      value: { cached: false },
    });
    expect(run.counters.started).toBe(2);
  });

  it("gives a run time for passes as long as the warm-up pass, beyond the grace", async () => {
    // A model whose one pass outlasted the grace was killed on every run, and reloaded.
    const model = await spec(await writeTestOnnxModel(dir, "slow-loop.onnx", "slow-loop", 300));
    const run = runner({ runGraceMs: 100 });
    const prepared = await run.prepare(model.path, model.spec);
    if (!prepared.ok) throw new Error(prepared.error.message);
    // What the test is about: one pass longer than the grace.
    expect(prepared.value.passS).toBeGreaterThan(0.1);
    const ran = await run.run(model.spec, 0.05, prepared.value.passS);
    expect(ran).toMatchObject({ ok: true });
    expect(run.counters.killedOnTimeout).toBe(0);
  }, 60_000);

  it("fails every request once closed", async () => {
    const run = runner();
    await run.close();
    const model = await spec(await writeTestOnnxModel(dir, "closed.onnx", "matmul-relu", 4));
    expect(await run.prepare(model.path, model.spec)).toMatchObject({
      ok: false,
      error: { kind: "closed" },
    });
  });
});

/** A script of test/support/ in a process of its own, on the workspace's sources. */
function spawnSupport(script: string, args: readonly string[]) {
  return spawn(
    process.execPath,
    [
      "--conditions=@wattprint/source",
      "--import",
      "tsx",
      join(import.meta.dirname, "support", script),
      ...args,
    ],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
}

/** The runner processes whose parent is `pid`, from /proc (Linux). */
function childrenOf(pid: number): number[] {
  const found: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      // The runner, not tsx's esbuild service, which the parent also starts.
      const command = readFileSync(`/proc/${entry}/cmdline`, "utf8");
      if (ppid === pid && command.includes("child.ts")) found.push(Number(entry));
    } catch {
      // Gone while listed.
    }
  }
  return found;
}

function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // A zombie has exited; only its entry is left until it is reaped.
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}

describe.skipIf(process.platform !== "linux")("the runner's lifetime", () => {
  it.each(["exit", "wait"] as const)(
    "ends with its parent (%s), even inside a forward pass that never ends",
    async (how) => {
      // A runner whose parent exited or was killed mid-pass went on under PID 1, using a
      // core until the pass ended: with this model, never.
      const model = await writeTestOnnxModel(dir, `endless-${how}.onnx`, "endless-loop");
      const parent = spawnSupport("orphan-parent.ts", [model, how]);
      const parentPid = parent.pid as number;
      await new Promise<void>((resolve, reject) => {
        parent.stdout?.on("data", (chunk: Buffer) => {
          if (chunk.toString().includes("started")) resolve();
        });
        parent.once("exit", () => reject(new Error("the parent exited before it started")));
      });
      let runners: number[] = [];
      for (let i = 0; i < 200 && runners.length === 0; i++) {
        runners = childrenOf(parentPid);
        if (runners.length === 0) await new Promise((resolve) => setTimeout(resolve, 25));
      }
      expect(runners).toHaveLength(1);
      const runner = runners[0] as number;
      const parentGone = new Promise((resolve) => parent.once("exit", resolve));
      // Inside the pass: the parent has waited for the model to load.
      await new Promise((resolve) => setTimeout(resolve, 2000));
      if (how === "wait") parent.kill("SIGKILL");
      await parentGone;
      // A hang detector, not a timing bound: the watchdog looks every half second.
      for (let i = 0; i < 300 && alive(runner); i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const left = alive(runner);
      if (left) process.kill(runner, "SIGKILL");
      expect(left).toBe(false);
    },
    30_000,
  );
});

describe("a host that never closes its runner", () => {
  it("exits by itself once its last measurement is done", async () => {
    const model = await writeTestOnnxModel(dir, "idle.onnx", "matmul-relu");
    const host = spawnSupport("idle-parent.ts", [model]);
    let stdout = "";
    host.stdout?.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    // A hang detector, not a timing bound: before, the stderr pipe kept the host alive.
    const guard = setTimeout(() => host.kill("SIGKILL"), 25_000);
    const [code, signal] = await new Promise<[number | null, string | null]>((resolve) =>
      host.once("exit", (c, s) => resolve([c, s])),
    );
    clearTimeout(guard);
    expect(stdout).toContain("measured");
    expect({ code, signal }).toEqual({ code: 0, signal: null });
  }, 30_000);
});

describe("a model onnxruntime-node loads but cannot describe", () => {
  it("is inputs-not-feedable, and the runner holding its session is retired", async () => {
    // The session onnxruntime made before refusing the type is never released: 200 MB a try
    // for a 200 MB model, kept by a runner that went on.
    const bfloat = await spec(await writeTestOnnxModel(dir, "bf16.onnx", "bfloat16-input"));
    const good = await spec(await writeTestOnnxModel(dir, "after-bf16.onnx", "matmul-relu", 8));
    const run = runner();
    const refused = await run.prepare(bfloat.path, bfloat.spec);
    expect(refused).toMatchObject({
      ok: false,
      error: {
        kind: "inputs-not-feedable",
        message: expect.stringMatching(/Unsupported data type/),
      },
    });
    expect(run.counters.retired).toBe(1);
    const next = await run.prepare(good.path, good.spec);
    expect(next.ok).toBe(true);
    expect(run.counters).toMatchObject({ started: 2, died: 0 });
  });
});
