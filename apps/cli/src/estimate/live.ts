import type { IntensityProvider } from "@wattprint/core";
import {
  chainProviders,
  createElectricityMapsProvider,
  createEnergiDataServiceProvider,
  createUkCarbonIntensityProvider,
} from "@wattprint/core/live";
import type { CliIo } from "../io.ts";

/**
 * The live providers `--live` may use, from the environment: Electricity Maps when
 * ELECTRICITYMAPS_API_KEY is set (any zone it has), then the two that need no key (Great
 * Britain's Carbon Intensity API, Denmark's Energi Data Service). Each service's address can
 * be moved (a proxy, a local test server) with its *_API_URL variable.
 */
export function liveProvider(env: CliIo["env"]): IntensityProvider {
  const url = (name: string) => {
    const value = env[name]?.trim();
    return value ? { baseUrl: value } : {};
  };
  const key = env.ELECTRICITYMAPS_API_KEY?.trim();
  return chainProviders([
    ...(key
      ? [createElectricityMapsProvider({ apiKey: key, ...url("ELECTRICITYMAPS_API_URL") })]
      : []),
    createUkCarbonIntensityProvider(url("UK_CARBON_INTENSITY_API_URL")),
    createEnergiDataServiceProvider(url("ENERGI_DATA_SERVICE_API_URL")),
  ]);
}
