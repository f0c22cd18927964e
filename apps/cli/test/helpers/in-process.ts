import { runCli } from "../../src/cli.ts";
import type { CliIo } from "../../src/io.ts";
import type { Outcome } from "./outcome.ts";

export interface InProcessOptions {
  /** The whole environment the command sees; nothing comes from `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Called after each write to stdout with everything written so far; `interrupt` plays Ctrl-C. */
  readonly onStdout?: (stdoutSoFar: string, interrupt: () => void) => void;
}

export interface InProcessOutcome extends Outcome {
  /** Interrupt handlers still subscribed when the command returned (a leak if not 0). */
  readonly interruptListeners: number;
}

/**
 * Runs `wattprint ...args` in this process through `runCli`, against the sources, with its own
 * buffers and interrupt handlers: calls share no state, so tests may run them concurrently.
 */
export async function wattprint(
  args: readonly string[],
  options: InProcessOptions = {},
): Promise<InProcessOutcome> {
  let stdout = "";
  let stderr = "";
  const listeners = new Set<() => void>();
  const interrupt = () => {
    for (const stop of [...listeners]) stop();
  };
  const io: CliIo = {
    stdout: (text) => {
      stdout += text;
      options.onStdout?.(stdout, interrupt);
    },
    stderr: (text) => {
      stderr += text;
    },
    env: options.env ?? {},
    onInterrupt: (stop) => {
      // A fresh function per subscription, as process.once would wrap it.
      const once = () => {
        listeners.delete(once);
        stop();
      };
      listeners.add(once);
      return () => {
        listeners.delete(once);
      };
    },
  };
  const code = await runCli(args, io);
  return { code, stdout, stderr, interruptListeners: listeners.size };
}
