import { basename } from "node:path";
import { type ParsedLogPair, plainDecimal, type SelectedConsumption } from "@wattprint/logs";
import { renderTable } from "./table.ts";
import { terminalSafe } from "./terminal-text.ts";

/**
 * The run's name: the output log's file name without `_carbontracker_output.log`. Names in a
 * folder from someone else may hold control characters: escaped, as every name read from it.
 */
const runName = (pair: ParsedLogPair): string =>
  terminalSafe(basename(pair.output_filename).replace(/_carbontracker_output\.log$/, ""));

/**
 * Energy and CO2 as the log holds them: the shortest decimal that reads back as the same
 * number. carbontracker writes 12 decimals, which this prints as written; padding every
 * figure to 12 showed a log's `345.678 g` as `345.678000000000`, digits the log never held.
 */
const decimals = (value: number | null): string => (value === null ? "nan" : plainDecimal(value));

const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);

/** `logs parse`: a heading and two small tables per pair (its records, its components). */
export function formatPairTables(
  pair: ParsedLogPair,
  selected: SelectedConsumption | null,
): string {
  const flags = [
    pair.early_stop ? "stopped early" : "",
    selected
      ? `counts its ${selected.used === "actual" ? "actual" : "predicted"} consumption`
      : "no consumption recorded",
  ]
    .filter((f) => f !== "")
    .join(", ");
  const records = (["actual", "pred"] as const).flatMap((which) => {
    const r = pair[which];
    if (r === null) return [];
    const equivalents =
      r.equivalents === null
        ? ""
        : Object.entries(r.equivalents)
            .map(([unit, v]) => `${plainDecimal(v)} ${terminalSafe(unit)}`)
            .join("; ");
    return [
      [
        which,
        String(r.epochs),
        String(r["duration (s)"]),
        decimals(r["energy (kWh)"]),
        decimals(r["co2eq (g)"]),
        equivalents,
      ],
    ];
  });
  const components = Object.entries(pair.components).map(([name, m]) => {
    const watts = m["avg_power_usages (W)"];
    const joules = m["avg_energy_usages (J)"];
    const durations = m["epoch_durations (s)"];
    const epochs = durations?.length ?? 0;
    const totalJ = joules === null ? undefined : sum(joules.map(sum));
    const totalS = durations === null ? 0 : sum(durations);
    // Weighted by each epoch's duration (joules over seconds), as the energy column is: an
    // equal-weight mean of epoch powers let a 10 s epoch count as much as a 1,000 s one.
    const meanW =
      totalJ === undefined || totalS <= 0 || watts === null || watts.length === 0
        ? "-"
        : String(Number((totalJ / totalS).toPrecision(6)));
    const energyJ = totalJ === undefined ? "-" : String(Number(totalJ.toPrecision(6)));
    return [terminalSafe(name), terminalSafe(m.devices.join(", ")), String(epochs), meanW, energyJ];
  });
  let text = `== ${runName(pair)} (${flags}) ==\n`;
  text +=
    records.length > 0
      ? `${renderTable(["record", "epochs", "time (s)", "energy (kWh)", "CO2eq (g)", "equivalents"], records)}\n`
      : "no actual or predicted consumption in the output log\n";
  if (components.length > 0) {
    text += `${renderTable(["component", "devices", "epochs", "mean power (W)", "energy (J, no PUE)"], components)}\n`;
  }
  return text;
}

const COLUMNS = [
  ["run", 44],
  ["counted", 9],
  ["epochs", 7],
  ["energy (kWh)", 20],
  ["CO2eq (g)", 20],
  ["early stop", 10],
] as const;

/** `logs aggregate`: one row per run, fixed widths so that rows print as the runs stream in. */
export const RUN_TABLE_HEADER = [
  COLUMNS.map(([title, width]) => title.padEnd(width))
    .join("  ")
    .trimEnd(),
  COLUMNS.map(([, width]) => "-".repeat(width)).join("  "),
].join("\n");

export function formatRunRow(pair: ParsedLogPair, selected: SelectedConsumption | null): string {
  const r = selected?.record;
  const cells = [
    runName(pair),
    selected === null ? "none" : selected.used === "actual" ? "actual" : "predicted",
    r === undefined ? "" : String(r.epochs),
    r === undefined ? "" : decimals(r["energy (kWh)"]),
    r === undefined ? "" : decimals(r["co2eq (g)"]),
    pair.early_stop ? "yes" : "no",
  ];
  return cells
    .map((cell, i) => {
      const width = COLUMNS[i]?.[1] ?? 0;
      return i >= 2 && i <= 4 ? cell.padStart(width) : cell.padEnd(width);
    })
    .join("  ")
    .trimEnd();
}
