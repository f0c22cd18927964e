import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";

/** The built binary; the package's test script builds it before vitest runs. */
export const BIN = fileURLToPath(new URL("../../dist/main.js", import.meta.url));
/** A hang detector for spawned runs, never a timing assertion. */
export const SPAWN_TIMEOUT_MS = 60_000;

/** Power readers pointed at nothing: the CPU is modelled (or simulated) on any machine. */
export const NO_READERS_ENV = {
  WATTPRINT_POWERCAP_ROOT: "/nonexistent/powercap",
  WATTPRINT_HWMON_ROOT: "/nonexistent/hwmon",
  WATTPRINT_NVML_LIBRARY: "/nonexistent/libnvidia-ml.so.1",
} as const;

/** The environment less the variables the CLI reads, so the binary sees what in-process runs see. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of Object.keys(env)) {
    if (/^(SUSTAINML_|WATTPRINT_|CUDA_|NO_COLOR$)/.test(name)) delete env[name];
  }
  return { ...env, ...extra };
}

export interface SpawnedBinary {
  readonly child: ChildProcessWithoutNullStreams;
  /** Everything written so far. */
  readonly output: () => { readonly stdout: string; readonly stderr: string };
  readonly closed: Promise<{
    readonly code: number | null;
    readonly signal: NodeJS.Signals | null;
    readonly stdout: string;
    readonly stderr: string;
  }>;
}

/** Spawns `wattprint ...args` with piped stdio, collecting its output; `stdin` is written and closed. */
export function spawnBinary(
  args: readonly string[],
  options: { readonly env?: NodeJS.ProcessEnv; readonly stdin?: string } = {},
): SpawnedBinary {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: options.env ?? cleanEnv(NO_READERS_ENV),
    stdio: ["pipe", "pipe", "pipe"],
    timeout: SPAWN_TIMEOUT_MS,
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  child.stdin.end(options.stdin ?? "");
  const closed = new Promise<Awaited<SpawnedBinary["closed"]>>((resolve) =>
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { child, output: () => ({ stdout, stderr }), closed };
}

/** Polls until `done()` holds or SPAWN_TIMEOUT_MS has passed (a hang detector). */
export async function waitUntil(done: () => boolean): Promise<void> {
  for (let waited = 0; !done() && waited < SPAWN_TIMEOUT_MS; waited += 20) await sleep(20);
}

/** Node code for a command that says it is running (creates `ready`) and waits to be signalled. */
export function readyThenWait(ready: string): string {
  return `require("fs").writeFileSync(${JSON.stringify(ready)}, ""); setInterval(() => {}, 1000)`;
}

/** Waits until a `readyThenWait` command has started. */
export function waitForReady(ready: string): Promise<void> {
  return waitUntil(() => existsSync(ready));
}

/** `wattprint track`'s options for a simulated 10 W CPU logging to `logDir`. */
export function simulatedTo(logDir: string): string[] {
  return ["--sim-cpu", "10", "--log-dir", logDir];
}
