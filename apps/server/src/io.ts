/** What the server app may touch: injected so tests run `serve` in-process as well as spawned. */
export interface ServerIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Calls `stop` on SIGINT and on SIGTERM (each at most once), naming the signal. */
  readonly onStopSignal: (stop: (signal: "SIGINT" | "SIGTERM") => void) => void;
  /** Called once the server listens, with the address it got (tests pass port 0). */
  readonly onListening?: (url: string) => void;
}

export function processIo(): ServerIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
    onStopSignal: (stop) => {
      for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => stop(signal));
    },
  };
}
