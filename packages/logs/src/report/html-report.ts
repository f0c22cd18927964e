import { basename } from "node:path";
import { ok, type Result } from "@wattprint/result";
import {
  AggregateAccumulator,
  type AggregateTotals,
  aggregateSentence,
  computedEquivalentsNote,
  FORMAT_ATTRIBUTION,
  type SelectedConsumption,
} from "../aggregate/aggregate.ts";
import type { FileProblem } from "../parse/problems.ts";
import {
  type LogDirError,
  type ScanCounters,
  type ScanOptions,
  scanLogDir,
} from "../parse/scan.ts";
import type { ParsedLogPair } from "../parse/schemas.ts";
import { escapeHtml } from "./escape.ts";
import { formatGrams, formatKWh, formatSeconds, formatWatts } from "./quantities.ts";
import { barChart, lineChart, type Series } from "./svg-charts.ts";

export interface ReportRun {
  readonly pair: ParsedLogPair;
  readonly selected: SelectedConsumption | null;
}

export interface HtmlReportInput {
  readonly logDir: string;
  readonly generatedAt: Date;
  /** In the order they are shown. */
  readonly runs: readonly ReportRun[];
  /** Over every run of the folder, charted or not. */
  readonly totals: AggregateTotals;
  readonly runsNotShown: number;
  readonly skipped: readonly FileProblem[];
  /** Problems of runs still counted: a standard log that could not be read. */
  readonly warnings: readonly FileProblem[];
  /** Skipped files and warnings past the listing limit. */
  readonly skippedNotListed: number;
}

const COLORS: Readonly<Record<string, string>> = { gpu: "#d1495b", cpu: "#00798c", ane: "#edae49" };
const PALETTE = ["#66a182", "#8d6a9f", "#2e4057", "#e07a5f"];
const colorOf = (component: string, i: number): string =>
  COLORS[component] ?? PALETTE[i % PALETTE.length] ?? "#555";

/** The run's name: its file name without `_carbontracker_output.log`. */
export const runName = (pair: ParsedLogPair): string =>
  basename(pair.output_filename).replace(/_carbontracker_output\.log$/, "");

const STYLE = `
:root { color-scheme: light; }
body { font: 14px/1.45 "DejaVu Sans", system-ui, sans-serif; margin: 0; color: #1d2731; background: #f6f7f9; }
header { background: #1d2731; color: #fff; padding: 20px 32px; }
header h1 { margin: 0 0 4px; font-size: 22px; }
header p { margin: 0; color: #c8d0d8; }
main { padding: 20px 32px 40px; max-width: 1240px; }
section { background: #fff; border: 1px solid #dde2e8; border-radius: 6px; padding: 16px 20px; margin: 0 0 18px; }
h2 { font-size: 17px; margin: 0 0 12px; }
h3 { font-size: 15px; margin: 0 0 8px; word-break: break-all; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; margin-bottom: 12px; }
.card { border: 1px solid #dde2e8; border-radius: 6px; padding: 10px 14px; min-width: 150px; }
.card b { display: block; font-size: 20px; }
.card span { color: #5b6672; font-size: 12px; }
.sentence { color: #38424c; font-style: italic; }
.row { display: flex; flex-wrap: wrap; gap: 16px; align-items: flex-start; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid #e6e9ed; vertical-align: top; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.run-meta { color: #5b6672; margin: 0 0 8px; }
.note { color: #8a5a00; }
svg.chart { background: #fff; }
svg .grid { stroke: #e6e9ed; }
svg .axis { stroke: #8c96a0; }
svg text { font: 11px "DejaVu Sans", sans-serif; fill: #38424c; }
svg text.label { font-size: 12px; fill: #1d2731; }
`;

function card(testId: string, value: string, what: string): string {
  return `<div class="card" data-testid="${testId}"><b>${escapeHtml(value)}</b><span>${escapeHtml(what)}</span></div>`;
}

function recordCells(run: ReportRun): string {
  const r = run.selected?.record;
  if (r === undefined)
    return `<td>none</td><td class="num"></td><td class="num"></td><td class="num"></td><td class="num"></td>`;
  return (
    `<td>${run.selected?.used === "actual" ? "actual" : "predicted"}</td>` +
    `<td class="num">${r.epochs}</td><td class="num">${escapeHtml(formatSeconds(r["duration (s)"]))}</td>` +
    `<td class="num">${escapeHtml(formatKWh(r["energy (kWh)"]))}</td>` +
    `<td class="num">${r["co2eq (g)"] === null ? "unknown" : escapeHtml(formatGrams(r["co2eq (g)"]))}</td>`
  );
}

function runSection(run: ReportRun, index: number, unread: FileProblem | undefined): string {
  const { pair } = run;
  const components = Object.entries(pair.components);
  const power: Series[] = [];
  const energy: Series[] = [];
  components.forEach(([name, m], i) => {
    const watts = m["avg_power_usages (W)"];
    const joules = m["avg_energy_usages (J)"];
    if (watts === null || joules === null) return;
    // Several values on one line are the devices of one component: summed.
    power.push({
      name,
      color: colorOf(name, i),
      points: watts.map((v, e) => [e + 1, v.reduce((a, b) => a + b, 0)] as const),
    });
    let total = 0;
    energy.push({
      name,
      color: colorOf(name, i),
      // From 0 before the first epoch, so that one epoch still draws a line.
      points: [
        [0, 0] as const,
        ...joules.map((v, e) => {
          total += v.reduce((a, b) => a + b, 0) / 3.6e6;
          return [e + 1, total] as const;
        }),
      ],
    });
  });
  const devices = components
    .map(
      ([name, m]) =>
        `${name.toUpperCase()}: ${m.devices.join(", ") || "no device named"}${m["avg_power_usages (W)"] === null ? " (no power recorded)" : ""}`,
    )
    .join("; ");
  const epochs = components[0]?.[1]["epoch_durations (s)"]?.length ?? 0;
  let html = `<section class="run" data-testid="run" data-run="${escapeHtml(runName(pair))}">`;
  html += `<h3>${index + 1}. ${escapeHtml(runName(pair))}</h3>`;
  html += `<p class="run-meta">${escapeHtml(devices)}. ${epochs} epoch(s) measured${pair.early_stop ? ", stopped early" : ""}.</p>`;
  if (unread !== undefined) {
    html += `<p class="note" data-testid="standard-unread">This run's standard log could not be read (${escapeHtml(unread.kind)}): ${escapeHtml(unread.message)}. Its figures come from the output log alone.</p>`;
  } else if (power.length === 0) {
    html += `<p class="note" data-testid="no-power">No power lines in this run's standard log.</p>`;
  } else {
    html += `<div class="row">${lineChart({
      testId: "power-chart",
      title: `Average power per epoch, ${runName(pair)}`,
      xLabel: "epoch",
      yLabel: "average power (W, no PUE)",
      series: power,
      wholeX: true,
      formatY: formatWatts,
    })}${lineChart({
      testId: "epoch-energy-chart",
      title: `Cumulative measured energy, ${runName(pair)}`,
      xLabel: "epoch",
      yLabel: "cumulative energy (no PUE)",
      series: energy,
      wholeX: true,
      formatY: formatKWh,
    })}</div>`;
  }
  return `${html}</section>`;
}

/** The whole report as one self-contained HTML document: inline CSS and SVG, no script, no URL loaded. */
export function renderHtmlReport(input: HtmlReportInput): string {
  const { totals, runs } = input;
  const counted = runs.filter((r) => r.selected !== null);
  const energyRows = counted.map((r) => ({
    label: runName(r.pair),
    value: r.selected?.record["energy (kWh)"] ?? 0,
  }));
  // A run whose CO2eq carbontracker wrote as `nan` is no bar and adds nothing (as in the
  // total, carbontracker's aggregate skips it): drawn as 0 g it would read as a run that emitted nothing.
  const co2Known = counted.filter((r) => typeof r.selected?.record["co2eq (g)"] === "number");
  const co2Rows = co2Known.map((r) => ({
    label: runName(r.pair),
    value: r.selected?.record["co2eq (g)"] ?? 0,
  }));
  let kWh = 0;
  let g = 0;
  const cumulativeEnergy: [number, number][] = [];
  const cumulativeCo2: [number, number][] = [];
  counted.forEach((r, i) => {
    kWh += r.selected?.record["energy (kWh)"] ?? 0;
    cumulativeEnergy.push([i + 1, kWh]);
    const grams = r.selected?.record["co2eq (g)"];
    if (typeof grams !== "number") return;
    g += grams;
    cumulativeCo2.push([i + 1, g]);
  });
  const unknownCo2 = totals.runsWithUnknownCo2;
  const unknownCo2Note =
    unknownCo2 > 0
      ? `<p class="note" data-testid="unknown-co2">${unknownCo2} run(s) have an unknown CO2eq (written <code>nan</code>): they are in the energy, but not in any CO2eq figure or chart here.</p>`
      : "";
  const unreadByPath = new Map(input.warnings.map((w) => [w.path, w] as const));
  const equivalents = Object.entries(totals.equivalents)
    .map(([unit, value]) => `${Number(value.toPrecision(3))} ${unit}`)
    .join(", ");

  let html = `<!doctype html><html lang="en"><head><meta charset="utf-8">`;
  // Nothing may load at view time: no script, no font, no image from anywhere.
  html += `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`;
  html += `<meta name="viewport" content="width=device-width, initial-scale=1">`;
  html += `<title>Carbon footprint: ${escapeHtml(basename(input.logDir) || input.logDir)}</title><style>${STYLE}</style></head><body>`;
  html += `<header><h1>Carbon footprint of ${escapeHtml(input.logDir)}</h1>`;
  html += `<p>carbontracker logs read by wattprint on ${escapeHtml(input.generatedAt.toISOString().replace("T", " ").slice(0, 19))} UTC. Energy and CO2eq include the logs' PUE; power and per-epoch energy do not.</p></header><main>`;

  html += `<section data-testid="summary"><h2>Summary</h2><div class="cards">`;
  html += card("total-runs", String(totals.runsCounted), "runs counted");
  html += card("total-energy", formatKWh(totals.energyKWh), "energy");
  html += card(
    "total-co2",
    formatGrams(totals.co2eqG),
    unknownCo2 > 0 ? `CO2eq of the runs it is known for (${unknownCo2} unknown)` : "CO2eq",
  );
  if (equivalents !== "") html += card("total-equivalents", equivalents, "equivalent to");
  html += card(
    "skipped-count",
    String(input.skipped.length + input.skippedNotListed),
    "files skipped",
  );
  html += `</div><p class="sentence" data-testid="sentence">${escapeHtml(aggregateSentence(totals, FORMAT_ATTRIBUTION))}</p>`;
  if (totals.runsWithoutConsumption > 0) {
    html += `<p class="note">${totals.runsWithoutConsumption} run(s) have neither an actual nor a predicted consumption and count for nothing.</p>`;
  }
  const computedNote = computedEquivalentsNote(totals);
  if (computedNote !== undefined) {
    html += `<p class="note" data-testid="computed-equivalents">${escapeHtml(computedNote)}</p>`;
  }
  html += unknownCo2Note;
  if (input.warnings.length > 0) {
    html += `<p class="note" data-testid="standard-unread-count">${input.warnings.length} run(s) are counted from their output log alone: their standard log could not be read (listed below).</p>`;
  }
  html += `</section>`;

  if (counted.length > 0) {
    html += `<section data-testid="side-by-side"><h2>Runs side by side</h2><div class="row">`;
    html += barChart({
      testId: "energy-bars",
      title: "Energy per run (PUE included)",
      rows: energyRows,
      color: "#00798c",
      format: formatKWh,
    });
    html += barChart({
      testId: "co2-bars",
      title: "CO2eq per run",
      rows: co2Rows,
      color: "#d1495b",
      format: formatGrams,
    });
    html += `</div></section>`;
    html += `<section data-testid="cumulative"><h2>Cumulative energy and CO2eq over the runs</h2><div class="row">`;
    html += lineChart({
      testId: "cumulative-energy",
      title: "Cumulative energy",
      xLabel: "runs (in name order)",
      yLabel: "energy",
      series: [{ name: "energy", color: "#00798c", points: cumulativeEnergy }],
      wholeX: true,
      formatY: formatKWh,
    });
    html += lineChart({
      testId: "cumulative-co2",
      title: "Cumulative CO2eq",
      xLabel: "runs (in name order)",
      yLabel: "CO2eq",
      series: [{ name: "CO2eq", color: "#d1495b", points: cumulativeCo2 }],
      wholeX: true,
      formatY: formatGrams,
    });
    html += `</div>${unknownCo2Note}</section>`;
  }

  html += `<section data-testid="runs-table"><h2>Runs</h2><table><thead><tr><th>run</th><th>counted</th><th>epochs</th><th>time</th><th>energy</th><th>CO2eq</th><th>stopped early</th></tr></thead><tbody>`;
  for (const run of runs) {
    html += `<tr><td>${escapeHtml(runName(run.pair))}</td>${recordCells(run)}<td>${run.pair.early_stop ? "yes" : "no"}</td></tr>`;
  }
  html += `</tbody></table>`;
  if (input.runsNotShown > 0) {
    html += `<p class="note" data-testid="runs-not-shown">${input.runsNotShown} more run(s) are in the totals but not shown.</p>`;
  }
  html += `</section>`;

  html += runs
    .map((run, i) => runSection(run, i, unreadByPath.get(run.pair.standard_filename)))
    .join("");

  html += problemList("warnings", "Runs counted without their standard log", input.warnings);
  html += problemList("skipped", "Files skipped", input.skipped);
  if (input.skippedNotListed > 0) {
    html += `<p class="note" data-testid="not-listed">and ${input.skippedNotListed} more skipped file(s) or warning(s), counted but not listed.</p>`;
  }
  return `${html}</main></body></html>\n`;
}

function problemList(testId: string, title: string, problems: readonly FileProblem[]): string {
  if (problems.length === 0) return "";
  let html = `<section data-testid="${testId}"><h2>${escapeHtml(title)}</h2><ul>`;
  for (const p of problems) {
    html += `<li><code>${escapeHtml(p.kind)}</code> ${escapeHtml(p.message)}</li>`;
  }
  return `${html}</ul></section>`;
}

export interface HtmlReportOptions extends ScanOptions {
  /** Runs drawn one by one (the rest still count in the totals). Default 200. */
  readonly maxRunsShown?: number;
  readonly generatedAt?: Date;
}

/** Reads a folder and renders its report; the folder's runs beyond `maxRunsShown` are counted only. */
export async function buildHtmlReport(
  logDir: string,
  options: HtmlReportOptions = {},
): Promise<
  Result<
    {
      readonly html: string;
      readonly totals: AggregateTotals;
      readonly skipped: readonly FileProblem[];
      /** Runs counted from their output log alone (their standard log could not be read). */
      readonly warnings: readonly FileProblem[];
      readonly counters: ScanCounters;
    },
    LogDirError
  >
> {
  const { maxRunsShown = 200, generatedAt = new Date(), ...scanOptions } = options;
  const scan = scanLogDir(logDir, { order: "name", ...scanOptions });
  if (!scan.ok) return scan;
  const accumulator = new AggregateAccumulator();
  const runs: ReportRun[] = [];
  let runsNotShown = 0;
  for await (const pair of scan.value) {
    const selected = accumulator.add(pair);
    if (runs.length < maxRunsShown) runs.push({ pair, selected });
    else runsNotShown++;
  }
  const { problems, warnings, counters } = scan.value.introspect();
  const totals = accumulator.totals();
  const html = renderHtmlReport({
    logDir,
    generatedAt,
    runs,
    totals,
    runsNotShown,
    skipped: problems,
    warnings,
    skippedNotListed: counters.problemsNotListed,
  });
  return ok({ html, totals, skipped: problems, warnings, counters });
}
