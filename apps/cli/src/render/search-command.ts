import { MAX_REQUEST_TEXT_CHARS } from "@wattprint/core";
import { parseCommandArgs, parseNumberFlag, quoted } from "../args.ts";
import type { CliIo } from "../io.ts";
import { EXIT_OK, UsageError } from "../usage-error.ts";
import { jsonText } from "./json-text.ts";
import { renderTable } from "./table.ts";
import { terminalSafe } from "./terminal-text.ts";

/**
 * Whether a query has something the tables' searches can match: each reads only Latin letters
 * and digits (accents folded), so "中国" or "!!!" were read as no query at all and listed every
 * row. A blank query still lists everything, as asked.
 */
function searchable(query: string): boolean {
  if (query.trim() === "") return true;
  return /[a-z0-9]/.test(query.normalize("NFKD").toLowerCase());
}

/** What `zones` and `hardware` share: a query, `--limit`, `--json`, and a table of results. */
export interface SearchCommand<R> {
  readonly name: string;
  readonly help: string;
  readonly what: string;
  search(query: string, limit: number | undefined): readonly R[];
  /** The columns; a function when some appear only for some results. */
  readonly header: readonly string[] | ((results: readonly R[]) => readonly string[]);
  row(result: R, results: readonly R[]): readonly string[];
  /** A line after the table, e.g. why the query itself does not resolve. */
  footer?(query: string, results: readonly R[]): string | undefined;
}

export function runSearchCommand<R>(
  command: SearchCommand<R>,
  argv: readonly string[],
  io: CliIo,
): number {
  const { values, positionals } = parseCommandArgs(command.name, argv, {
    limit: { type: "string" },
    json: { type: "boolean" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) {
    io.stdout(command.help);
    return EXIT_OK;
  }
  const limit = parseNumberFlag(command.name, "limit", values.limit, { min: 1, integer: true });
  const query = positionals.join(" ");
  // No name in the tables is this long, and an estimate refuses one (the core's request
  // limit): refused before the search, which would echo the whole query in "no match".
  if (query.length > MAX_REQUEST_TEXT_CHARS) {
    throw new UsageError(
      `${command.name}: the query ${quoted(query)} is longer than ${MAX_REQUEST_TEXT_CHARS} characters; no ${command.what} name is`,
    );
  }
  const canMatch = searchable(query);
  const results = canMatch ? command.search(query, limit) : [];
  if (values.json) {
    io.stdout(`${jsonText(results, null, 2)}\n`);
  } else if (results.length === 0) {
    // The footer's regions, machines and instances are searched the same way: none for it.
    const footer = canMatch ? command.footer?.(query, results) : undefined;
    // The query is the user's (or a script's) text: control characters are shown, not run.
    io.stdout(
      `no ${command.what} matches ${terminalSafe(quoted(query))}\n${footer === undefined ? "" : `${footer}\n`}`,
    );
  } else {
    const header = typeof command.header === "function" ? command.header(results) : command.header;
    const rows = results.map((result) => command.row(result, results));
    const footer = command.footer?.(query, results);
    io.stdout(`${renderTable(header, rows)}\n${footer === undefined ? "" : `${footer}\n`}`);
  }
  return EXIT_OK;
}
