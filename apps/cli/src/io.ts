/** What a command may touch: injected so tests run commands in-process as well as spawned. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  /**
   * Calls `stop` on Ctrl-C (SIGINT) or SIGTERM until the returned function is called. Only a
   * command that stops gracefully (`hardware detect --watch`) subscribes, so everywhere else
   * Ctrl-C still ends the process at once.
   */
  readonly onInterrupt: (stop: () => void) => () => void;
  /**
   * Calls `handler` with every SIGINT, SIGTERM and SIGHUP until the returned function is
   * called, and keeps the process alive through them: `track` forwards each to its child and
   * still writes its results when the child has gone.
   */
  readonly onSignal: (handler: (signal: ForwardedSignal) => void) => () => void;
  /** Where stderr is a terminal, its width: a live status line is redrawn in place there. */
  readonly stderrTerminal: { readonly columns: number } | null;
  /**
   * Says that work still running (a report to a server, abandoned on a signal) must not keep
   * the process alive: once the command returns, its output is flushed and the process exits.
   */
  readonly abandon: () => void;
  /** Whether stdin is a terminal, i.e. Ctrl-C reaches a child in our process group directly. */
  readonly stdinIsTerminal: boolean;
  /**
   * Under `--json`, how a failure that ends the command is written (one JSON object with its
   * kind); absent, it is a line of text. Commands call `commandFailure`, not this.
   */
  readonly failure?: (
    kind: string,
    message: string,
    details: Readonly<Record<string, unknown>>,
  ) => void;
  /**
   * Says what the process exits with if its own output then fails (a full disk under stdout):
   * `track`, once its command has exited, keeps the command's status (its README's rule for
   * every failure after the command ran), and under `--json` says so as JSON. Without it, a
   * lost output exits 1.
   */
  readonly keepExitCode?: (exitCode: number, json: boolean) => void;
}

export const FORWARDED_SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;
export type ForwardedSignal = (typeof FORWARDED_SIGNALS)[number];

/** Set by processIo's `abandon`: main.ts then exits rather than wait for the event loop. */
let workAbandoned = false;

/** Whether the command left work running that the process must not wait for. */
export function abandonedWork(): boolean {
  return workAbandoned;
}

/** Set by processIo's `keepExitCode`, read by the output guard (output-streams.ts). */
let outputFailure: OutputFailurePolicy | undefined;

export interface OutputFailurePolicy {
  readonly exitCode: number;
  readonly json: boolean;
}

/** What a failed write of our own output exits with, once a command has said; else undefined. */
export function outputFailurePolicy(): OutputFailurePolicy | undefined {
  return outputFailure;
}

export function processIo(): CliIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
    onInterrupt: (stop) => {
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
      return () => {
        process.off("SIGINT", stop);
        process.off("SIGTERM", stop);
      };
    },
    onSignal: (handler) => {
      for (const signal of FORWARDED_SIGNALS) process.on(signal, handler);
      return () => {
        for (const signal of FORWARDED_SIGNALS) process.off(signal, handler);
      };
    },
    stderrTerminal: process.stderr.isTTY ? { columns: process.stderr.columns || 80 } : null,
    abandon: () => {
      workAbandoned = true;
    },
    stdinIsTerminal: process.stdin.isTTY === true,
    keepExitCode: (exitCode, json) => {
      outputFailure = { exitCode, json };
    },
  };
}
