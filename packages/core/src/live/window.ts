import type { ForecastPoint } from "../intensity/provider.ts";

const HOUR_MS = 3_600_000;

/**
 * Forecast points up to `hours` ahead, starting with the interval that contains now (the last
 * point at or before now), since providers key intervals by their start.
 */
export function withinHours(
  points: readonly ForecastPoint[],
  hours: number,
  now: (() => Date) | undefined,
): ForecastPoint[] {
  const t0 = (now ?? (() => new Date()))().getTime();
  const end = t0 + hours * HOUR_MS;
  const sorted = [...points].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  const current = sorted.findLastIndex((p) => Date.parse(p.at) <= t0);
  return sorted.slice(Math.max(0, current)).filter((p) => Date.parse(p.at) < end);
}

/** "2026-11-28T23:15Z": the minute-precision UTC form the UK API accepts in paths. */
export const utcMinute = (date: Date): string => `${date.toISOString().slice(0, 16)}Z`;
