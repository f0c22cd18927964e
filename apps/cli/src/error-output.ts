import { boundMessage } from "./args.ts";
import type { CliIo } from "./io.ts";
import { jsonText } from "./render/json-text.ts";
import { terminalSafe } from "./render/terminal-text.ts";

/**
 * How the command line reports what went wrong. Without `--json`, one line of text on stderr.
 * With `--json`, one JSON object per line on stderr in the workspace's failure shape
 * (`{"kind":"usage-error","message":"..."}`), so a script that asked for JSON never has to
 * parse prose: stdout stays the command's result, the exit code says whether there is one.
 * These kinds are the CLI's own; a command's failure carries its library's kind
 * (`model-not-loadable`, `no-devices`, ...: see `commandFailure`), and `diagnostic` is a
 * warning or a note that does not end the command.
 */
export type CliFailureKind =
  | "usage-error"
  | "unknown-command"
  | "missing-package"
  | "internal-error";

export function wantsJson(argv: readonly string[]): boolean {
  const end = argv.indexOf("--");
  return (end < 0 ? argv : argv.slice(0, end)).includes("--json");
}

export function reportFailure(
  io: CliIo,
  json: boolean,
  kind: CliFailureKind,
  message: string,
  details: Readonly<Record<string, unknown>> = {},
): void {
  // A user's mistake may quote 100 KB they typed (here or in the core's message): bounded.
  const text = kind === "internal-error" ? message : boundMessage(message);
  if (json) {
    io.stderr(`${jsonText({ kind, message: text, ...details })}\n`);
    return;
  }
  // A usage error quotes what was typed (a value, a command's name), perhaps by a script: its
  // control characters are escaped so the line stays one line and cannot drive the terminal.
  // An internal error is ours, a message and a stack over several lines.
  io.stderr(`${kind === "internal-error" ? text : terminalSafe(text)}\n`);
}

/**
 * A failure that ends a command, with the kind its library gave it (or the command's own),
 * so a `--json` reader can switch on it: without this it reached stderr as one more line, a
 * `diagnostic` whose real kind was lost. Plain, the line is made terminal-safe; in JSON it is
 * not, since JSON.stringify escapes control characters itself and a JSON reader wants the
 * text, not `\u000a` spelled out.
 */
export function commandFailure(
  io: CliIo,
  kind: string,
  message: string,
  details: Readonly<Record<string, unknown>> = {},
): void {
  const text = boundMessage(message);
  if (io.failure !== undefined) io.failure(kind, text, details);
  else io.stderr(`${terminalSafe(text)}\n`);
}

/**
 * The io a command gets under `--json`: each line it writes to stderr (a skipped file, a
 * refused device) becomes `{"kind":"diagnostic","message":"..."}`. Partial lines are held until
 * their newline, so a message written in pieces is still one object.
 */
export function jsonDiagnostics(io: CliIo): CliIo & { flush(): void } {
  let pending = "";
  const emit = (line: string) => {
    if (line.trim() !== "") io.stderr(`${jsonText({ kind: "diagnostic", message: line })}\n`);
  };
  return {
    ...io,
    // A status line redrawn in place would arrive as a stream of diagnostics: plain lines only.
    stderrTerminal: null,
    stderr: (text) => {
      const lines = (pending + text).split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) emit(line);
    },
    flush: () => {
      emit(pending);
      pending = "";
    },
    failure: (kind, message, details) => {
      // Whatever was written before it keeps its place before it.
      emit(pending);
      pending = "";
      io.stderr(`${jsonText({ kind, message, ...details })}\n`);
    },
  };
}
