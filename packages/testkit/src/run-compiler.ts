import { spawn } from "node:child_process";

/** How a compiler run ended: its combined output is kept for the error a caller writes. */
export type CompilerOutcome =
  | { readonly kind: "done" }
  | {
      readonly kind: "failed";
      readonly code: number | null;
      readonly signal: NodeJS.Signals | null;
      readonly output: string;
    }
  | { readonly kind: "not-started"; readonly error: NodeJS.ErrnoException };

/**
 * Runs `compiler args` with stdout and stderr collected, killed after `timeoutMs`. Each
 * caller words its own errors (what it was building, which package to install); this is the
 * process handling they share (testkit's peers, power's fake NVML).
 */
export function runCompiler(
  compiler: string,
  args: readonly string[],
  timeoutMs: number,
): Promise<CompilerOutcome> {
  return new Promise((resolve) => {
    const child = spawn(compiler, args, { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    // A spawn failure may be followed by `close`: the first event decides (a promise settles once).
    child.on("error", (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve({ kind: "not-started", error });
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve(code === 0 ? { kind: "done" } : { kind: "failed", code, signal, output });
    });
  });
}
