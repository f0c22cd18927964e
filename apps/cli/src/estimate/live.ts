import type { IntensityProvider } from "@wattprint/core";
import {
  chainProviders,
  createElectricityMapsProvider,
  createEnergiDataServiceProvider,
  createUkCarbonIntensityProvider,
} from "@wattprint/core/live";
import { quoted } from "../args.ts";
import type { CliIo } from "../io.ts";
import { UsageError } from "../usage-error.ts";

/** The variables that move a live service's address: each is checked before any request. */
export const LIVE_URL_VARIABLES = [
  "ELECTRICITYMAPS_API_URL",
  "UK_CARBON_INTENSITY_API_URL",
  "ENERGI_DATA_SERVICE_API_URL",
] as const;
type LiveUrlVariable = (typeof LIVE_URL_VARIABLES)[number];

/**
 * The live providers `--live` may use, from the environment: Electricity Maps when
 * ELECTRICITYMAPS_API_KEY is set (any zone it has), then the two that need no key (Great
 * Britain's Carbon Intensity API, Denmark's Energi Data Service). Each service's address can
 * be moved (a proxy, a local test server) with its *_API_URL variable.
 */
export function liveProvider(env: CliIo["env"]): IntensityProvider {
  // All checked up front, the key's variable too: a bad address otherwise surfaced as three
  // retried requests and an exit-0 warning, or not at all until a key was set.
  const urls = Object.fromEntries(
    LIVE_URL_VARIABLES.map((name) => [name, liveServiceUrl(env, name)]),
  ) as Record<LiveUrlVariable, string | undefined>;
  const at = (name: LiveUrlVariable) => {
    const value = urls[name];
    return value === undefined ? {} : { baseUrl: value };
  };
  const key = env.ELECTRICITYMAPS_API_KEY?.trim();
  return chainProviders([
    ...(key
      ? [createElectricityMapsProvider({ apiKey: key, ...at("ELECTRICITYMAPS_API_URL") })]
      : []),
    createUkCarbonIntensityProvider(at("UK_CARBON_INTENSITY_API_URL")),
    createEnergiDataServiceProvider(at("ENERGI_DATA_SERVICE_API_URL")),
  ]);
}

/**
 * A service address from `name`: undefined when unset; an http: or https: URL when set;
 * anything else (empty included, as the workspace reads a set variable like a flag) a usage
 * error naming the variable and its value.
 */
export function liveServiceUrl(env: CliIo["env"], name: LiveUrlVariable): string | undefined {
  const raw = env[name];
  if (raw === undefined) return undefined;
  const value = raw.trim();
  if (!URL.canParse(value) || !["http:", "https:"].includes(new URL(value).protocol)) {
    throw new UsageError(`estimate: ${name} must be an http: or https: URL, got ${quoted(raw)}`);
  }
  return value;
}
