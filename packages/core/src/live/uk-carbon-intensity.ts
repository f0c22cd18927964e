import { err, ok } from "@wattprint/result";
import {
  type IntensityProvider,
  type ProviderOptions,
  providerErrors,
} from "../intensity/provider.ts";
import { gramsPerKWh } from "../units/quantity.ts";
import * as z from "../zod.ts";
import { getJson, joinUrl } from "./http.ts";
import { isoInstant, zonedTimestampSchema } from "./timestamps.ts";
import { utcMinute, withinHours } from "./window.ts";

export const UK_CARBON_INTENSITY_API = "https://api.carbonintensity.org.uk";

// GET /intensity and /intensity/{from}/fw48h: half-hour intervals, actual may be null.
const periodSchema = z.object({
  from: zonedTimestampSchema,
  to: zonedTimestampSchema,
  intensity: z.object({
    forecast: z.nullable(z.number().check(z.nonnegative())),
    actual: z.nullable(z.number().check(z.nonnegative())),
    index: z.string(),
  }),
});
const responseSchema = z.object({ data: z.array(periodSchema) });

/** NESO Carbon Intensity API: Great Britain only (Electricity Maps zone "GB"). */
export function createUkCarbonIntensityProvider(options: ProviderOptions = {}): IntensityProvider {
  const id = "uk-carbon-intensity";
  const base = options.baseUrl ?? UK_CARBON_INTENSITY_API;
  const source = (year: number) => ({
    id: "uk-carbon-intensity-api",
    title: "NESO Carbon Intensity API (Great Britain, live)",
    url: "https://carbonintensity.org.uk/",
    year,
    licence: "CC BY 4.0",
  });
  return {
    id,
    title: "UK Carbon Intensity",
    supports: (zone) => zone === "GB",
    async current(zone, signal) {
      if (zone !== "GB") return err(providerErrors.unsupportedZone(id, zone));
      const url = joinUrl(base, "intensity");
      const body = await getJson({ providerId: id, url, signal }, responseSchema, options);
      if (!body.ok) return body;
      const period = body.value.data[0];
      const value = period?.intensity.actual ?? period?.intensity.forecast;
      if (period === undefined || value == null) return err(providerErrors.noData(id, zone));
      // The API writes minute precision ("2026-11-28T23:00Z"); outputs use full ISO instants.
      const at = isoInstant(period.from);
      return ok({
        zone,
        intensity: gramsPerKWh(value),
        at,
        providerId: id,
        source: source(new Date(at).getUTCFullYear()),
        basis: "operational CO2 of GB generation incl. imports",
        estimated: period?.intensity.actual == null,
      });
    },
    async forecast(zone, hours, signal) {
      if (zone !== "GB") return err(providerErrors.unsupportedZone(id, zone));
      const now = (options.now ?? (() => new Date()))();
      const url = joinUrl(base, `intensity/${utcMinute(now)}/fw48h`);
      const body = await getJson({ providerId: id, url, signal }, responseSchema, options);
      if (!body.ok) return body;
      const points = body.value.data.flatMap((p) => {
        const value = p.intensity.forecast ?? p.intensity.actual;
        return value === null ? [] : [{ at: isoInstant(p.from), intensity: gramsPerKWh(value) }];
      });
      return ok(withinHours(points, hours, () => now));
    },
  };
}
