import { err } from "@wattprint/result";
import { type IntensityProvider, providerErrors } from "../intensity/provider.ts";

/**
 * One provider made of several: each zone is asked of the first provider that covers it (a
 * keyed Electricity Maps provider first, then the keyless national ones), so a caller that
 * configures what it has gets every zone any of them covers. Its id and title name the
 * provider that answered a zone through `providerFor`.
 */
export function chainProviders(providers: readonly IntensityProvider[]): IntensityProvider {
  const providerFor = (zone: string) => providers.find((provider) => provider.supports(zone));
  const id = providers.map((provider) => provider.id).join("+") || "none";
  return {
    id,
    title: providers.map((provider) => provider.title).join(", ") || "no live provider",
    supports: (zone) => providerFor(zone) !== undefined,
    current: async (zone, signal) => {
      const provider = providerFor(zone);
      if (provider === undefined) return err(providerErrors.unsupportedZone(id, zone));
      return provider.current(zone, signal);
    },
  };
}
