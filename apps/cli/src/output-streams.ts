/**
 * What happens when our own output cannot be written. Node emits a failed write on stdout or
 * stderr as an 'error' event, and an unhandled one ends the process with a stack trace: a
 * reader that closed stderr (`wattprint track -- cmd 2>&1 | head -1`) made `track` exit 1
 * while its command was still running, leaving it orphaned and the logs unfinished.
 */
import { EXIT_FAILURE } from "./usage-error.ts";

interface OutputStreams {
  readonly stdout: NodeJS.EventEmitter;
  readonly stderr: NodeJS.EventEmitter & { write(text: string): boolean };
  readonly exit: (code: number) => never;
  readonly exitCode: () => number | undefined;
}

export function guardOutputStreams(streams: OutputStreams): void {
  let stderrUsable = true;
  streams.stdout.on("error", (error: NodeJS.ErrnoException) => {
    // A reader that stops early (`wattprint logs parse --json | head`) closed the pipe: that is
    // the reader's choice, not an error to report.
    if (error.code === "EPIPE") streams.exit(streams.exitCode() ?? 0);
    // A full disk or a dead device: the output is lost, which the exit status must say.
    if (stderrUsable)
      streams.stderr.write(`wattprint: cannot write the output: ${error.message}\n`);
    streams.exit(EXIT_FAILURE);
  });
  streams.stderr.on("error", () => {
    // Nowhere is left to report to. Carry on: `track` still waits for its command, writes the
    // logs and exits with the command's status, which is how the caller learns the outcome.
    stderrUsable = false;
  });
}
