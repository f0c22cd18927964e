/**
 * What happens when our own output cannot be written. Node emits a failed write on stdout or
 * stderr as an 'error' event, and an unhandled one ends the process with a stack trace: a
 * reader that closed stderr (`wattprint track -- cmd 2>&1 | head -1`) made `track` exit 1
 * while its command was still running, leaving it orphaned and the logs unfinished.
 */
import type { OutputFailurePolicy } from "./io.ts";
import { EXIT_FAILURE } from "./usage-error.ts";

interface OutputStreams {
  readonly stdout: NodeJS.EventEmitter;
  readonly stderr: NodeJS.EventEmitter & { write(text: string): boolean };
  readonly exit: (code: number) => never;
  readonly exitCode: () => number | undefined;
  /** What the running command asked for (`CliIo.keepExitCode`), if anything. */
  readonly policy?: () => OutputFailurePolicy | undefined;
}

export function guardOutputStreams(streams: OutputStreams): void {
  let stderrUsable = true;
  streams.stdout.on("error", (error: NodeJS.ErrnoException) => {
    // A reader that stops early (`wattprint logs parse --json | head`) closed the pipe: that is
    // the reader's choice, not an error to report.
    const policy = streams.policy?.();
    if (error.code === "EPIPE") streams.exit(policy?.exitCode ?? streams.exitCode() ?? 0);
    // A full disk or a dead device: the output is lost, which the exit status must say, unless
    // the command owns its status (`track` exits with its command's, as for every failure
    // after the command ran).
    const message = `wattprint: cannot write the output: ${error.message}`;
    if (stderrUsable) {
      streams.stderr.write(
        policy?.json === true
          ? `${JSON.stringify({ kind: "output-failed", message })}\n`
          : `${message}\n`,
      );
    }
    streams.exit(policy?.exitCode ?? EXIT_FAILURE);
  });
  streams.stderr.on("error", () => {
    // Nowhere is left to report to. Carry on: `track` still waits for its command, writes the
    // logs and exits with the command's status, which is how the caller learns the outcome.
    stderrUsable = false;
  });
}
