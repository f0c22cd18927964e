import type { SourceRef } from "../../provenance.ts";

/**
 * Data year of the Ember figures shipped in @tgwf/co2 0.19.0. The compact module CO2.js
 * exports drops the per-row year that its generator keeps (it takes the latest year Ember
 * publishes for each country). The WORLD row, 472.94 g/kWh, is Ember's 2024 world figure
 * (Global Electricity Review 2025: 473 g/kWh), so 2024 is the vintage; some small countries
 * may carry an earlier latest year (2022-2023). See README.md in this folder.
 */
export const EMBER_DATA_YEAR = 2024;

export const emberSource: SourceRef = {
  id: `ember-yearly-${EMBER_DATA_YEAR}-co2js-0.19.0`,
  title: "Ember yearly electricity data (carbon intensity), via CO2.js @tgwf/co2 0.19.0",
  url: "https://ember-energy.org/data/yearly-electricity-data/",
  year: EMBER_DATA_YEAR,
  licence: "CC BY 4.0 (Ember); CC BY-SA 4.0 as labelled by CO2.js",
};

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
