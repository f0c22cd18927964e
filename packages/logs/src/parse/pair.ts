import { ok, type Result } from "@wattprint/result";
import { emitLines, type LineReader, type LineSink } from "./line-reader.ts";
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
  const output = outputParser.finish();
  if (!output.ok) return output;
  const standardParser = new StandardLogParser(standardPath, limits);
  const standardRead = reader.read(standardPath, standardParser);
  if (!standardRead.ok) return standardRead;
  const standard = standardParser.finish();
  if (!standard.ok) return standard;
  return ok({
    pair: toPair(outputPath, standardPath, standard.value, output.value),
    droppedIncompleteEpoch: standard.value.droppedIncompleteEpoch,
    epochHeadersOutOfSequence: standard.value.epochHeadersOutOfSequence,
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

/** Feeds a text already in memory to a line parser (the text-level functions of the API). */
export function feedText(text: string, sink: LineSink): void {
  // A final line break ends the last line; it does not start an empty one.
  if (text.length > 0) emitLines(text.endsWith("\n") ? text.slice(0, -1) : text, sink, 0);
}
