import { type EstimateReport, formatNumber, formatQuantity, type TimeSpan } from "@wattprint/core";
import { renderTable } from "../render/table.ts";
import type { Variant } from "./plan.ts";
import { sharedNotes } from "./shared-notes.ts";

/** An estimate that ran: what it stood for and its report. */
export interface Outcome {
  readonly variant: Variant;
  readonly report: EstimateReport;
}

const grams = (value: number) => formatQuantity({ value, unit: "gCO2eq" });

function intensityText(report: EstimateReport): string {
  const { intensity } = report;
  return `${formatQuantity(intensity)} (${[intensity.level, intensity.year].filter(Boolean).join(" ")})`;
}

function workText(report: EstimateReport, span: TimeSpan | undefined): string {
  const { work } = report;
  if (work.kind === "inferences") {
    return `${formatNumber(work.count)} inference(s) x ${formatQuantity(work.latency)}`;
  }
  const length = formatQuantity(work.duration);
  return span === undefined ? length : `${length}, ${span.from} to ${span.to}`;
}

/** A breakdown row's name with its count: "8x NVIDIA H100 SXM5 80GB". */
function countedName(row: EstimateReport["breakdown"][number]): string {
  return row.count > 1 ? `${row.count}x ${row.name}` : row.name;
}

/** The rows that are hardware: every one but the facility overhead (PUE) row. */
function hardwareParts(report: EstimateReport): EstimateReport["breakdown"] {
  return report.breakdown.filter((row) => row.kind !== "facility");
}

/** A source's title with its data year, where the title does not already say it. */
function titleWithYear(source: {
  readonly title: string;
  readonly year?: number | undefined;
}): string {
  const { title, year } = source;
  return year === undefined || title.includes(String(year)) ? title : `${title}, ${year}`;
}

function sourceLine(title: string, licence: string | undefined): string {
  return `${title}${licence ? ` [${licence}]` : ""}`;
}

/** One estimate: totals, intensity and its source, the parts and their sources, equivalents. */
export function renderReport(report: EstimateReport, span?: TimeSpan): string {
  const { intensity, pue } = report;
  const place = [intensity.zoneName ?? intensity.zone, intensity.level, intensity.year]
    .filter(Boolean)
    .join(", ");
  const rows = report.breakdown.map((row) => [
    countedName(row),
    formatQuantity(row.power),
    formatQuantity(row.energy),
    formatQuantity(row.carbon),
    titleWithYear(row.source),
  ]);
  const lines = [
    `Energy     ${formatQuantity(report.energy)}  (hardware ${formatQuantity(report.itEnergy)} x PUE ${pue.value})`,
    `Carbon     ${formatQuantity(report.carbon)}`,
    `Intensity  ${formatQuantity(intensity)}  ${place}`,
    `           source: ${sourceLine(intensity.source.title, intensity.source.licence)}`,
    ...(intensity.source.note ? [`           note: ${intensity.source.note}`] : []),
    `PUE        ${pue.value}  source: ${pue.source.title}`,
    `Work       ${workText(report, span)}`,
    "",
    renderTable(["component", "power", "energy", "carbon", "source"], rows),
    ...rowNotes(report),
    ...utilisationLines(report),
    ...(report.leftOut === undefined ? [] : ["", `Not included: ${report.leftOut.message}`]),
    "",
    ...report.equivalents.map(
      (e) =>
        `= ${formatNumber(e.value)} ${e.unit} ${e.description} (${e.basis}; ${e.source.title})`,
    ),
    "",
  ];
  return lines.join("\n");
}

/** Each row's note, with what every noted row's note ends with (its machine) printed once. */
function rowNotes(report: EstimateReport): string[] {
  const { shared, own } = sharedNotes(report.breakdown.map((row) => row.source.note));
  return [
    ...report.breakdown.flatMap((row, i) => {
      const note = own[i];
      return note === undefined ? [] : [`  ${row.name}: ${note}`];
    }),
    ...(shared === undefined ? [] : [`  ${sharedLabel(report)}: ${shared}`]),
  ];
}

/**
 * How a utilisation turned rated power into the row's power (idle floor and all), which the
 * source column cannot say: 70 W for an H100 at 0 % is 10 % of its 700 W, not a data-sheet
 * figure.
 */
function utilisationLines(report: EstimateReport): string[] {
  const lines = report.breakdown.flatMap((row) =>
    row.source.method?.startsWith("linear in utilisation") === true
      ? [`  ${row.name}: ${row.source.method}`]
      : [],
  );
  return [...new Set(lines)];
}

/** Who the shared note is for: every part (the PUE's row is not a part), or the rows by name. */
function sharedLabel(report: EstimateReport): string {
  const parts = hardwareParts(report);
  const noted = parts.filter((row) => row.source.note);
  return noted.length === parts.length ? "all parts" : noted.map((row) => row.name).join(", ");
}

/** Cheapest first; equal footprints keep the order they were asked in. */
export function byCarbon(outcomes: readonly Outcome[]): Outcome[] {
  return outcomes
    .map((outcome, index) => ({ outcome, index }))
    .sort(
      (a, b) => a.outcome.report.carbon.value - b.outcome.report.carbon.value || a.index - b.index,
    )
    .map(({ outcome }) => outcome);
}

/**
 * What each hardware alternative resolved to, with its power and source, once per
 * alternative (the table shows the names as typed); each part's note (which variant a family
 * name was read as) goes to `notes`.
 */
function hardwareLines(outcomes: readonly Outcome[], notes: Set<string>): string[] {
  const lines = new Map<string, string>();
  for (const { variant, report } of outcomes) {
    const parts = hardwareParts(report);
    const described = parts
      .map(
        (row) => `${countedName(row)} ${formatQuantity(row.power)} (${titleWithYear(row.source)})`,
      )
      .join(" + ");
    lines.set(variant.hardware, `Hardware   ${variant.hardware}: ${described}`);
    // A machine's or an instance's parts end their notes alike: that context once.
    const { shared, own } = sharedNotes(parts.map((row) => row.source.note));
    parts.forEach((row, i) => {
      const note = own[i];
      if (note !== undefined) notes.add(`  ${variant.hardware}, ${row.name}: ${note}`);
    });
    if (shared !== undefined) notes.add(`  ${variant.hardware}: ${shared}`);
  }
  return [...lines.values()];
}

/** Each PUE the rows used, once per value and source, in row order. */
function distinctPues(outcomes: readonly Outcome[]): EstimateReport["pue"][] {
  const seen = new Map<string, EstimateReport["pue"]>();
  for (const { report } of outcomes) {
    seen.set(`${report.pue.value} ${report.pue.source.id}`, report.pue);
  }
  return [...seen.values()];
}

/** "+75.2 kgCO2eq (+38.6 %)" for a row above the best; "best" for the best. */
function overBest(carbonG: number, bestG: number): string {
  if (carbonG === bestG) return "best";
  const difference = `+${grams(carbonG - bestG)}`;
  return bestG > 0
    ? `${difference} (+${formatNumber(((carbonG - bestG) / bestG) * 100)} %)`
    : difference;
}

/**
 * Several estimates side by side, sorted by carbon, each with its difference to the best,
 * then the intensity sources once each and any notes.
 */
export function renderComparison(
  sorted: readonly Outcome[],
  comparing: { readonly location: boolean; readonly hardware: boolean },
  span?: TimeSpan,
): string {
  const best = sorted[0]?.report.carbon.value ?? 0;
  // Rows may differ in PUE (an AWS instance at 1.15 beside a Google one at 1.09): then each
  // row shows its own, as the JSON does, and the Work line names none.
  const pues = distinctPues(sorted);
  const pueColumn = pues.length > 1;
  const header = [
    ...(comparing.location ? ["location"] : []),
    ...(comparing.hardware ? ["hardware"] : []),
    "zone",
    "intensity",
    ...(pueColumn ? ["pue"] : []),
    "energy",
    "carbon",
    "vs best",
  ];
  const rows = sorted.map(({ variant, report }) => [
    ...(comparing.location ? [variant.location ?? ""] : []),
    ...(comparing.hardware ? [variant.hardware] : []),
    report.intensity.zoneName ?? report.intensity.zone,
    intensityText(report),
    ...(pueColumn ? [String(report.pue.value)] : []),
    formatQuantity(report.energy),
    formatQuantity(report.carbon),
    overBest(report.carbon.value, best),
  ]);
  const first = sorted[0]?.report;
  const sources = new Map<string, string>();
  // A set: rows that share a location (an instance compared in one region) share its note.
  const notes = new Set<string>();
  for (const { variant, report } of sorted) {
    const source = report.intensity.source;
    sources.set(source.id, sourceLine(source.title, source.licence));
    const label = variant.location ?? report.intensity.zone;
    if (source.note) notes.add(`  ${label}: ${source.note}`);
  }
  // Also when only locations are compared: what the hardware was read as, its power and
  // source, and which variant a vague name chose, hold for every row.
  const hardware = hardwareLines(sorted, notes);
  return [
    renderTable(header, rows),
    "",
    ...(first === undefined
      ? []
      : pueColumn
        ? [`Work       ${workText(first, span)}`]
        : [
            `Work       ${workText(first, span)}, PUE ${first.pue.value} (${first.pue.source.title})`,
          ]),
    ...(pueColumn ? pues.map((pue) => `PUE        ${pue.value}  source: ${pue.source.title}`) : []),
    ...[...sources.values()].map((title) => `Intensity  source: ${title}`),
    ...hardware,
    ...(notes.size > 0 ? ["notes:", ...notes] : []),
    ...[...new Set(sorted.flatMap(({ report }) => report.leftOut?.message ?? []))].map(
      (message) => `Not included: ${message}`,
    ),
    "",
  ].join("\n");
}

const CSV_HEADER = [
  "location",
  "hardware",
  "zone",
  "zone_name",
  "intensity_level",
  "intensity_year",
  "intensity_gco2eq_per_kwh",
  "intensity_source",
  "pue",
  "duration_s",
  "it_energy_kwh",
  "energy_kwh",
  "carbon_gco2eq",
  "carbon_over_best_gco2eq",
  // Last, so the columns before keep their places: what the hardware resolved to.
  "hardware_resolved",
  "hardware_power_w",
  "hardware_sources",
];

/**
 * The parts the row's hardware resolved to ("8x NVIDIA H100 SXM5 80GB + ..."), their power
 * together in W, and their sources' ids (";"-separated): the `hardware` column is the name as
 * typed, and a vague one ("H100") left the row's power unsaid.
 */
function resolvedHardware(report: EstimateReport): [string, number, string] {
  const parts = hardwareParts(report);
  return [
    parts.map(countedName).join(" + "),
    parts.reduce((watts, row) => watts + row.power.value, 0),
    [...new Set(parts.map((row) => row.source.id))].join(";"),
  ];
}

/** RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled. */
function csvField(value: string | number | undefined): string {
  const text = value === undefined ? "" : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One row per estimate, sorted as the table is, numbers unrounded in the report's units. */
export function renderCsv(sorted: readonly Outcome[]): string {
  const best = sorted[0]?.report.carbon.value ?? 0;
  const rows = sorted.map(({ variant, report }) => {
    const { intensity, work } = report;
    const durationS =
      work.kind === "duration" ? work.duration.value : work.latency.value * work.count;
    return [
      variant.location,
      variant.hardware,
      intensity.zone,
      intensity.zoneName,
      intensity.level,
      intensity.year,
      intensity.value,
      intensity.source.id,
      report.pue.value,
      durationS,
      report.itEnergy.value,
      report.energy.value,
      report.carbon.value,
      report.carbon.value - best,
      ...resolvedHardware(report),
    ]
      .map(csvField)
      .join(",");
  });
  return `${[CSV_HEADER.join(","), ...rows].join("\r\n")}\r\n`;
}
