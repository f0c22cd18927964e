import { writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * Small logs in carbontracker 2.4.3's format, written by hand for the cases the fixture runs
 * do not show (several devices, scientific notation, arrays, a component without power).
 */
const TS = "2026-11-28 22:53:24";
const stamped = (lines: readonly string[]): string => lines.map((l) => `${TS} - ${l}\n`).join("");

export interface CraftedStandard {
  readonly components?: string;
  /** Per epoch: its power lines' values by component, e.g. `{ gpu: "240.0", cpu: "50.0" }`. */
  readonly epochs: readonly Readonly<Record<string, string>>[];
  readonly durationText?: string;
  readonly interrupted?: boolean;
}

export function standardLog(log: CraftedStandard): string {
  const lines = [
    "carbontracker version 2.4.3",
    "Only predicted and actual consumptions are multiplied by a PUE coefficient of 1.58 (Daniel Bizo, 2023, Uptime Institute Global Data Center Survey).",
    `The following components were found: ${log.components ?? "GPU with device(s) NVIDIA Sim. CPU with device(s) Intel Xeon Test."}`,
    "Monitoring thread started.",
  ];
  log.epochs.forEach((powers, i) => {
    lines.push(`Epoch ${i + 1}:`, `Duration: ${log.durationText ?? "0:00:10.00"}`);
    for (const [component, value] of Object.entries(powers)) {
      lines.push(`Average power usage (W) for ${component}: ${value}`);
    }
  });
  if (log.interrupted) lines.push("Training was interrupted before all 5 epochs were monitored.");
  lines.push(
    "Average carbon intensity during training was 143.30 gCO2eq/kWh. ",
    "Monitoring thread ended.",
  );
  return stamped(lines);
}

export interface CraftedRecord {
  readonly epochs: number | null;
  readonly time?: string;
  readonly kWh: string;
  readonly g: string;
  readonly km?: string;
}

export function consumptionBlock(kind: "Actual" | "Predicted", r: CraftedRecord): string {
  const description =
    r.epochs === null ? `${kind} consumption:` : `${kind} consumption for ${r.epochs} epoch(s):`;
  return (
    `${TS} - CarbonTracker: \n${description}\n\tTime:\t${r.time ?? "0:00:20"}\n` +
    `\tEnergy:\t${r.kWh} kWh\n\tCO2eq:\t${r.g} g\n` +
    (r.km === undefined ? "" : `\tThis is equivalent to:\n\t${r.km} km travelled by car\n`)
  );
}

export function outputLog(records: { actual?: CraftedRecord; pred?: CraftedRecord }): string {
  return (
    `${TS} - CarbonTracker: The following components were found: GPU with device(s) NVIDIA Sim. CPU with device(s) Intel Xeon Test.\n` +
    (records.pred === undefined ? "" : consumptionBlock("Predicted", records.pred)) +
    `${TS} - CarbonTracker: Average carbon intensity during training was 143.30 gCO2eq/kWh. \n` +
    (records.actual === undefined ? "" : consumptionBlock("Actual", records.actual)) +
    `${TS} - CarbonTracker: Finished monitoring.\n`
  );
}

export const SAMPLE_ACTUAL: CraftedRecord = {
  epochs: 2,
  kWh: "0.001000000000",
  g: "0.143300000000",
  km: "0.001341760300",
};
export const SAMPLE_PRED: CraftedRecord = {
  epochs: 2,
  kWh: "0.001100000000",
  g: "0.157630000000",
  km: "0.001475936330",
};

/** Writes a run's two logs under `stem` and returns their paths. */
export function writePair(
  dir: string,
  stem: string,
  standard: string,
  output: string,
): { standard: string; output: string } {
  const paths = {
    standard: join(dir, `${stem}_carbontracker.log`),
    output: join(dir, `${stem}_carbontracker_output.log`),
  };
  writeFileSync(paths.standard, standard);
  writeFileSync(paths.output, output);
  return paths;
}

/** A valid run with two epochs of 240 W GPU and 50 W CPU. */
export function samplePair(dir: string, stem: string): { standard: string; output: string } {
  return writePair(
    dir,
    stem,
    standardLog({
      epochs: [
        { gpu: "240.0", cpu: "50.0" },
        { gpu: "240.0", cpu: "50.0" },
      ],
    }),
    outputLog({ actual: SAMPLE_ACTUAL, pred: SAMPLE_PRED }),
  );
}
