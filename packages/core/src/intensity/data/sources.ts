import type { SourceRef } from "../../provenance.ts";

/**
 * The newest data year among the Ember rows shipped in @tgwf/co2 0.19.0 (the world and most
 * large countries). Rows differ: CO2.js keeps the latest year Ember has for each country, 2022
 * or 2023 for some; `emberYear(key)` gives a row's own year from `ember-years.ts`.
 */
export const EMBER_LATEST_YEAR = 2024;

/** The publication behind an Ember value of one data year; every row is labelled its own year. */
export function emberSource(year: number): SourceRef {
  return {
    id: `ember-yearly-${year}-co2js-0.19.0`,
    title: `Ember yearly electricity data ${year} (carbon intensity), via CO2.js @tgwf/co2 0.19.0`,
    url: "https://ember-energy.org/data/yearly-electricity-data/",
    year,
    licence: "CC BY 4.0 (Ember); CC BY-SA 4.0 as labelled by CO2.js",
  };
}

export const ELECTRICITY_MAPS_YEARS = [2021, 2022, 2023, 2024, 2025] as const;
export type ElectricityMapsYear = (typeof ELECTRICITY_MAPS_YEARS)[number];
export const LATEST_ELECTRICITY_MAPS_YEAR: ElectricityMapsYear = 2025;

export const isElectricityMapsYear = (year: number): year is ElectricityMapsYear =>
  (ELECTRICITY_MAPS_YEARS as readonly number[]).includes(year);

export function electricityMapsSource(year: ElectricityMapsYear): SourceRef {
  return {
    id: `electricity-maps-yearly-${year}-co2js-0.19.0`,
    title: `Electricity Maps yearly zone data ${year}, via CO2.js @tgwf/co2 0.19.0`,
    url: "https://www.electricitymaps.com/data/methodology",
    year,
    licence: "ODbL 1.0 (Electricity Maps)",
  };
}
