import { type ChildProcess, spawn } from "node:child_process";

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface StartOptions {
  /** Merged over `process.env`, so peers keep `WATTPRINT_NETNS` and `PATH`. */
  env?: Record<string, string | undefined>;
  cwd?: string;
}

/** A child process whose stdout and stderr are collected line by line. */
export interface PeerProcess extends AsyncDisposable {
  readonly command: string;
  readonly pid: number | undefined;
  /** stdout and stderr lines, in arrival order. */
  readonly lines: readonly string[];
  /** Resolves when the process has exited; never rejects. */
  readonly exited: Promise<ProcessExit>;
  /** First line (already seen or future) matching `pattern`; rejects on timeout or exit. */
  waitForLine(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray>;
  /** Rejects, with the output, when the process is still running after `timeoutMs`. */
  waitForExit(timeoutMs: number): Promise<ProcessExit>;
  output(): string;
  kill(signal?: NodeJS.Signals): void;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once it has exited. */
  stop(graceMs?: number): Promise<ProcessExit>;
}

const OUTPUT_TAIL_CHARS = 6000;
const running = new Set<PeerProcess>();
let exitHookInstalled = false;

// A crashed or timed-out test worker must not leave peers running in the namespace.
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on("exit", () => {
    for (const peer of running) peer.kill("SIGKILL");
  });
}

function describe(command: string, lines: readonly string[]): string {
  const text = lines.join("\n");
  const tail = text.length > OUTPUT_TAIL_CHARS ? `…${text.slice(-OUTPUT_TAIL_CHARS)}` : text;
  return `${command}\n--- output ---\n${tail}\n--------------`;
}

function lineSplitter(onLine: (line: string) => void): (chunk: Buffer) => void {
  let pending = "";
  return (chunk) => {
    pending += chunk.toString("utf8");
    const parts = pending.split("\n");
    pending = parts.pop() ?? "";
    for (const part of parts) onLine(part.replace(/\r$/, ""));
  };
}

export function startProcess(
  cmd: string,
  args: readonly string[],
  options: StartOptions = {},
): PeerProcess {
  installExitHook();
  const command = [cmd, ...args].join(" ");
  const lines: string[] = [];
  const watchers = new Set<(line: string) => void>();
  const child: ChildProcess = spawn(cmd, args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const onLine = (line: string): void => {
    lines.push(line);
    for (const watch of watchers) watch(line);
  };
  child.stdout?.on("data", lineSplitter(onLine));
  child.stderr?.on("data", lineSplitter(onLine));

  let exitState: ProcessExit | undefined;
  const exited = new Promise<ProcessExit>((resolve) => {
    child.on("error", (error) => {
      lines.push(`spawn error: ${error.message}`);
      exitState = { code: null, signal: null };
      resolve(exitState);
    });
    child.on("close", (code, signal) => {
      exitState = { code, signal };
      resolve(exitState);
    });
  });

  const peer: PeerProcess = {
    command,
    pid: child.pid,
    lines,
    exited,
    output: () => lines.join("\n"),
    waitForLine(pattern, timeoutMs) {
      for (const line of lines) {
        const match = line.match(pattern);
        if (match) return Promise.resolve(match);
      }
      return new Promise((resolve, reject) => {
        const done = (): void => {
          clearTimeout(timer);
          watchers.delete(watch);
        };
        const watch = (line: string): void => {
          const match = line.match(pattern);
          if (match) {
            done();
            resolve(match);
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(
            new Error(
              `timeout after ${timeoutMs} ms waiting for ${pattern}: ${describe(command, lines)}`,
            ),
          );
        }, timeoutMs);
        watchers.add(watch);
        void exited.then((state) => {
          if (!watchers.has(watch)) return;
          done();
          const how = state.signal ?? `code ${state.code}`;
          reject(
            new Error(`exited (${how}) before printing ${pattern}: ${describe(command, lines)}`),
          );
        });
      });
    },
    waitForExit(timeoutMs) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          reject(new Error(`still running after ${timeoutMs} ms: ${describe(command, lines)}`));
        }, timeoutMs);
        void exited.then((state) => {
          clearTimeout(timer);
          resolve(state);
        });
      });
    },
    kill(signal = "SIGTERM") {
      if (exitState === undefined) child.kill(signal);
    },
    async stop(graceMs = 2000) {
      if (exitState !== undefined) return exitState;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
      const state = await exited;
      clearTimeout(timer);
      return state;
    },
    async [Symbol.asyncDispose]() {
      await peer.stop();
    },
  };
  running.add(peer);
  void exited.then(() => running.delete(peer));
  return peer;
}

/** Stops every process started by `startProcess` that is still running (use in `afterEach`). */
export async function stopAll(graceMs = 2000): Promise<void> {
  await Promise.all([...running].map((peer) => peer.stop(graceMs)));
}
