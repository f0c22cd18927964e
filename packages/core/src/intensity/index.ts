export { MAX_SUGGESTION_QUERY_CHARS } from "./catalog.ts";
export { type Continent, type Country, countries, countriesSource } from "./data/countries.ts";
export { emberYear } from "./data/ember-year.ts";
export { type EmberYearRow, emberYearRows, emberYearsSource } from "./data/ember-years.ts";
export {
  ELECTRICITY_MAPS_YEARS,
  type ElectricityMapsYear,
  EMBER_LATEST_YEAR,
  electricityMapsSource,
  emberSource,
  LATEST_ELECTRICITY_MAPS_YEAR,
} from "./data/sources.ts";
export {
  type GridIntensity,
  type GridIntensityOptions,
  type IntensityError,
  type IntensityLevel,
  resolveGridIntensity,
} from "./grid-intensity.ts";
export { type LiveGridIntensityOptions, resolveGridIntensityLive } from "./live.ts";
export {
  type LocationError,
  type LocationLevel,
  type MatchKind,
  type ResolvedLocation,
  ZONES_HINT,
} from "./location.ts";
export {
  type ForecastPoint,
  type IntensityProvider,
  type LiveIntensity,
  type ProviderError,
  type ProviderErrorKind,
  type ProviderOptions,
  providerErrors,
} from "./provider.ts";
export { resolveLocation } from "./resolve-location.ts";
export { searchZones, type ZoneEntry } from "./zones.ts";
