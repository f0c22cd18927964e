import { emberYearRows } from "./ember-years.ts";

const byKey = new Map<string, { readonly year: number; readonly gPerKWh: number }>(
  emberYearRows.map(([key, year, gPerKWh]) => [key, { year, gPerKWh }]),
);

/**
 * The data year of the Ember row `key` (ISO-3 or aggregate key as @tgwf/co2 spells it), or
 * undefined for a key the table lacks. The embedded data is checked against the table when it
 * is first parsed (`tgwf-co2.ts`), so every value the core serves has its year.
 */
export function emberYear(key: string): number | undefined {
  return byKey.get(key)?.year;
}

/** The Ember keys whose embedded value has no row or a different value in the year table. */
export function emberRowsWithoutYear(ember: Readonly<Record<string, number>>): string[] {
  return Object.entries(ember)
    .filter(([key, value]) => byKey.get(key)?.gPerKWh !== value)
    .map(([key]) => key);
}
