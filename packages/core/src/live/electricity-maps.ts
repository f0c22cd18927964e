import { err, ok } from "@wattprint/result";
import { LATEST_ELECTRICITY_MAPS_YEAR } from "../intensity/data/sources.ts";
import {
  type IntensityProvider,
  type LiveIntensity,
  type ProviderOptions,
  providerErrors,
} from "../intensity/provider.ts";
import { embeddedData } from "../intensity/tgwf-co2.ts";
import { gramsPerKWh } from "../units/quantity.ts";
import * as z from "../zod.ts";
import { getJson, joinUrl } from "./http.ts";
import { withinHours } from "./window.ts";

export const ELECTRICITY_MAPS_API = "https://api.electricitymap.org";

// GET /v3/carbon-intensity/latest?zone=DE
const latestSchema = z.object({
  zone: z.string(),
  carbonIntensity: z.nullable(z.number().check(z.nonnegative())),
  datetime: z.iso.datetime({ offset: true }),
  updatedAt: z.optional(z.string()),
  emissionFactorType: z.optional(z.string()),
  isEstimated: z.optional(z.nullable(z.boolean())),
  estimationMethod: z.optional(z.nullable(z.string())),
});

// GET /v3/carbon-intensity/forecast?zone=DE
const forecastSchema = z.object({
  zone: z.string(),
  forecast: z.array(
    z.object({
      carbonIntensity: z.number().check(z.nonnegative()),
      datetime: z.iso.datetime({ offset: true }),
    }),
  ),
});

export interface ElectricityMapsOptions extends ProviderOptions {
  readonly apiKey: string;
}

/** Electricity Maps API v3: any zone present in the embedded Electricity Maps data. */
export function createElectricityMapsProvider(options: ElectricityMapsOptions): IntensityProvider {
  const id = "electricity-maps";
  const base = options.baseUrl ?? ELECTRICITY_MAPS_API;
  const headers = { "auth-token": options.apiKey };
  const zoneQuery = (zone: string) => `zone=${encodeURIComponent(zone)}`;
  const source = (year: number) => ({
    id: "electricity-maps-api-v3",
    title: "Electricity Maps API v3 (live)",
    url: "https://api.electricitymap.org/v3",
    year,
    licence: "Electricity Maps API terms of use",
  });
  return {
    id,
    title: "Electricity Maps",
    supports: (zone) =>
      Object.hasOwn(embeddedData().electricityMaps[LATEST_ELECTRICITY_MAPS_YEAR], zone),
    async current(zone, signal) {
      const url = joinUrl(base, `v3/carbon-intensity/latest?${zoneQuery(zone)}`);
      const body = await getJson({ providerId: id, url, headers, signal }, latestSchema, options);
      if (!body.ok) return body;
      if (body.value.carbonIntensity === null) return err(providerErrors.noData(id, zone));
      const at = new Date(body.value.datetime).toISOString();
      const value: LiveIntensity = {
        zone,
        intensity: gramsPerKWh(body.value.carbonIntensity),
        at,
        providerId: id,
        source: source(new Date(at).getUTCFullYear()),
        basis: `${body.value.emissionFactorType ?? "lifecycle"} CO2eq`,
        estimated: body.value.isEstimated === true,
      };
      return ok(value);
    },
    async forecast(zone, hours, signal) {
      const url = joinUrl(base, `v3/carbon-intensity/forecast?${zoneQuery(zone)}`);
      const body = await getJson({ providerId: id, url, headers, signal }, forecastSchema, options);
      if (!body.ok) return body;
      const points = body.value.forecast.map((p) => ({
        at: new Date(p.datetime).toISOString(),
        intensity: gramsPerKWh(p.carbonIntensity),
      }));
      return ok(withinHours(points, hours, options.now));
    },
  };
}
