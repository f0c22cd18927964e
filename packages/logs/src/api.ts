import { opendirSync, Stats, statSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { err, failure, fileErrorSentence, ok, type Result } from "@wattprint/result";
import {
  AggregateAccumulator,
  type AggregateTotals,
  aggregateSentence,
} from "./aggregate/aggregate.ts";
import { classifyLogFileName, outputLogName, standardLogName } from "./format/file-names.ts";
import { parseComponentsLine } from "./parse/devices.ts";
import { LineReader } from "./parse/line-reader.ts";
import { messageOf } from "./parse/messages.ts";
import { OutputLogParser } from "./parse/output-log.ts";
import { feedText, parseLogPairFiles } from "./parse/pair.ts";
import type { FileProblem } from "./parse/problems.ts";
import {
  checkLogDir,
  type LogDirError,
  type ScanCounters,
  type ScanOptions,
  scanLogDir,
  scanOptionsSchema,
} from "./parse/scan.ts";
import type { Components, ConsumptionRecord, ParsedLogPair } from "./parse/schemas.ts";
import {
  DEFAULT_MAX_POWER_VALUES,
  type StandardLog,
  StandardLogParser,
} from "./parse/standard-log.ts";
import { isSystemError } from "./parse/system-error.ts";

/**
 * carbontracker's parser API (`carbontracker.parser`), camel-cased, with the same keys and
 * units in what it returns, without its defects (docs/carbontracker-logs.md §6). Folder-level
 * functions return a `Result` that fails only for the folder; files that cannot be used are
 * in `skipped`, and the rest is parsed.
 */

export interface ParsedLogs {
  /** carbontracker's `parse_all_logs` list, sorted by output file name. */
  readonly logs: readonly ParsedLogPair[];
  readonly skipped: readonly FileProblem[];
  /** Problems of a pair still read: its standard log (`counters.standardLogsUnread`). */
  readonly warnings: readonly FileProblem[];
  readonly counters: ScanCounters;
}

/** Every pair of the folder, in memory. For large folders iterate `scanLogDir` instead. */
export async function parseAllLogs(
  logDir: string,
  options: ScanOptions = {},
): Promise<Result<ParsedLogs, LogDirError>> {
  const scan = scanLogDir(logDir, { order: "name", ...options });
  if (!scan.ok) return scan;
  const logs: ParsedLogPair[] = [];
  for await (const pair of scan.value) logs.push(pair);
  const { counters, problems, warnings } = scan.value.introspect();
  return ok({ logs, skipped: problems, warnings, counters });
}

export interface Aggregate extends AggregateTotals {
  readonly skipped: readonly FileProblem[];
  /** Problems of a pair still counted: its standard log (`counters.standardLogsUnread`). */
  readonly warnings: readonly FileProblem[];
  readonly counters: ScanCounters;
}

/** The folder's total energy, CO2 and equivalents, streaming: one pair in memory at a time. */
export async function aggregateConsumption(
  logDir: string,
  options: ScanOptions = {},
): Promise<Result<Aggregate, LogDirError>> {
  const scan = scanLogDir(logDir, options);
  if (!scan.ok) return scan;
  const accumulator = new AggregateAccumulator();
  for await (const pair of scan.value) accumulator.add(pair);
  const { counters, problems, warnings } = scan.value.introspect();
  return ok({ ...accumulator.totals(), skipped: problems, warnings, counters });
}

/**
 * carbontracker's `print_aggregate`: writes the sentence (by default to stdout) and returns
 * it. Skipped files are in the failure-free result's `aggregate.skipped`.
 */
export async function printAggregate(
  logDir: string,
  options: ScanOptions & { readonly write?: (line: string) => void } = {},
): Promise<Result<{ readonly sentence: string; readonly aggregate: Aggregate }, LogDirError>> {
  const { write = (line: string) => process.stdout.write(line), ...scanOptions } = options;
  const aggregate = await aggregateConsumption(logDir, scanOptions);
  if (!aggregate.ok) return aggregate;
  const sentence = aggregateSentence(aggregate.value);
  write(`${sentence}\n`);
  return ok({ sentence, aggregate: aggregate.value });
}

/**
 * carbontracker's `parse_logs`: the components of one run. With both files given, those;
 * otherwise the folder's most recent pair (the newest modification time of either file,
 * pairs formed by stem).
 */
export function parseLogs(
  logDir: string,
  stdLogFile?: string,
  outputLogFile?: string,
  options: ScanOptions = {},
): Result<Components, LogDirError | FileProblem> {
  const checked = scanOptionsSchema.safeParse({ ...options, onProblem: undefined });
  if (!checked.success) {
    const field = checked.error.issues[0]?.path.join(".") ?? "";
    return err(
      failure(
        "invalid-options",
        `parse options: ${field}: ${checked.error.issues[0]?.message ?? "invalid"}`,
        { field },
      ),
    );
  }
  const resolved = checked.data;
  let files: { standard: string; output: string };
  if (stdLogFile !== undefined && outputLogFile !== undefined) {
    files = { standard: stdLogFile, output: outputLogFile };
  } else {
    const recent = mostRecentPair(logDir);
    if (!recent.ok) return recent;
    files = recent.value;
  }
  const parsed = parseLogPairFiles(
    new LineReader(resolved),
    files.standard,
    files.output,
    resolved,
  );
  if (!parsed.ok) return parsed;
  // The components are all this returns, and an unread standard log has none.
  const { standardProblem } = parsed.value;
  return standardProblem === undefined ? ok(parsed.value.pair.components) : err(standardProblem);
}

/**
 * The newest pair of the folder by modification time (carbontracker's `get_most_recent_logs`).
 * A pair whose file cannot be stat'ed (a symlink loop, no permission) is passed over, never
 * thrown: when no other pair is left, the first such file is the `unreadable` failure.
 */
export function mostRecentPair(
  logDir: string,
): Result<{ readonly standard: string; readonly output: string }, LogDirError | FileProblem> {
  const checked = checkLogDir(logDir);
  if (!checked.ok) return checked;
  let best: { standard: string; output: string; mtimeMs: number } | undefined;
  let unreadable: FileProblem | undefined;
  let names: string[];
  try {
    names = listNames(logDir);
  } catch (error) {
    if (!isSystemError(error)) throw error;
    return err(
      failure("unreadable", `cannot list ${logDir}: ${fileErrorSentence(error)}`, { path: logDir }),
    );
  }
  for (const name of names) {
    const log = classifyLogFileName(name);
    if (log?.kind !== "output") continue;
    const output = join(logDir, name);
    const standard = join(logDir, standardLogName(log.stem));
    const outputStat = statLog(output);
    if (!(outputStat instanceof Stats)) {
      unreadable ??= outputStat;
      continue;
    }
    const standardStat = statLog(standard);
    if (!(standardStat instanceof Stats)) {
      unreadable ??= standardStat;
      continue;
    }
    if (!outputStat.isFile() || !standardStat.isFile()) continue;
    const mtimeMs = Math.max(outputStat.mtimeMs, standardStat.mtimeMs);
    if (best === undefined || mtimeMs > best.mtimeMs) best = { standard, output, mtimeMs };
  }
  if (best === undefined) {
    return err(
      unreadable ??
        failure("unpaired", `${logDir} holds no pair of carbontracker logs`, { path: logDir }),
    );
  }
  return ok({ standard: best.standard, output: best.output });
}

/**
 * A log's stat; undefined when there is none: missing, or a name too long for the file system
 * (a listed output log's standard log has a shorter name, but a caller's folder may not be
 * ours). Any other system error is the file's `unreadable` problem, for the caller to report.
 */
function statLog(path: string): Stats | undefined | FileProblem {
  try {
    return statSync(path, { throwIfNoEntry: false });
  } catch (error) {
    if (!isSystemError(error)) throw error;
    if (error.code === "ENAMETOOLONG") return undefined;
    return failure("unreadable", `cannot stat ${path}: ${error.message}`, { path });
  }
}

function listNames(logDir: string): string[] {
  const names: string[] = [];
  const dir = opendirSync(logDir);
  try {
    for (let entry = dir.readSync(); entry !== null; entry = dir.readSync()) names.push(entry.name);
  } finally {
    dir.closeSync();
  }
  return names;
}

/** The output log path that pairs with a standard log path, and the reverse. */
export function pairedPath(path: string): string | undefined {
  const log = classifyLogFileName(basename(path));
  if (log === undefined || log.kind === "error") return undefined;
  return join(
    dirname(path),
    log.kind === "standard" ? outputLogName(log.stem) : standardLogName(log.stem),
  );
}

const TEXT = "<text>";

function readStandardText(stdLogData: string): Result<StandardLog, FileProblem> {
  const parser = new StandardLogParser(TEXT, {
    maxEpochs: 1_000_000,
    maxComponents: 64,
    maxPowerValues: DEFAULT_MAX_POWER_VALUES,
  });
  const cut = feedText(stdLogData, parser, TEXT);
  return cut === undefined ? parser.finish() : err(cut);
}

/**
 * carbontracker's `get_consumption`: `[actual, pred]` from an output log's text, each null
 * when absent. Fails for a damaged record rather than reading it as absent.
 */
export function getConsumption(
  outputLogData: string,
): Result<
  readonly [actual: ConsumptionRecord | null, pred: ConsumptionRecord | null],
  FileProblem
> {
  const parser = new OutputLogParser(TEXT);
  const cut = feedText(outputLogData, parser, TEXT);
  const parsed = cut === undefined ? parser.finish() : err(cut);
  return parsed.ok ? ok([parsed.value.actual, parsed.value.pred] as const) : parsed;
}

/** carbontracker's `get_early_stop`: the standard log says "Training was interrupted". */
export function getEarlyStop(stdLogData: string): boolean {
  return /training was interrupted/i.test(stdLogData);
}

/** carbontracker's `get_devices`: `{ gpu: ["NVIDIA A100"], cpu: ["cpu:0", "dram:0"] }`, trimmed, dots kept. */
export function getDevices(stdLogData: string): Record<string, string[]> {
  const devices: Record<string, string[]> = {};
  const prefix = "The following components were found:";
  // `\r\n` and a lone `\r` end a line too, as everywhere in this package.
  for (const line of stdLogData.split(/\r\n|\r|\n/)) {
    const message = messageOf(line) ?? line;
    if (!message.startsWith(prefix)) continue;
    for (const [name, list] of parseComponentsLine(message.slice(prefix.length).trimEnd())) {
      devices[name] = list;
    }
    break;
  }
  return devices;
}

/** carbontracker's `get_epoch_durations`: seconds per epoch. */
export function getEpochDurations(stdLogData: string): Result<number[], FileProblem> {
  const parsed = readStandardText(stdLogData);
  return parsed.ok ? ok([...parsed.value.epochDurationsS]) : parsed;
}

/** carbontracker's `get_avg_power_usages`: per component, the values of each epoch's power line. */
export function getAvgPowerUsages(
  stdLogData: string,
): Result<Record<string, number[][]>, FileProblem> {
  const parsed = readStandardText(stdLogData);
  if (!parsed.ok) return parsed;
  const usages: Record<string, number[][]> = {};
  for (const [name, epochs] of parsed.value.powerW)
    usages[name] = epochs.map((values) => [...values]);
  return ok(usages);
}
