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

/** A table after the first, cut to the same `--limit` (catalogue-tables.ts builds them). */
export interface ListingSection {
  /** What a row is, for the line that counts the rows cut: "cloud region". */
  readonly what: string;
  /** Every row that matched. */
  readonly total: number;
  /** The titled table of the first `limit` rows, or nothing when no row matches. */
  lines(limit: number): string[];
}

/** What `zones` and `hardware` share: a query, `--limit`, `--json`, and a table of results. */
export interface SearchCommand<R> {
  readonly name: string;
  readonly help: string;
  readonly what: string;
  /** Every match, best first: `--limit` is applied by the caller, which counts what it cuts. */
  search(query: string): readonly R[];
  /** The columns; a function when some appear only for some results. */
  readonly header: readonly string[] | ((results: readonly R[]) => readonly string[]);
  row(result: R, results: readonly R[]): readonly string[];
  /**
   * What follows the table: notes (why the query itself does not resolve) and further
   * sections, which `--limit` cuts as it cuts the table. `results` is every match.
   */
  footer?(query: string, results: readonly R[]): Footer;
}

export interface Footer {
  readonly notes: readonly string[];
  readonly sections: readonly ListingSection[];
}

/** The first table and each section cut to `limit`, and the rows each lost. */
interface Cut {
  readonly what: string;
  readonly total: number;
  readonly shown: number;
}

/**
 * One line for every table `--limit` cut: how many rows of how many were left out, so that a
 * listing never reads as complete when it is not.
 */
function cutLine(name: string, limit: number, cuts: readonly Cut[]): string | undefined {
  const cut = cuts.filter((c) => c.shown < c.total);
  if (cut.length === 0) return undefined;
  const parts = cut.map((c) => `${c.total - c.shown} of ${c.total} ${c.what} rows`);
  return `wattprint ${name}: --limit ${limit} left out ${parts.join(", ")}; raise --limit to see them\n`;
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
  const matched = canMatch ? command.search(query) : [];
  const shownLimit = limit ?? Number.POSITIVE_INFINITY;
  const results = matched.slice(0, shownLimit);
  const first: Cut = { what: command.what, total: matched.length, shown: results.length };
  if (values.json) {
    // --json prints the first table alone: its cut is the one to count.
    io.stdout(`${jsonText(results, null, 2)}\n`);
    const line = limit === undefined ? undefined : cutLine(command.name, limit, [first]);
    if (line !== undefined) io.stderr(line);
    return EXIT_OK;
  }
  // The footer's regions, machines and instances are searched the same way: none for a query
  // that cannot match.
  const footer = canMatch ? command.footer?.(query, matched) : undefined;
  const sections = footer?.sections ?? [];
  const after = [...(footer?.notes ?? []), ...sections.flatMap((part) => part.lines(shownLimit))];
  const tail = after.length === 0 ? "" : `${after.join("\n")}\n`;
  if (results.length === 0) {
    // The query is the user's (or a script's) text: control characters are shown, not run.
    io.stdout(`no ${command.what} matches ${terminalSafe(quoted(query))}\n${tail}`);
  } else {
    const header = typeof command.header === "function" ? command.header(results) : command.header;
    const rows = results.map((result) => command.row(result, results));
    io.stdout(`${renderTable(header, rows)}\n${tail}`);
  }
  if (limit !== undefined) {
    const cuts = [
      first,
      ...sections.map((part) => ({
        what: part.what,
        total: part.total,
        shown: Math.min(part.total, limit),
      })),
    ];
    const line = cutLine(command.name, limit, cuts);
    if (line !== undefined) io.stderr(line);
  }
  return EXIT_OK;
}
