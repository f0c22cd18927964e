import { type ChildProcess, fork } from "node:child_process";
import type { Socket } from "node:net";
import { totalmem } from "node:os";
import { fileURLToPath } from "node:url";
import { cutText } from "@wattprint/core";
import { failure, type Result } from "@wattprint/result";
import type { MeasureFailure } from "../failures.ts";
import { processRssBytes } from "./process-rss.ts";
import { type RunnerReply, type RunnerRequest, runnerReplySchema } from "./protocol.ts";

export interface ModelRunnerOptions {
  /** Models kept loaded in the runner process; least recently used released first. */
  readonly maxModels?: number;
  /** How long loading a model (and its warm-up pass) may take. */
  readonly loadTimeoutMs?: number;
  /** How long past the window a run may take before the runner is killed. */
  readonly runGraceMs?: number;
  /**
   * Resident memory the runner may reach while it loads or runs a model; past it the runner is
   * killed and the request fails. What a model computes from its inputs is not bounded by
   * the feed limits (a 4-byte input expanded to 8 GiB of output), and the host's memory is
   * shared with the bus node and everything else. Default: half of the host's memory.
   */
  readonly maxRssBytes?: number;
}

export const DEFAULT_MAX_MODELS = 4;
export const DEFAULT_LOAD_TIMEOUT_MS = 60_000;
export const DEFAULT_RUN_GRACE_MS = 10_000;
/** Half of the host's memory: the runner's default ceiling (`maxRssBytes`). */
export const defaultMaxRunnerRssBytes = (): number => Math.floor(totalmem() / 2);
/**
 * How often the runner's memory is read while a request is out. A model fills memory at a few
 * GB/s, so the ceiling can be passed by about that much times this before the kill.
 */
export const RSS_CHECK_INTERVAL_MS = 100;
const MIB = 1024 * 1024;
/** The end of the runner's stderr kept for the message when it dies. */
const STDERR_TAIL_CHARS = 2_000;

type Prepared = Extract<RunnerReply, { type: "prepared" }>;
type Ran = Extract<RunnerReply, { type: "ran" }>;
type Awaited = {
  /** The process the request went to: only its exit fails the request. */
  readonly child: ChildProcess;
  readonly resolve: (reply: Result<RunnerReply, MeasureFailure>) => void;
  readonly timer: NodeJS.Timeout;
};

export interface FeedSpec {
  readonly sha256: string;
  readonly batchSize: number;
  readonly inputShapes?: Readonly<Record<string, readonly number[]>> | undefined;
}

/** The longest failure message passed on from the runner. */
export const MAX_FAILURE_MESSAGE_CHARS = 2000;

/**
 * The bus node's side of the runner process (runner/child.ts). Started on first use, one
 * request at a time (the measurer serialises them), every request with a timeout: past it
 * the process is killed with SIGKILL, the request fails with `timeout`, and the next
 * request starts a fresh process (which loads its models again). A process that dies fails
 * the request in flight with its exit status and the end of its stderr.
 */
export class ModelRunner {
  private child: ChildProcess | undefined;
  private stderrTail = "";
  private nextId = 1;
  private readonly waiting = new Map<number, Awaited>();
  private closed = false;
  /** Processes started, and killed on a timeout: for `introspect()` and the logs. */
  readonly counters = {
    started: 0,
    killedOnTimeout: 0,
    /** Runners killed for passing `maxRssBytes`. */
    killedOverMemory: 0,
    died: 0,
    badReplies: 0,
    retired: 0,
  };
  private readonly maxRssBytes: number;
  /** The models (sha256) prepared in the current runner: all count against `maxRssBytes`. */
  private readonly modelsInChild = new Set<string>();
  private rssTimer: NodeJS.Timeout | undefined;
  private rssReading = false;

  constructor(private readonly options: ModelRunnerOptions = {}) {
    this.maxRssBytes = options.maxRssBytes ?? defaultMaxRunnerRssBytes();
  }

  async prepare(file: string, spec: FeedSpec): Promise<Result<Prepared, MeasureFailure>> {
    // Counted from the request on: a load that passes the ceiling is this model's too.
    const wasLoaded = this.modelsInChild.has(spec.sha256);
    const reply = await this.request(
      { type: "prepare", id: this.nextId++, file, ...plain(spec) },
      this.options.loadTimeoutMs ?? DEFAULT_LOAD_TIMEOUT_MS,
      `loading ${file}`,
    );
    if (!(reply.ok && reply.value.type === "prepared") && !wasLoaded) {
      this.modelsInChild.delete(spec.sha256);
    }
    if (!reply.ok) return reply;
    return reply.value.type === "prepared"
      ? { ok: true, value: reply.value }
      : { ok: false, error: unexpected(reply.value) };
  }

  /**
   * Passes until `windowS` is over, the last one completing. `passS` is the warm-up pass's
   * time (`prepare`'s answer): the deadline allows two such passes beyond the window and the
   * grace, so a model whose one pass outlasts the grace is measured, not killed every time.
   */
  async run(spec: FeedSpec, windowS: number, passS = 0): Promise<Result<Ran, MeasureFailure>> {
    const reply = await this.request(
      { type: "run", id: this.nextId++, ...plain(spec), windowS },
      (windowS + 2 * passS) * 1000 + (this.options.runGraceMs ?? DEFAULT_RUN_GRACE_MS),
      `running the model for ${windowS} s`,
    );
    if (!reply.ok) return reply;
    return reply.value.type === "ran"
      ? { ok: true, value: reply.value }
      : { ok: false, error: unexpected(reply.value) };
  }

  /**
   * Stops the runner. A request still out fails as `closed` at once: a pass may run for
   * minutes, and a stopping bus node must not wait for it (it answers the task otherwise).
   */
  async close(): Promise<void> {
    this.closed = true;
    this.stopWatchingMemory();
    const child = this.child;
    this.child = undefined;
    if (child) {
      this.failAll(child, failure("closed", "the measurer was closed while the model ran"));
    }
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.disconnect?.();
      // A runner stuck in a native call does not see the disconnect.
      const kill = setTimeout(() => child.kill("SIGKILL"), 2_000);
      await exited;
      clearTimeout(kill);
    }
  }

  private start(): ChildProcess {
    const here = fileURLToPath(import.meta.url);
    // Under the workspace's source condition (tests, tsx) the runner is TypeScript too.
    const fromSource = here.endsWith(".ts");
    const script = fileURLToPath(new URL(`./child.${fromSource ? "ts" : "js"}`, import.meta.url));
    const child = fork(
      script,
      [String(this.options.maxModels ?? DEFAULT_MAX_MODELS), String(process.pid)],
      {
        execArgv: fromSource ? ["--conditions=@wattprint/source", "--import", "tsx"] : [],
        cwd: fileURLToPath(new URL("../..", import.meta.url)),
        stdio: ["ignore", "ignore", "pipe", "ipc"],
        serialization: "json",
      },
    );
    this.counters.started += 1;
    this.modelsInChild.clear();
    this.stderrTail = "";
    child.stderr?.setEncoding("utf8");
    child.stderr?.on("data", (text: string) => {
      this.stderrTail = (this.stderrTail + text).slice(-STDERR_TAIL_CHARS);
    });
    child.on("message", (raw: unknown) => this.onReply(raw));
    child.on("exit", (code, signal) => {
      if (this.child === child) this.child = undefined;
      if (![...this.waiting.values()].some((w) => w.child === child)) return;
      this.counters.died += 1;
      const why = `the runner process exited (${signal ?? `status ${code}`})${
        this.stderrTail.trim() === ""
          ? ""
          : `: ${this.stderrTail.trim().split("\n").slice(-3).join(" | ")}`
      }`;
      this.failAll(child, failure("run-failed", why));
    });
    child.on("error", (error) => {
      this.failAll(child, failure("run-failed", `the runner process failed: ${error.message}`));
    });
    // The bus node may exit with a runner idle: the runner must not keep it alive, and must
    // not outlive it either (a pass in flight would go on under PID 1). This covers an exit
    // and an uncaught error; the runner's own watchdog covers a SIGKILL.
    const killOnExit = (): void => {
      child.kill("SIGKILL");
    };
    process.once("exit", killOnExit);
    child.once("exit", () => process.off("exit", killOnExit));
    child.unref();
    child.channel?.unref();
    // The stderr pipe too (still read): it alone kept a host that never closed its measurer
    // running for ever after its last measurement.
    (child.stderr as Socket | null)?.unref();
    return child;
  }

  /**
   * Mirrors the runner's session cache: the most recently prepared last, at most `maxModels`,
   * the least recently used let go as the runner releases it (the set grew with every model a
   * peer named).
   */
  private holdModel(sha256: string): void {
    this.modelsInChild.delete(sha256);
    this.modelsInChild.add(sha256);
    const max = this.options.maxModels ?? DEFAULT_MAX_MODELS;
    for (const oldest of this.modelsInChild) {
      if (this.modelsInChild.size <= max) break;
      this.modelsInChild.delete(oldest);
    }
  }

  private request(
    request: RunnerRequest,
    timeoutMs: number,
    what: string,
  ): Promise<Result<RunnerReply, MeasureFailure>> {
    if (this.closed) {
      return Promise.resolve({ ok: false, error: failure("closed", "the measurer is closed") });
    }
    this.child ??= this.start();
    const child = this.child;
    if (request.type === "prepare") this.holdModel(request.sha256);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiting.delete(request.id);
        this.counters.killedOnTimeout += 1;
        if (this.child === child) this.child = undefined;
        child.kill("SIGKILL");
        resolve({
          ok: false,
          error: failure(
            "timeout",
            `${what} took longer than ${(timeoutMs / 1000).toFixed(1)} s; the runner process was killed`,
          ),
        });
      }, timeoutMs);
      this.waiting.set(request.id, { child, resolve, timer });
      this.watchMemory();
      child.channel?.ref();
      child.send(request, (error) => {
        if (error) {
          this.settle(request.id, {
            ok: false,
            error: failure("run-failed", `could not reach the runner process: ${error.message}`),
          });
        }
      });
    });
  }

  private onReply(raw: unknown): void {
    const parsed = runnerReplySchema.safeParse(raw);
    if (!parsed.success) {
      this.counters.badReplies += 1;
      return;
    }
    const reply = parsed.data;
    if (reply.type === "failed") {
      if (reply.retire === true) this.retire();
      // onnxruntime's own words may quote a model's names at any length: bounded here, since
      // the bus node publishes the message.
      this.settle(reply.id, {
        ok: false,
        error: failure(reply.kind, cutText(reply.message, MAX_FAILURE_MESSAGE_CHARS)),
      });
    } else {
      this.settle(reply.id, { ok: true, value: reply });
    }
  }

  /** Kills the runner (it holds memory it cannot free); the next request starts another. */
  private retire(): void {
    const child = this.child;
    if (child === undefined) return;
    this.child = undefined;
    this.counters.retired += 1;
    child.kill("SIGKILL");
  }

  private settle(id: number, result: Result<RunnerReply, MeasureFailure>): void {
    const waiting = this.waiting.get(id);
    if (!waiting) return;
    this.waiting.delete(id);
    clearTimeout(waiting.timer);
    if (this.waiting.size === 0) {
      this.child?.channel?.unref();
      this.stopWatchingMemory();
    }
    waiting.resolve(result);
  }

  /** Reads the runner's memory every RSS_CHECK_INTERVAL_MS while a request is out. */
  private watchMemory(): void {
    if (this.rssTimer !== undefined) return;
    this.rssTimer = setInterval(() => void this.checkMemory(), RSS_CHECK_INTERVAL_MS);
    this.rssTimer.unref();
  }

  private stopWatchingMemory(): void {
    if (this.rssTimer === undefined) return;
    clearInterval(this.rssTimer);
    this.rssTimer = undefined;
  }

  private async checkMemory(): Promise<void> {
    const child = this.child;
    if (this.rssReading || child?.pid === undefined) return;
    this.rssReading = true;
    try {
      const rss = await processRssBytes(child.pid);
      if (rss === undefined || rss <= this.maxRssBytes || this.child !== child) return;
      this.counters.killedOverMemory += 1;
      this.child = undefined;
      child.kill("SIGKILL");
      // Other models kept loaded in the runner count too: the measurer then tries once more
      // in a fresh runner holding this model alone (`otherModelsLoaded`).
      const others = Math.max(0, this.modelsInChild.size - 1);
      const held = others === 0 ? "" : ` with ${others} other model(s) loaded in it`;
      this.failAll(
        child,
        failure(
          "run-failed",
          `the runner process reached ${Math.round(rss / MIB)} MiB${held}, over its limit of ${Math.round(this.maxRssBytes / MIB)} MiB, and was killed: the model's outputs or intermediate tensors are too large for that limit (maxRssBytes, the bus node's --max-runner-mib; half the host's memory by default)`,
          { otherModelsLoaded: others },
        ),
      );
    } finally {
      this.rssReading = false;
    }
  }

  private failAll(child: ChildProcess, error: MeasureFailure): void {
    for (const [id, waiting] of [...this.waiting]) {
      if (waiting.child === child) this.settle(id, { ok: false, error });
    }
  }
}

function plain(spec: FeedSpec): {
  sha256: string;
  batchSize: number;
  inputShapes?: Record<string, number[]>;
} {
  return {
    sha256: spec.sha256,
    batchSize: spec.batchSize,
    ...(spec.inputShapes !== undefined
      ? {
          inputShapes: Object.fromEntries(
            Object.entries(spec.inputShapes).map(([name, dims]) => [name, [...dims]]),
          ),
        }
      : {}),
  };
}

function unexpected(reply: RunnerReply): MeasureFailure {
  return failure("run-failed", `the runner answered ${reply.type} out of turn`);
}
