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
  };
}
