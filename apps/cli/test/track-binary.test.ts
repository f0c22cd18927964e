import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { parseAllLogs } from "@wattprint/logs";
import { afterAll, describe, expect, it } from "vitest";

/*
 * `wattprint track` as a user runs it: the built binary (the test script builds dist first),
 * real signals sent to its process, the command's stdin and stdout passed through.
 */
const BIN = fileURLToPath(new URL("../dist/main.js", import.meta.url));
const NODE = process.execPath;
/** A hang detector, not a timing assertion. */
const HANG_MS = 60_000;
const root = mkdtempSync(join(tmpdir(), "wattprint-track-bin-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let runs = 0;

interface Spawned {
  readonly pid: number;
  readonly done: Promise<{
    code: number | null;
    signal: string | null;
    stdout: string;
    stderr: string;
  }>;
}

function wattprintTrack(args: readonly string[], stdin?: string): Spawned {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of Object.keys(env)) {
    if (/^(WATTPRINT_|CUDA_|NO_COLOR)/.test(name)) delete env[name];
  }
  const child = spawn(NODE, [BIN, "track", ...args], {
    env: {
      ...env,
      WATTPRINT_POWERCAP_ROOT: "/nonexistent",
      WATTPRINT_NVML_LIBRARY: "/nonexistent.so",
    },
    stdio: ["pipe", "pipe", "pipe"],
    timeout: HANG_MS,
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  child.stdin.end(stdin ?? "");
  const done = new Promise<{
    code: number | null;
    signal: string | null;
    stdout: string;
    stderr: string;
  }>((resolve) => child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { pid: child.pid as number, done };
}

async function logCount(dir: string): Promise<number> {
  const parsed = await parseAllLogs(dir);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.value.logs.length;
}

async function waitFor(path: string): Promise<void> {
  for (let waited = 0; !existsSync(path) && waited < HANG_MS; waited += 20) await sleep(20);
}

describe.concurrent("the built wattprint track", { timeout: 2 * HANG_MS }, () => {
  it("passes stdin and stdout through and exits with the command's code", async () => {
    const logDir = join(root, `logs-${++runs}`);
    const echo =
      "process.stdin.pipe(process.stdout); process.stdin.on('end', () => process.exit(3))";
    const outcome = await wattprintTrack(
      ["--sim-cpu", "10", "--log-dir", logDir, "--", NODE, "-e", echo],
      "hello\n",
    ).done;
    expect(outcome.code).toBe(3);
    expect(outcome.stdout).toBe("hello\n");
    expect(outcome.stderr).toMatch(/the command exited 3 after/);
    expect(await logCount(logDir)).toBe(1);
  });

  it("exits 143 when SIGTERM ends the command, and writes the logs", async () => {
    const logDir = join(root, `logs-${++runs}`);
    const outcome = await wattprintTrack([
      "--sim-cpu",
      "10",
      "--log-dir",
      logDir,
      "--",
      "sh",
      "-c",
      "kill -TERM $$",
    ]).done;
    expect(outcome.code).toBe(143);
    expect(await logCount(logDir)).toBe(1);
  });

  it.each([
    ["SIGINT", 130],
    ["SIGTERM", 143],
  ] as const)(
    "forwards %s sent to wattprint to the command, then writes the logs",
    async (signal, code) => {
      const logDir = join(root, `logs-${++runs}`);
      const ready = join(root, `ready-${runs}`);
      const waitForSignal = `require("fs").writeFileSync(${JSON.stringify(ready)}, ""); setInterval(() => {}, 1000)`;
      const running = wattprintTrack([
        "--sim-cpu",
        "10",
        "--log-dir",
        logDir,
        "--",
        NODE,
        "-e",
        waitForSignal,
      ]);
      await waitFor(ready);
      process.kill(running.pid, signal);
      const outcome = await running.done;
      // wattprint itself was not killed: it exits with the command's 128 + N after writing.
      expect(outcome.signal).toBeNull();
      expect(outcome.code).toBe(code);
      expect(outcome.stderr).toMatch(new RegExp(`killed by ${signal} \\(exit ${code}\\)`));
      expect(await logCount(logDir)).toBe(1);
    },
  );
});
