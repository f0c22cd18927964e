import { ok, type Result } from "@wattprint/result";
import { emitLines, type LineReader, type LineSink, lastLineCut } from "./line-reader.ts";
import { INTERRUPTED } from "./messages.ts";
import { type OutputLog, OutputLogParser } from "./output-log.ts";
import type { FileProblem } from "./problems.ts";
import type { ComponentMeasurements, Components, ParsedLogPair } from "./schemas.ts";
import { type StandardLog, type StandardLogLimits, StandardLogParser } from "./standard-log.ts";

export interface ParsedPairOutcome {
  readonly pair: ParsedLogPair;
  /** The standard log's last epoch was incomplete and left out. */
  readonly droppedIncompleteEpoch: boolean;
  /** `Epoch n:` headers of the standard log numbered out of sequence (see `StandardLog`). */
  readonly epochHeadersOutOfSequence: number;
  /** The output log's last line had no line break, followed no open record, and was left out. */
  readonly droppedLastLine: boolean;
  /** Lines of the output log read past as repeats (see `OutputLog.repeatsIgnored`). */
  readonly repeatsIgnored: number;
  /** Either file held bytes that are not UTF-8, read as U+FFFD (see `LineReader`). */
  readonly notUtf8: boolean;
  /**
   * The standard log could not be read for its content (see `STANDARD_CONTENT_PROBLEMS`): the
   * pair holds the output log's records, `early_stop` from a plain scan, and no components.
   */
  readonly standardProblem?: FileProblem;
}

/**
 * What a standard log's content can be wrong with. carbontracker's `aggregate_consumption`
 * reads only the output log and the "Training was interrupted" flag of the standard log, so
 * a run whose standard log has one of these still counts: the problem is a warning. The
 * rest (the file missing, unreadable, binary, too large, a line too long) leave nothing to
 * scan for the flag, and skip the pair as before.
 */
const STANDARD_CONTENT_PROBLEMS: ReadonlySet<FileProblem["kind"]> = new Set([
  "empty",
  "truncated",
  "malformed",
  "mismatched-epochs",
  "too-many-epochs",
  "too-many-values",
]);

/** carbontracker's `get_early_stop` over the lines: "Training was interrupted" anywhere. */
class EarlyStopScan implements LineSink {
  earlyStop = false;

  line(text: string): void {
    if (!this.earlyStop && INTERRUPTED.test(text)) this.earlyStop = true;
  }
}

/** Reads one run's two logs (output first: it is the smaller) into carbontracker's entry. */
export function parseLogPairFiles(
  reader: LineReader,
  standardPath: string,
  outputPath: string,
  limits: StandardLogLimits,
): Result<ParsedPairOutcome, FileProblem> {
  const outputParser = new OutputLogParser(outputPath);
  const outputRead = reader.read(outputPath, outputParser);
  if (!outputRead.ok) return outputRead;
  const outputNotUtf8 = reader.lastReadWasNotUtf8;
  const output = outputParser.finish();
  if (!output.ok) return output;
  const standardParser = new StandardLogParser(standardPath, limits);
  const standardRead = reader.read(standardPath, standardParser);
  const notUtf8 = outputNotUtf8 || reader.lastReadWasNotUtf8;
  const standard = standardRead.ok ? standardParser.finish() : standardRead;
  if (!standard.ok) {
    if (!STANDARD_CONTENT_PROBLEMS.has(standard.error.kind)) return standard;
    // Kept for the output log's figures: with no consumption record there is nothing to count,
    // and the pair is skipped for its standard log as before.
    if (output.value.actual === null && output.value.pred === null) return standard;
    // The parser stops at its problem; the flag may come after it, so the file is read again
    // (only for such a log) the way carbontracker reads it: any line that says so.
    const scan = new EarlyStopScan();
    reader.read(standardPath, scan);
    return ok({
      pair: {
        output_filename: outputPath,
        standard_filename: standardPath,
        components: {},
        early_stop: scan.earlyStop,
        actual: output.value.actual,
        pred: output.value.pred,
      },
      droppedIncompleteEpoch: false,
      epochHeadersOutOfSequence: 0,
      droppedLastLine: output.value.droppedLastLine === true,
      repeatsIgnored: output.value.repeatsIgnored ?? 0,
      notUtf8,
      standardProblem: standard.error,
    });
  }
  return ok({
    pair: toPair(outputPath, standardPath, standard.value, output.value),
    droppedIncompleteEpoch: standard.value.droppedIncompleteEpoch,
    epochHeadersOutOfSequence: standard.value.epochHeadersOutOfSequence,
    droppedLastLine: output.value.droppedLastLine === true,
    repeatsIgnored: output.value.repeatsIgnored ?? 0,
    notUtf8,
  });
}

export function toPair(
  outputPath: string,
  standardPath: string,
  standard: StandardLog,
  output: OutputLog,
): ParsedLogPair {
  return {
    output_filename: outputPath,
    standard_filename: standardPath,
    components: toComponents(standard),
    early_stop: standard.earlyStop,
    actual: output.actual,
    pred: output.pred,
  };
}

/**
 * carbontracker's `parse_logs` value: per component its devices, the power of each epoch,
 * power x duration, and the durations. A component with no power line gets null power and
 * energy (carbontracker raises `KeyError` there) but keeps the durations.
 */
export function toComponents(standard: StandardLog): Components {
  const durations = standard.epochDurationsS.length > 0 ? [...standard.epochDurationsS] : null;
  const components: Record<string, ComponentMeasurements> = {};
  for (const [name, devices] of standard.devices) {
    const power = standard.powerW.get(name);
    let powerW: number[][] | null = null;
    let energyJ: number[][] | null = null;
    if (power !== undefined && durations !== null) {
      // The parser's arrays are handed over, not copied: it is discarded after the pair.
      powerW = power as number[][];
      energyJ = new Array(power.length);
      for (let epoch = 0; epoch < power.length; epoch++) {
        const values = power[epoch] ?? [];
        const duration = durations[epoch] ?? 0;
        const energy = new Array<number>(values.length);
        for (let v = 0; v < values.length; v++) energy[v] = (values[v] ?? 0) * duration;
        energyJ[epoch] = energy;
      }
    }
    components[name] = {
      "avg_power_usages (W)": powerW,
      "avg_energy_usages (J)": energyJ,
      "epoch_durations (s)": durations === null ? null : durations.slice(),
      devices: devices as string[],
    };
  }
  return components;
}

/**
 * Feeds a text already in memory to a line parser (the text-level functions of the API), as
 * `LineReader` feeds a file: a text whose last line has no line break is read as that file
 * would be (the sink's `lastLineWithoutBreak`, else `truncated`).
 */
export function feedText(text: string, sink: LineSink, path: string): FileProblem | undefined {
  // A lone `\r` ends a line, as in Python's universal newlines (and in `LineReader`).
  const lines = text.includes("\r") ? text.replace(/\r(?!\n)/g, "\n") : text;
  if (lines.length === 0) return undefined;
  // A final line break ends the last line; it does not start an empty one.
  if (lines.endsWith("\n")) {
    emitLines(lines.slice(0, -1), sink, 0);
    return undefined;
  }
  const lastBreak = lines.lastIndexOf("\n");
  const lineNumber = lastBreak < 0 ? 0 : emitLines(lines.slice(0, lastBreak), sink, 0);
  const last = lines.slice(lastBreak + 1);
  if (sink.lastLineWithoutBreak !== undefined) {
    sink.lastLineWithoutBreak(last, lineNumber + 1);
    return undefined;
  }
  return lastLineCut(path, lineNumber + 1);
}
