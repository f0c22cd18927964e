import type { Env } from "./option-values.ts";

/**
 * What a long-running app (wattprint-node, wattprint-server) may touch: injected so tests run
 * its `serve` in-process as well as spawned.
 */
export interface AppIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Env;
  /** Calls `stop` on SIGINT and on SIGTERM (each at most once), naming the signal. */
  readonly onStopSignal: (stop: (signal: "SIGINT" | "SIGTERM") => void) => void;
}

/** The process' streams, environment and signals. */
export function processAppIo(): AppIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
    onStopSignal: (stop) => {
      for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => stop(signal));
    },
  };
}
