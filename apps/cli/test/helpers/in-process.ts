import { runCli } from "../../src/cli.ts";
import type { CliIo, ForwardedSignal } from "../../src/io.ts";
import type { Outcome } from "./outcome.ts";

export interface InProcessOptions {
  /** The whole environment the command sees; nothing comes from `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Called after each write to stdout with everything written so far; `interrupt` plays Ctrl-C. */
  readonly onStdout?: (stdoutSoFar: string, interrupt: () => void) => void;
  /** Called after each write to stderr with everything written so far; `signal` plays a signal. */
  readonly onStderr?: (stderrSoFar: string, signal: (name: ForwardedSignal) => void) => void;
  /** Plays a terminal on stderr this many columns wide (default: not a terminal). */
  readonly terminalColumns?: number;
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
  const signalHandlers = new Set<(signal: ForwardedSignal) => void>();
  const interrupt = () => {
    for (const stop of [...listeners]) stop();
  };
  const signal = (name: ForwardedSignal) => {
    for (const handler of [...signalHandlers]) handler(name);
  };
  const io: CliIo = {
    stdout: (text) => {
      stdout += text;
      options.onStdout?.(stdout, interrupt);
    },
    stderr: (text) => {
      stderr += text;
      options.onStderr?.(stderr, signal);
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
    onSignal: (handler) => {
      // A fresh function per subscription, so two subscriptions of one handler stay two.
      const subscribed = (name: ForwardedSignal) => handler(name);
      signalHandlers.add(subscribed);
      return () => {
        signalHandlers.delete(subscribed);
      };
    },
    stderrTerminal:
      options.terminalColumns === undefined ? null : { columns: options.terminalColumns },
    // In-process there is no process to end early; the test's own hang detector bounds it.
    abandon: () => {},
    stdinIsTerminal: false,
  };
  const code = await runCli(args, io);
  return {
    code,
    stdout,
    stderr,
    interruptListeners: listeners.size + signalHandlers.size,
  };
}
