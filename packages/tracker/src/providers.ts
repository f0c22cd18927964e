import type { IntensityProvider } from "@wattprint/core";
import {
  createElectricityMapsProvider,
  createEnergiDataServiceProvider,
  createUkCarbonIntensityProvider,
} from "@wattprint/core/live";

/**
 * The live provider `apiKeys` selects (no network until a fetch). With an Electricity Maps
 * key: Denmark's price areas through Energi Data Service and Great Britain through the NESO
 * Carbon Intensity API (both keyless, both with forecasts for the prediction), every other
 * zone through Electricity Maps. Without keys: none, so no network at all.
 */
export function providerForKeys(
  keys: Readonly<Record<string, string>> | null,
): IntensityProvider | undefined {
  const key = keys === null ? undefined : lookup(keys, "electricitymaps");
  if (key === undefined) return undefined;
  const maps = createElectricityMapsProvider({ apiKey: key });
  const dk = createEnergiDataServiceProvider();
  const gb = createUkCarbonIntensityProvider();
  const pick = (zone: string): IntensityProvider =>
    dk.supports(zone) ? dk : gb.supports(zone) ? gb : maps;
  return {
    id: "carbontracker-keys",
    title: "Electricity Maps (Energi Data Service for DK, NESO for GB)",
    supports: (zone) => pick(zone).supports(zone),
    current: (zone, signal) => pick(zone).current(zone, signal),
    forecast: (zone, hours, signal) => {
      const provider = pick(zone);
      return provider.forecast === undefined
        ? Promise.resolve({ ok: true as const, value: [] })
        : provider.forecast(zone, hours, signal);
    },
  };
}

/** carbontracker lower-cases nothing; wattprint accepts `ElectricityMaps` as well. */
function lookup(keys: Readonly<Record<string, string>>, name: string): string | undefined {
  for (const [k, v] of Object.entries(keys)) if (k.toLowerCase() === name) return v;
  return undefined;
}
