import { join } from "node:path";
import { formatNumber } from "@wattprint/core";
import {
  AggregateAccumulator,
  type AggregateTotals,
  aggregateSentence,
  aggregateTuple,
  checkLogDir,
  computedEquivalentsNote,
  FORMAT_ATTRIBUTION,
  findLogSubfolders,
  type LogDirError,
  type LogScan,
  type ReportRun,
  renderHtmlReport,
  scanLogDir,
} from "@wattprint/logs";
import { fileErrorSentence } from "@wattprint/result";
import { parseCommandArgs, parseNumberFlag, quoted } from "../args.ts";
import { commandFailure } from "../error-output.ts";
import type { CliIo } from "../io.ts";
import { jsonText } from "../render/json-text.ts";
import { formatPairTables, formatRunRow, RUN_TABLE_HEADER } from "../render/logs-tables.ts";
import { terminalSafe } from "../render/terminal-text.ts";
import { replaceFile } from "../replace-file.ts";
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, UsageError } from "../usage-error.ts";
import { checkReportTarget } from "./report-target.ts";

/**
 * The most runs `logs report --max-runs` draws. Each drawn run's parsed logs (up to millions
 * of power values) stay in memory until the page is written, and a page of more charts than
 * this is not read; the runs past it still count in the totals.
 */
export const MAX_REPORT_RUNS = 1000;
/** Runs drawn when --max-runs is not given: buildHtmlReport's default. */
const DEFAULT_REPORT_RUNS = 200;

const HELP = `usage: wattprint logs parse <dir> [--json] [--strict]
       wattprint logs aggregate <dir> [--strict]
       wattprint logs report <dir> --html out.html [--max-runs N] [--strict]

Reads a folder of carbontracker logs (2.3, 2.4, or written by wattprint), with the defects
of carbontracker's own parser fixed (epoch counts, actual over predicted, records without
equivalents, device names, numbers).

  parse       a table per log pair; --json prints
              {"parse_all_logs": [...], "aggregate_consumption": [kWh, g, equivalents]}
              with carbontracker's key names
  aggregate   a table of the runs, then carbontracker's sentence for a paper
  report      a self-contained HTML report (charts inline; opens offline)

  --strict    exit 1 when a file was skipped or a run was read without its standard log
              (each is one line on stderr either way)

A folder where no log pair could be read is exit 1 ("nothing to report"), with or without
--strict: no table, no sentence and no report claim 0 kWh for it; the line on stderr names
the subfolders holding logs, if any. --json still prints its document, with an empty
"parse_all_logs". So are aggregate and report where no run read has a consumption record.
  --max-runs  runs drawn in the report, 0..${MAX_REPORT_RUNS} (default 200; every run counts in its totals)
`;

const OPTIONS = {
  json: { type: "boolean" },
  html: { type: "string" },
  "max-runs": { type: "string" },
  strict: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

/** A folder the user named that cannot be read: their mistake (exit 2) or the machine's (exit 1). */
function dirFailure(error: LogDirError): never {
  if (error.kind === "not-found" || error.kind === "not-a-directory") {
    throw new UsageError(`logs: ${error.message}`);
  }
  throw new DirectoryUnreadable(`wattprint logs: ${error.message}`);
}

class DirectoryUnreadable extends Error {}

/**
 * One skipped file. Its message quotes the file's name and what it held, and the folder may
 * be someone else's: its control characters are escaped, so it is one line and inert.
 */
const skipLine = (problem: { readonly kind: string; readonly message: string }): string =>
  `wattprint logs: skipped (${problem.kind}) ${terminalSafe(problem.message)}\n`;

function openScan(dir: string, io: CliIo): LogScan {
  const scan = scanLogDir(dir, {
    // Runs in name order, as carbontracker lists them; only the names are held to sort.
    order: "name",
    // Each skipped file is reported as it is met, one line each.
    onProblem: (problem) => io.stderr(skipLine(problem)),
  });
  if (!scan.ok) dirFailure(scan.error);
  return scan.value;
}

/** Subfolders named in "nothing to report"; more are counted, not listed. */
const SUBFOLDERS_NAMED = 3;

/**
 * The line for a folder where no pair was read, naming the subfolders that hold logs; raw,
 * commandFailure makes it terminal-safe (in JSON it stays text).
 */
function nothingToReport(dir: string): string {
  const { names: subfolders, cut } = findLogSubfolders(dir);
  const where = `wattprint logs: nothing to report: no carbontracker log pair read in ${dir}`;
  if (subfolders.length === 0) return `${where}\n`;
  const named = subfolders.slice(0, SUBFOLDERS_NAMED).map((name) => join(dir, name));
  const more = subfolders.length - named.length;
  // Past the subfolders looked into, the count is a floor, and there may be more unnamed.
  const andMore =
    more > 0 ? ` and ${cut ? "at least " : ""}${more} more` : cut ? " and maybe more" : "";
  return `${where}; logs are in its subfolder(s) ${named.join(", ")}${andMore} (it does not look into subfolders: name one)\n`;
}

/**
 * Closes a command over `scan`: notes on stderr, then the exit code. `totals` is given by the
 * commands that sum runs (aggregate, report): pairs read with no consumption record among them
 * are nothing to report either.
 */
function finish(scan: LogScan, strict: boolean, io: CliIo, totals?: AggregateTotals): number {
  const { counters, warnings } = scan.introspect();
  // A run whose standard log is damaged is still counted from its output log, as
  // carbontracker's aggregate counts it; the reader is told which and why, one line each.
  for (const warning of warnings) {
    io.stderr(
      `wattprint logs: read without its standard log (${warning.kind}) ${terminalSafe(warning.message)}\n`,
    );
  }
  const skipped = Object.values(counters.skipped).reduce((a, b) => a + b, 0);
  const notes = [
    [counters.standardLogsUnread, "run(s) counted from the output log alone"],
    [counters.pairsWithEpochsOutOfSequence, "pair(s) with epochs numbered out of sequence"],
    [counters.droppedIncompleteEpochs, "incomplete last epoch(s) left out"],
    [counters.cutLastLinesDropped, "cut last line(s) left out"],
    [counters.pairsWithRepeats, "output log(s) repeating a record or a field (the first read)"],
    [counters.pairsNotUtf8, "pair(s) holding bytes that are not UTF-8 (read as U+FFFD)"],
    [
      totals?.runsWithoutConsumption ?? 0,
      "run(s) with no consumption record, actual or predicted (not in the total)",
    ],
  ] as const;
  const noted = notes.filter(([count]) => count > 0).map(([count, what]) => `${count} ${what}`);
  if (skipped > 0 || noted.length > 0) {
    const parts = [`${counters.pairsParsed} pair(s) read`];
    if (skipped > 0) parts.push(`${skipped} file(s) skipped`);
    io.stderr(`wattprint logs: ${[...parts, ...noted].join(", ")}\n`);
  }
  // Nothing read is nothing to report, not a total of 0 kWh: a failure, strict or not.
  if (counters.pairsParsed === 0) {
    commandFailure(io, "nothing-to-report", nothingToReport(scan.logDir).trimEnd());
    return EXIT_FAILURE;
  }
  // Runs read, none with a record (each stopped before its first epoch ended or was
  // predicted): a total of 0 kWh would claim what the logs do not say.
  if (totals !== undefined && totals.runsCounted === 0) {
    io.stderr(
      `wattprint logs: nothing to report: ${counters.pairsParsed} pair(s) read in ${terminalSafe(scan.logDir)}, none with a consumption record (a run writes one once its first epoch ends, or is predicted)\n`,
    );
    return EXIT_FAILURE;
  }
  return strict && (skipped > 0 || counters.standardLogsUnread > 0) ? EXIT_FAILURE : EXIT_OK;
}

async function parse(dir: string, json: boolean, strict: boolean, io: CliIo): Promise<number> {
  const scan = openScan(dir, io);
  const total = new AggregateAccumulator();
  if (json) {
    // One JSON document, written pair by pair: a folder of any size prints in flat memory.
    io.stdout('{"parse_all_logs": [');
    let first = true;
    for await (const pair of scan) {
      total.add(pair);
      io.stdout(`${first ? "\n" : ",\n"}${jsonText(pair)}`);
      first = false;
    }
    io.stdout(
      `${first ? "" : "\n"}],\n"aggregate_consumption": ${jsonText(aggregateTuple(total.totals()))}}\n`,
    );
  } else {
    for await (const pair of scan) {
      const selected = total.add(pair);
      io.stdout(`${formatPairTables(pair, selected)}\n`);
    }
  }
  return finish(scan, strict, io);
}

async function aggregate(dir: string, strict: boolean, io: CliIo): Promise<number> {
  const scan = openScan(dir, io);
  const total = new AggregateAccumulator();
  // The header waits for the first run, and the sentence needs one: a folder where nothing
  // was read prints neither (a sentence would claim 0 kWh for runs never read).
  let rows = 0;
  for await (const pair of scan) {
    if (rows++ === 0) io.stdout(`${RUN_TABLE_HEADER}\n`);
    io.stdout(`${formatRunRow(pair, total.add(pair))}\n`);
  }
  const totals = total.totals();
  // wattprint read these logs; whether carbontracker or wattprint measured them, it cannot tell.
  if (totals.runsCounted > 0) {
    io.stdout(`\n${aggregateSentence(totals, FORMAT_ATTRIBUTION)}\n`);
    const note = computedEquivalentsNote(totals);
    if (note !== undefined) io.stdout(`${note}\n`);
  }
  return finish(scan, strict, io, totals);
}

async function report(
  dir: string,
  out: string,
  maxRuns: number | undefined,
  strict: boolean,
  io: CliIo,
): Promise<number> {
  const checked = checkLogDir(dir);
  if (!checked.ok) dirFailure(checked.error);
  // Checked before the folder is read; written only once it has been, then renamed into place.
  const target = checkReportTarget(out, dir);
  // The scan is read here, not in buildHtmlReport, so that its warnings and counters (runs read
  // without their standard log) reach --strict as they do for parse and aggregate.
  const scan = openScan(dir, io);
  const accumulator = new AggregateAccumulator();
  const runs: ReportRun[] = [];
  let runsNotShown = 0;
  const shown = maxRuns ?? DEFAULT_REPORT_RUNS;
  for await (const pair of scan) {
    const selected = accumulator.add(pair);
    if (runs.length < shown) runs.push({ pair, selected });
    else runsNotShown++;
  }
  const { problems, warnings, counters } = scan.introspect();
  const totals = accumulator.totals();
  // No page for a folder where nothing was read, or no run with a record: its totals would
  // claim 0 kWh.
  if (totals.runsCounted === 0) return finish(scan, strict, io, totals);
  const html = renderHtmlReport({
    logDir: dir,
    generatedAt: new Date(),
    runs,
    totals,
    runsNotShown,
    skipped: problems,
    warnings,
    skippedNotListed: counters.problemsNotListed,
  });
  try {
    await replaceFile(target, html);
  } catch (error) {
    const cause = fileErrorSentence(error);
    commandFailure(io, "unwritable", `wattprint logs report: cannot write ${out}: ${cause}`, {
      path: out,
    });
    return EXIT_FAILURE;
  }
  const skipped = Object.values(counters.skipped).reduce((a, b) => a + b, 0);
  io.stdout(
    `wrote ${terminalSafe(out)}: ${totals.runsCounted} run(s), ${formatNumber(totals.energyKWh)} kWh, ${formatNumber(totals.co2eqG)} g CO2eq${totals.runsWithUnknownCo2 > 0 ? ` (${totals.runsWithUnknownCo2} run(s) with unknown CO2eq not in it)` : ""}${skipped > 0 ? `, ${skipped} file(s) skipped` : ""}\n`,
  );
  return finish(scan, strict, io, totals);
}

export async function runLogs(argv: readonly string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === "--help" || sub === "-h" || sub === "help") {
    // Asked for, the help is the output; without a subcommand it is a usage error's text.
    if (sub === undefined) io.stderr(HELP);
    else io.stdout(HELP);
    return sub === undefined ? EXIT_USAGE : EXIT_OK;
  }
  if (sub !== "parse" && sub !== "aggregate" && sub !== "report") {
    throw new UsageError(
      `logs: unknown subcommand ${quoted(sub)}; subcommands: parse, aggregate, report`,
    );
  }
  const { values, positionals } = parseCommandArgs(`logs ${sub}`, rest, OPTIONS);
  if (values.help) {
    io.stdout(HELP);
    return EXIT_OK;
  }
  const [dir, extra] = positionals;
  if (dir === undefined)
    throw new UsageError(`logs ${sub}: which folder? usage: wattprint logs ${sub} <dir>`);
  if (extra !== undefined)
    throw new UsageError(`logs ${sub}: unexpected argument ${quoted(extra)}`);
  if (sub !== "parse" && values.json)
    throw new UsageError(`logs ${sub}: --json belongs to logs parse`);
  if (sub !== "report" && (values.html !== undefined || values["max-runs"] !== undefined)) {
    throw new UsageError(`logs ${sub}: --html and --max-runs belong to logs report`);
  }
  const strict = values.strict === true;
  try {
    if (sub === "parse") return await parse(dir, values.json === true, strict, io);
    if (sub === "aggregate") return await aggregate(dir, strict, io);
    if (values.html === undefined || values.html === "") {
      throw new UsageError("logs report: --html FILE is required (where to write the report)");
    }
    const maxRuns = parseNumberFlag("logs report", "max-runs", values["max-runs"], {
      min: 0,
      max: MAX_REPORT_RUNS,
      integer: true,
    });
    return await report(dir, values.html, maxRuns, strict, io);
  } catch (error) {
    if (error instanceof DirectoryUnreadable) {
      commandFailure(io, "unreadable", error.message);
      return EXIT_FAILURE;
    }
    throw error;
  }
}
