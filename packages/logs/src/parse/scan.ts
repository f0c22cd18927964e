import { opendirSync, statSync } from "node:fs";
import { sep } from "node:path";
import { setImmediate as yieldToEventLoop } from "node:timers/promises";
import { err, type Failure, failure, fileErrorSentence, ok, type Result } from "@wattprint/result";
import { z } from "zod";
import {
  classifyLogFileName,
  type LogFileName,
  outputLogName,
  standardLogName,
} from "../format/file-names.ts";
import { LineReader } from "./line-reader.ts";
import { parseLogPairFiles } from "./pair.ts";
import { type FileProblem, SKIP_REASONS, type SkipReason } from "./problems.ts";
import type { ParsedLogPair } from "./schemas.ts";
import { SortedNames } from "./sorted-names.ts";
import { DEFAULT_MAX_POWER_VALUES } from "./standard-log.ts";
import { isSystemError } from "./system-error.ts";

export const scanOptionsSchema = z.object({
  /**
   * `directory` (default): pairs in the order the file system lists them; memory stays flat
   * however many files there are. `name`: sorted by output file name, as carbontracker's
   * list; the output logs' names (not the files) are held to sort them, packed as bytes
   * (about 30 bytes per pair, see `SortedNames`).
   */
  order: z.enum(["directory", "name"]).default("directory"),
  maxFileBytes: z
    .number()
    .int()
    .positive()
    .default(256 * 1024 * 1024),
  maxLineBytes: z
    .number()
    .int()
    .positive()
    .default(1024 * 1024),
  maxEpochs: z.number().int().positive().default(1_000_000),
  maxComponents: z.number().int().positive().default(64),
  /**
   * Power values held per standard log, every component and epoch together (an array line
   * holds many); a log with more is skipped as `too-many-values`. See `DEFAULT_MAX_POWER_VALUES`.
   */
  maxPowerValues: z.number().int().positive().default(DEFAULT_MAX_POWER_VALUES),
  /** Skipped files kept for `introspect()`; beyond this they are counted only. */
  maxListedProblems: z.number().int().nonnegative().default(10_000),
  /** With `order: "name"`: output logs held for sorting; beyond this they are left out, counted. */
  maxSortedEntries: z.number().int().positive().default(10_000_000),
  /** Called once per skipped file, as it is skipped (e.g. to print it). */
  onProblem: z.custom<(problem: FileProblem) => void>((v) => typeof v === "function").optional(),
});
export type ScanOptions = z.input<typeof scanOptionsSchema>;
type ResolvedScanOptions = z.output<typeof scanOptionsSchema>;

export type LogDirError =
  | (Failure<"not-found" | "not-a-directory" | "unreadable"> & { readonly path: string })
  | (Failure<"invalid-options"> & { readonly field: string });

export interface ScanCounters {
  /** Directory entries looked at. */
  entriesSeen: number;
  pairsParsed: number;
  /** `*_carbontracker_err.log` files: carbontracker's error logs, not read. */
  errorLogs: number;
  /** Entries whose name is not a carbontracker log's (`notes.txt`, `x_carbontracker.log.bak`). */
  notLogs: number;
  /** Pairs read whose standard log ended inside an epoch; that epoch was left out. */
  droppedIncompleteEpochs: number;
  /**
   * Pairs read whose standard log numbers its `Epoch n:` headers other than 1, 2, 3, ... (a
   * block written twice, a number skipped or repeated). Read as carbontracker reads them, one
   * epoch per block whatever its number, and counted here: the figures may hold an epoch
   * twice or miss one.
   */
  pairsWithEpochsOutOfSequence: number;
  /**
   * Pairs read whose standard log could not be (cut, damaged, an epoch with a hole, too
   * many values...): the run is kept with its output log's records, as carbontracker's
   * aggregate counts it, with no components; the problem is listed in `warnings`.
   */
  standardLogsUnread: number;
  /**
   * Pairs read whose output log's last line had no line break and came after a complete
   * record or none: that line (a stamp cut short, say) was left out, the rest read.
   */
  cutLastLinesDropped: number;
  /**
   * Pairs read whose output log repeats a record's field, a record or an equivalent's unit:
   * read as carbontracker reads it (see `OutputLog.repeatsIgnored`), and counted here.
   */
  pairsWithRepeats: number;
  /** Pairs read whose files held bytes that are not UTF-8: read as U+FFFD, and counted here. */
  pairsNotUtf8: number;
  /** Files skipped, by reason. */
  skipped: Record<SkipReason, number>;
  /** Skipped files and warnings beyond `maxListedProblems`: counted above, not listed. */
  problemsNotListed: number;
  /** Entries not sorted because `maxSortedEntries` was reached (`order: "name"` only). */
  entriesNotSorted: number;
}

export interface ScanIntrospection {
  readonly counters: ScanCounters;
  readonly problems: readonly FileProblem[];
  /** Problems of files whose pair was still read (`standardLogsUnread`); not skips. */
  readonly warnings: readonly FileProblem[];
}

function emptyCounters(): ScanCounters {
  const skipped = {} as Record<SkipReason, number>;
  for (const reason of SKIP_REASONS) skipped[reason] = 0;
  return {
    entriesSeen: 0,
    pairsParsed: 0,
    errorLogs: 0,
    notLogs: 0,
    droppedIncompleteEpochs: 0,
    pairsWithEpochsOutOfSequence: 0,
    standardLogsUnread: 0,
    cutLastLinesDropped: 0,
    pairsWithRepeats: 0,
    pairsNotUtf8: 0,
    skipped,
    problemsNotListed: 0,
    entriesNotSorted: 0,
  };
}

/** Pairs parsed between two turns of the event loop, so a long scan does not starve timers. */
const PAIRS_PER_TURN = 64;
/** Stems held to pair logs in directory order (about 100 bytes each). */
const MAX_HALF_SEEN = 16_384;

/**
 * Opens a folder of carbontracker logs for parsing. Fails only for the folder itself (it does
 * not exist, is not a folder, cannot be listed); a file inside it that cannot be used is
 * skipped, counted and listed, and the scan goes on.
 */
export function scanLogDir(
  logDir: string,
  options: ScanOptions = {},
): Result<LogScan, LogDirError> {
  const parsed = scanOptionsSchema.safeParse(options);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join(".") ?? "";
    return err(
      failure("invalid-options", `scan options: ${field}: ${issue?.message ?? "invalid"}`, {
        field,
      }),
    );
  }
  const checked = checkLogDir(logDir);
  return checked.ok ? ok(new LogScan(logDir, parsed.data)) : checked;
}

/** The folder exists, is a folder, and can be listed. */
export function checkLogDir(path: string): Result<void, LogDirError> {
  try {
    const stat = statSync(path, { throwIfNoEntry: false });
    if (stat === undefined)
      return err(failure("not-found", `${path}: no such directory`, { path }));
    if (!stat.isDirectory())
      return err(failure("not-a-directory", `${path} is not a directory`, { path }));
    opendirSync(path).closeSync();
    return ok(undefined);
  } catch (error) {
    // What the system said, as what went wrong and the fix (EACCES: "permission denied: give
    // this user access to it, …"), not the system call's text.
    return err(failure("unreadable", `cannot list ${path}: ${fileErrorSentence(error)}`, { path }));
  }
}

/**
 * One pass over a log folder, one pair at a time: each pair's two files are streamed through
 * the line parsers and only the parsed pair is kept, until the consumer takes the next. The
 * counters and the skipped files are read with `introspect()`, during or after the pass.
 */
export class LogScan implements AsyncIterable<ParsedLogPair> {
  private readonly counters = emptyCounters();
  private readonly problems: FileProblem[] = [];
  private readonly warnings: FileProblem[] = [];
  private started = false;
  private readonly reader: LineReader;
  /**
   * Directory order: runs of which one log was listed and the other not yet. Pairing through
   * this map spares a stat per pair; it is bounded, and past the bound a stat does the job.
   */
  private readonly halfSeen = new Map<string, "standard" | "output">();
  /**
   * The folder as given and a separator: the paths are carbontracker's `os.path.join`, which
   * does not normalise (`./dir/` gives `./dir/x`, where `path.join` gives `dir/x`).
   */
  private readonly dirPrefix: string;

  constructor(
    readonly logDir: string,
    private readonly options: ResolvedScanOptions,
  ) {
    this.reader = new LineReader(options);
    this.dirPrefix = logDir === "" || /[\\/]$/.test(logDir) ? logDir : logDir + sep;
  }

  introspect(): ScanIntrospection {
    return {
      counters: { ...this.counters, skipped: { ...this.counters.skipped } },
      problems: [...this.problems],
      warnings: [...this.warnings],
    };
  }

  [Symbol.asyncIterator](): AsyncGenerator<ParsedLogPair> {
    return this.pairs();
  }

  /** The pairs, once: a scan is a single pass (start another with `scanLogDir`). */
  async *pairs(): AsyncGenerator<ParsedLogPair> {
    if (this.started) throw new Error("a LogScan is iterated once; call scanLogDir again");
    this.started = true;
    const names = this.options.order === "name" ? this.sortedNames() : undefined;
    const sortedOrder = names?.[Symbol.iterator]();
    const dir =
      names === undefined
        ? this.systemCall(() => opendirSync(this.logDir, { bufferSize: 1024 }))
        : undefined;
    try {
      let sinceTurn = 0;
      for (;;) {
        let name: string | undefined;
        if (sortedOrder !== undefined) name = sortedOrder.next().value ?? undefined;
        else {
          const entry = dir === undefined ? null : (this.systemCall(() => dir.readSync()) ?? null);
          if (entry?.isDirectory()) {
            this.counters.entriesSeen++;
            this.counters.notLogs++;
            continue;
          }
          name = entry?.name;
        }
        if (name === undefined) {
          if (names === undefined) this.reportUnmatchedStandards();
          else this.reportLoneStandardsListed(names);
          break;
        }
        const pair = this.visit(name, names !== undefined);
        if (pair === undefined) continue;
        yield pair;
        if (++sinceTurn === PAIRS_PER_TURN) {
          sinceTurn = 0;
          await yieldToEventLoop();
        }
      }
    } finally {
      if (dir !== undefined) this.systemCall(() => dir.closeSync());
    }
  }

  /**
   * A directory call; a system error (the folder vanished, EIO) ends the listing as a counted
   * `unreadable` problem. Anything else is a bug and is thrown.
   */
  private systemCall<T>(call: () => T): T | undefined {
    try {
      return call();
    } catch (error) {
      if (!isSystemError(error)) throw error;
      this.report(
        failure("unreadable", `listing ${this.logDir} failed: ${error.message}`, {
          path: this.logDir,
        }),
      );
      return undefined;
    }
  }

  /**
   * Name order: the output logs' names, sorted. Only output logs are held (one name per
   * pair, not two, packed as bytes): a standard log is read through its output log's entry,
   * and the standard logs without one are found by a second listing at the end
   * (`reportLoneStandardsListed`).
   */
  private sortedNames(): SortedNames {
    const names = new SortedNames(outputLogName(""));
    this.listLogs((name, log) => {
      const kind = log?.kind;
      if (kind !== "output") {
        this.counters.entriesSeen++;
        if (kind === "error") this.counters.errorLogs++;
        else if (kind === undefined) this.counters.notLogs++;
      } else if (names.size < this.options.maxSortedEntries) names.add(name);
      else {
        this.counters.entriesSeen++;
        this.counters.entriesNotSorted++;
      }
    });
    return names;
  }

  /** Every entry of the folder with its log name's parts (undefined: a folder, or not a log's name). */
  private listLogs(visit: (name: string, log: LogFileName | undefined) => void): void {
    const dir = this.systemCall(() => opendirSync(this.logDir, { bufferSize: 1024 }));
    if (dir === undefined) return;
    try {
      for (
        let entry = this.systemCall(() => dir.readSync());
        entry;
        entry = this.systemCall(() => dir.readSync())
      ) {
        visit(entry.name, entry.isDirectory() ? undefined : classifyLogFileName(entry.name));
      }
    } finally {
      this.systemCall(() => dir.closeSync());
    }
  }

  /**
   * Name order, after the pairs: the standard logs whose output log is not among the names.
   * When `maxSortedEntries` left output logs out of the sort, a name missing from the sorted
   * ones may be one of those (already counted in `entriesNotSorted`; their names are not
   * held, or the cap would not bound memory): the disk says whether the output log is there,
   * so such a pair is not also reported as a standard log without its output log.
   */
  private reportLoneStandardsListed(sorted: SortedNames): void {
    const someNotSorted = this.counters.entriesNotSorted > 0;
    this.listLogs((name, log) => {
      if (log?.kind === "standard" && this.undecodableName(name)) return;
      if (log?.kind === "standard" && !sorted.has(outputLogName(log.stem))) {
        if (someNotSorted) this.reportIfLone(log.stem, false);
        else this.reportLoneStandard(log.stem);
      }
    });
  }

  /** One directory entry: the pair it opens, or nothing (counted). */
  private visit(name: string, byName: boolean): ParsedLogPair | undefined {
    this.counters.entriesSeen++;
    const log = classifyLogFileName(name);
    if (log === undefined) {
      this.counters.notLogs++;
      return undefined;
    }
    if (log.kind === "error") {
      this.counters.errorLogs++;
      return undefined;
    }
    if (this.undecodableName(name)) return undefined;
    if (log.kind === "standard") {
      // The pair is read from its output log's entry; a standard log alone is reported.
      // Name order lists only output logs (see sortedNames).
      if (byName) return undefined;
      if (!this.halfSeen.delete(log.stem)) {
        // Its output log is not listed yet: remember the stem while there is room, else
        // ask the file system now.
        if (this.halfSeen.size < MAX_HALF_SEEN) this.halfSeen.set(log.stem, "standard");
        else this.reportIfLone(log.stem, false);
      }
      return undefined;
    }
    const outputPath = this.dirPrefix + name;
    const standardPath = this.dirPrefix + standardLogName(log.stem);
    const parsed = parseLogPairFiles(this.reader, standardPath, outputPath, this.options);
    if (!parsed.ok) {
      const problem = parsed.error;
      const standardMissing = problem.kind === "missing" && problem.path === standardPath;
      if (!standardMissing && !byName) this.outputSeen(log.stem);
      this.report(
        standardMissing
          ? failure(
              "unpaired",
              `${outputPath} has no standard log (${standardLogName(log.stem)})`,
              {
                path: outputPath,
              },
            )
          : problem,
      );
      return undefined;
    }
    this.counters.pairsParsed++;
    if (parsed.value.droppedIncompleteEpoch) this.counters.droppedIncompleteEpochs++;
    if (parsed.value.epochHeadersOutOfSequence > 0) this.counters.pairsWithEpochsOutOfSequence++;
    if (parsed.value.droppedLastLine) this.counters.cutLastLinesDropped++;
    if (parsed.value.repeatsIgnored > 0) this.counters.pairsWithRepeats++;
    if (parsed.value.notUtf8) this.counters.pairsNotUtf8++;
    if (parsed.value.standardProblem !== undefined) {
      this.counters.standardLogsUnread++;
      if (this.warnings.length < this.options.maxListedProblems) {
        this.warnings.push(parsed.value.standardProblem);
      } else this.counters.problemsNotListed++;
    }
    if (!byName) this.outputSeen(log.stem);
    return parsed.value.pair;
  }

  /** An output log was read with its standard log: pair it with that entry, before or after. */
  private outputSeen(stem: string): void {
    if (!this.halfSeen.delete(stem) && this.halfSeen.size < MAX_HALF_SEEN) {
      this.halfSeen.set(stem, "output");
    }
  }

  /** After the listing: standard logs whose output log never came, checked once more on disk. */
  private reportUnmatchedStandards(): void {
    // The listing is over: an output log still unmatched was never visited, so a stat error
    // on it is reported here or nowhere.
    for (const [stem, kind] of this.halfSeen) {
      if (kind === "standard") this.reportIfLone(stem, true);
    }
    this.halfSeen.clear();
  }

  /**
   * Reports the standard log of `stem` `unpaired` when its output log is not a file on disk
   * (stat, not access: a folder named like the output log does not pair). The stat can fail
   * for more than a missing file, and none of it may escape the scan (it would end the whole
   * folder's pass): a name too long for the file system (a 255-byte standard log's output log
   * needs 262) cannot exist, so the standard log has no output log. Any other error (`ELOOP`
   * on a symlink loop, `EACCES`, `EIO`) means the name is there but cannot be used: it is
   * counted `unreadable` when `reportErrors`; during the listing it is not, since the output
   * log's own entry is listed too, and reading it counts the same error once.
   */
  private reportIfLone(stem: string, reportErrors: boolean): void {
    const path = this.dirPrefix + outputLogName(stem);
    let isFile: boolean;
    try {
      isFile = statSync(path, { throwIfNoEntry: false })?.isFile() === true;
    } catch (error) {
      if (!isSystemError(error)) throw error;
      if (error.code !== "ENAMETOOLONG") {
        if (reportErrors) {
          this.report(failure("unreadable", `cannot stat ${path}: ${error.message}`, { path }));
        }
        return;
      }
      isFile = false;
    }
    if (!isFile) this.reportLoneStandard(stem);
  }

  /**
   * A name that is not UTF-8 (Linux allows any bytes but `/` and NUL) reaches this code with
   * U+FFFD in place of its bad bytes, and no file has that name: it is reported `unreadable`,
   * and what to do, rather than `missing` or `unpaired`. Only a name holding U+FFFD is checked
   * on disk (a name may hold U+FFFD itself, encoded).
   */
  private undecodableName(name: string): boolean {
    if (!name.includes("\uFFFD")) return false;
    const path = this.dirPrefix + name;
    try {
      if (statSync(path, { throwIfNoEntry: false }) !== undefined) return false;
    } catch (error) {
      if (!isSystemError(error)) throw error;
      return false;
    }
    this.report(
      failure(
        "unreadable",
        `${path}: the file name is not UTF-8 (its bad bytes shown as U+FFFD), so it cannot be opened by name here; rename the file to read it`,
        { path },
      ),
    );
    return true;
  }

  private reportLoneStandard(stem: string): void {
    const path = this.dirPrefix + standardLogName(stem);
    this.report(
      failure("unpaired", `${path} has no output log (${outputLogName(stem)})`, { path }),
    );
  }

  private report(problem: FileProblem): void {
    this.counters.skipped[problem.kind]++;
    if (this.problems.length < this.options.maxListedProblems) this.problems.push(problem);
    else this.counters.problemsNotListed++;
    this.options.onProblem?.(problem);
  }
}
