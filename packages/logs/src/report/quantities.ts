import { formatNumber } from "@wattprint/core/units";

/**
 * Readable figures for the report: the unit scales with the value, three significant digits,
 * written by the core's `formatNumber` as every wattprint figure is (a value below the
 * smallest unit's 0.0001 shows in exponent form, never as 0).
 */
function scaled(value: number, steps: readonly (readonly [number, string])[]): string {
  if (value === 0 || !Number.isFinite(value)) return `${value} ${steps[1]?.[1] ?? ""}`;
  const abs = Math.abs(value);
  let chosen = steps[0] ?? [1, ""];
  for (const step of steps) if (abs >= step[0]) chosen = step;
  const n = value / chosen[0];
  return `${formatNumber(n, 3)} ${chosen[1]}`;
}

export const formatKWh = (kWh: number): string =>
  scaled(kWh, [
    [1e-6, "mWh"],
    [1e-3, "Wh"],
    [1, "kWh"],
    [1e3, "MWh"],
  ]);

export const formatGrams = (g: number): string =>
  scaled(g, [
    [1e-3, "mg"],
    [1, "g"],
    [1e3, "kg"],
    [1e6, "t"],
  ]);

export const formatWatts = (w: number): string =>
  scaled(w, [
    [1e-3, "mW"],
    [1, "W"],
    [1e3, "kW"],
  ]);

export function formatSeconds(s: number): string {
  const total = Math.round(s);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const sec = total % 60;
  return h > 0
    ? `${h} h ${m} min`
    : m > 0
      ? `${m} min ${sec} s`
      : `${s < 10 ? Number(s.toPrecision(3)) : sec} s`;
}
