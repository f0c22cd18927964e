import { spawn } from "node:child_process";
import { constants } from "node:os";

/** How the child ended, and the exit code a shell would give for it. */
export type ChildOutcome =
  | { readonly kind: "exited"; readonly exitCode: number }
  | { readonly kind: "signalled"; readonly signal: NodeJS.Signals; readonly exitCode: number }
  | { readonly kind: "spawn-failed"; readonly message: string; readonly exitCode: 126 | 127 };

export interface RunningChild {
  /** Sends `signal` to the child if it is still running; false when it is not. */
  readonly kill: (signal: NodeJS.Signals) => boolean;
  /** Settles once the child has exited (never rejects). */
  readonly outcome: Promise<ChildOutcome>;
}

/**
 * Runs `command` with our stdin, stdout and stderr, the given environment and no shell. The
 * child stays in our process group, so a terminal's Ctrl-C reaches it as it would without us.
 */
export function startChild(
  command: readonly [string, ...string[]],
  env: Readonly<Record<string, string | undefined>>,
): RunningChild {
  const [file, ...args] = command;
  const child = spawn(file, args, { stdio: "inherit", env: { ...env } });
  const outcome = new Promise<ChildOutcome>((settle) => {
    child.on("error", (error: NodeJS.ErrnoException) => {
      // Only a failure to start is final here; a failed kill() also emits "error".
      if (child.pid !== undefined) return;
      settle({
        kind: "spawn-failed",
        message: `${file}: ${error.code === "ENOENT" ? "command not found" : error.message}`,
        exitCode: error.code === "ENOENT" ? 127 : 126,
      });
    });
    child.once("exit", (code, signal) => {
      if (signal !== null) {
        settle({ kind: "signalled", signal, exitCode: 128 + (constants.signals[signal] ?? 0) });
      } else {
        settle({ kind: "exited", exitCode: code ?? 1 });
      }
    });
  });
  return {
    kill: (signal) => child.exitCode === null && child.signalCode === null && child.kill(signal),
    outcome,
  };
}
