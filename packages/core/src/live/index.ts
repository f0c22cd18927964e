/**
 * `@wattprint/core/live`: the live grid-intensity providers. They do network I/O (fetch,
 * timeouts, retries), so they live behind their own entry point: importing
 * `@wattprint/core` never brings them in. Hand one to `resolveGridIntensityLive` or
 * `estimateFootprint` as `provider`.
 */

export { chainProviders } from "./chain.ts";
export {
  createElectricityMapsProvider,
  ELECTRICITY_MAPS_API,
  type ElectricityMapsOptions,
} from "./electricity-maps.ts";
export { createEnergiDataServiceProvider, ENERGI_DATA_SERVICE_API } from "./energi-data-service.ts";
export { MAX_RESPONSE_BYTES, readCappedText } from "./http.ts";
export { createUkCarbonIntensityProvider, UK_CARBON_INTENSITY_API } from "./uk-carbon-intensity.ts";
