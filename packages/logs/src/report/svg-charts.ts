import { escapeHtml } from "./escape.ts";

/**
 * Inline SVG charts, written as text: the report has no script and loads nothing, so it
 * reads the same offline, in a mail attachment or in ten years.
 */

export interface Series {
  readonly name: string;
  readonly color: string;
  /** `[x, y]` points, x ascending. */
  readonly points: readonly (readonly [number, number])[];
}

export interface LineChartSpec {
  readonly testId: string;
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly series: readonly Series[];
  /** How a y value reads in a tooltip and on the axis, e.g. `12.5 W`. */
  readonly formatY: (value: number) => string;
  readonly formatX?: (value: number) => string;
  /** Epochs and run numbers: whole ticks from the first x, not from 0. */
  readonly wholeX?: boolean;
  readonly width?: number;
  readonly height?: number;
}

const MARGIN = { top: 28, right: 16, bottom: 44, left: 76 };

/** 0, 1, 2, 2.5, 5 times a power of ten: at most `count` steps that cover `max`. */
export function niceTicks(max: number, count = 5): number[] {
  if (!(max > 0) || !Number.isFinite(max)) return [0, 1];
  const raw = max / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 2.5, 5, 10].find((m) => m * power >= raw) ?? 10) * power;
  const ticks: number[] = [];
  for (let v = 0; v <= max + step * 1e-9; v += step) ticks.push(Number(v.toPrecision(12)));
  if ((ticks.at(-1) ?? 0) < max) ticks.push(Number(((ticks.at(-1) ?? 0) + step).toPrecision(12)));
  return ticks;
}

function wholeTicks(from: number, to: number): number[] {
  const step = Math.max(1, Math.ceil((to - from) / 8));
  const ticks: number[] = [];
  for (let t = from; t <= to; t += step) ticks.push(t);
  return ticks;
}

const fmt = (n: number): string => Number(n.toFixed(2)).toString();

export function lineChart(spec: LineChartSpec): string {
  const width = spec.width ?? 560;
  const height = spec.height ?? 260;
  const plotW = width - MARGIN.left - MARGIN.right;
  const plotH = height - MARGIN.top - MARGIN.bottom;
  const all = spec.series.flatMap((s) => s.points);
  const xMin = Math.min(...all.map((p) => p[0]), spec.wholeX ? Number.POSITIVE_INFINITY : 0);
  const xMax = Math.max(...all.map((p) => p[0]), xMin + 1);
  const yTicks = niceTicks(Math.max(...all.map((p) => p[1]), 0));
  const yMax = yTicks.at(-1) ?? 1;
  const x = (v: number) => MARGIN.left + ((v - xMin) / (xMax - xMin)) * plotW;
  const y = (v: number) => MARGIN.top + plotH - (v / yMax) * plotH;
  const formatX = spec.formatX ?? ((v: number) => String(v));
  const xTicks = spec.wholeX
    ? wholeTicks(xMin, xMax)
    : niceTicks(xMax - xMin, 6)
        .map((t) => t + xMin)
        .filter((t) => t <= xMax);

  let svg = `<svg class="chart" data-testid="${escapeHtml(spec.testId)}" role="img" aria-label="${escapeHtml(spec.title)}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg">`;
  svg += `<title>${escapeHtml(spec.title)}</title>`;
  for (const t of yTicks) {
    svg += `<line class="grid" x1="${MARGIN.left}" x2="${width - MARGIN.right}" y1="${fmt(y(t))}" y2="${fmt(y(t))}"/>`;
    svg += `<text class="tick" x="${MARGIN.left - 6}" y="${fmt(y(t) + 4)}" text-anchor="end">${escapeHtml(spec.formatY(t))}</text>`;
  }
  for (const t of xTicks) {
    svg += `<text class="tick" x="${fmt(x(t))}" y="${height - MARGIN.bottom + 16}" text-anchor="middle">${escapeHtml(formatX(t))}</text>`;
  }
  svg += `<line class="axis" x1="${MARGIN.left}" x2="${width - MARGIN.right}" y1="${MARGIN.top + plotH}" y2="${MARGIN.top + plotH}"/>`;
  svg += `<text class="label" x="${MARGIN.left + plotW / 2}" y="${height - 6}" text-anchor="middle">${escapeHtml(spec.xLabel)}</text>`;
  svg += `<text class="label" transform="translate(14 ${MARGIN.top + plotH / 2}) rotate(-90)" text-anchor="middle">${escapeHtml(spec.yLabel)}</text>`;
  spec.series.forEach((series, i) => {
    const points = series.points.map(([px, py]) => `${fmt(x(px))},${fmt(y(py))}`).join(" ");
    svg += `<g class="series" data-series="${escapeHtml(series.name)}">`;
    svg += `<polyline fill="none" stroke="${series.color}" stroke-width="2" points="${points}"/>`;
    for (const [px, py] of series.points) {
      svg += `<circle cx="${fmt(x(px))}" cy="${fmt(y(py))}" r="3" fill="${series.color}"><title>${escapeHtml(`${series.name}, ${spec.xLabel} ${formatX(px)}: ${spec.formatY(py)}`)}</title></circle>`;
    }
    svg += "</g>";
    svg += `<rect x="${MARGIN.left + 8 + i * 130}" y="8" width="12" height="12" fill="${series.color}"/>`;
    svg += `<text class="legend" x="${MARGIN.left + 24 + i * 130}" y="18">${escapeHtml(series.name)}</text>`;
  });
  return `${svg}</svg>`;
}

export interface BarRow {
  readonly label: string;
  readonly value: number;
}

/** Horizontal bars, one row per run, scaled to the largest. */
export function barChart(spec: {
  readonly testId: string;
  readonly title: string;
  readonly rows: readonly BarRow[];
  readonly color: string;
  readonly format: (value: number) => string;
  readonly width?: number;
}): string {
  const width = spec.width ?? 460;
  const rowH = 22;
  const labelW = 150;
  const valueW = 90;
  const height = 30 + spec.rows.length * rowH;
  const max = Math.max(...spec.rows.map((r) => r.value), 0) || 1;
  const barSpace = width - labelW - valueW - 10;
  let svg = `<svg class="chart" data-testid="${escapeHtml(spec.testId)}" role="img" aria-label="${escapeHtml(spec.title)}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg">`;
  svg += `<title>${escapeHtml(spec.title)}</title>`;
  svg += `<text class="label" x="0" y="16">${escapeHtml(spec.title)}</text>`;
  spec.rows.forEach((row, i) => {
    const top = 26 + i * rowH;
    const w = Math.max((row.value / max) * barSpace, row.value > 0 ? 1 : 0);
    const label = row.label.length > 22 ? `${row.label.slice(0, 21)}…` : row.label;
    svg += `<text class="tick" x="${labelW - 6}" y="${top + 13}" text-anchor="end">${escapeHtml(label)}</text>`;
    svg += `<rect class="bar" x="${labelW}" y="${top + 2}" width="${fmt(w)}" height="${rowH - 6}" fill="${spec.color}"><title>${escapeHtml(`${row.label}: ${spec.format(row.value)}`)}</title></rect>`;
    svg += `<text class="tick" x="${fmt(labelW + w + 6)}" y="${top + 13}">${escapeHtml(spec.format(row.value))}</text>`;
  });
  return `${svg}</svg>`;
}
