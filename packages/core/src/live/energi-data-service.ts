import { err, ok } from "@wattprint/result";
import {
  type IntensityProvider,
  type ProviderOptions,
  providerErrors,
} from "../intensity/provider.ts";
import { gramsPerKWh } from "../units/quantity.ts";
import * as z from "../zod.ts";
import { getJson, joinUrl } from "./http.ts";
import { isoInstant, utcTimestampSchema } from "./timestamps.ts";
import { withinHours } from "./window.ts";

export const ENERGI_DATA_SERVICE_API = "https://api.energidataservice.dk";

// Datasets CO2Emis (measured) and CO2EmisProg (forecast): 5-minute rows per price area.
const recordSchema = z.object({
  Minutes5UTC: utcTimestampSchema,
  Minutes5DK: z.optional(z.string()),
  PriceArea: z.string(),
  CO2Emission: z.nullable(z.number().check(z.nonnegative())),
});
const responseSchema = z.object({ records: z.array(recordSchema) });

const PRICE_AREAS: Readonly<Record<string, string>> = { "DK-DK1": "DK1", "DK-DK2": "DK2" };

/** Energinet's Energi Data Service: Danish price areas DK1 (west) and DK2 (east). */
export function createEnergiDataServiceProvider(options: ProviderOptions = {}): IntensityProvider {
  const id = "energi-data-service";
  const base = options.baseUrl ?? ENERGI_DATA_SERVICE_API;
  const source = (year: number) => ({
    id: "energi-data-service-co2emis",
    title: "Energi Data Service CO2Emis / CO2EmisProg (Energinet, live)",
    url: "https://www.energidataservice.dk/tso-electricity/CO2Emis",
    year,
    licence: "Energi Data Service terms (attribution to Energinet)",
  });
  const query = (area: string, extra: Readonly<Record<string, string>>): string =>
    new URLSearchParams({ filter: JSON.stringify({ PriceArea: [area] }), ...extra }).toString();
  return {
    id,
    title: "Energi Data Service",
    supports: (zone) => Object.hasOwn(PRICE_AREAS, zone),
    async current(zone, signal) {
      const area = PRICE_AREAS[zone];
      if (area === undefined) return err(providerErrors.unsupportedZone(id, zone));
      const params = query(area, { limit: "1", sort: "Minutes5UTC DESC" });
      const url = joinUrl(base, `dataset/CO2Emis?${params}`);
      const body = await getJson({ providerId: id, url, signal }, responseSchema, options);
      if (!body.ok) return body;
      const row = body.value.records[0];
      if (row?.CO2Emission == null) return err(providerErrors.noData(id, zone));
      // Timestamps come without an offset but are UTC, as the column name says.
      const at = isoInstant(row.Minutes5UTC);
      return ok({
        zone,
        intensity: gramsPerKWh(row.CO2Emission),
        at,
        providerId: id,
        source: source(new Date(at).getUTCFullYear()),
        basis: "CO2 only (not CO2eq) per kWh consumed",
        estimated: false,
      });
    },
    async forecast(zone, hours, signal) {
      const area = PRICE_AREAS[zone];
      if (area === undefined) return err(providerErrors.unsupportedZone(id, zone));
      const now = (options.now ?? (() => new Date()))();
      const minute = (d: Date) => d.toISOString().slice(0, 16);
      const params = query(area, {
        start: minute(new Date(now.getTime() - 5 * 60_000)),
        end: minute(new Date(now.getTime() + hours * 3_600_000)),
        sort: "Minutes5UTC ASC",
        limit: String(Math.ceil(hours * 12) + 2),
      });
      const url = joinUrl(base, `dataset/CO2EmisProg?${params}`);
      const body = await getJson({ providerId: id, url, signal }, responseSchema, options);
      if (!body.ok) return body;
      const points = body.value.records.flatMap((r) => {
        return r.CO2Emission === null
          ? []
          : [{ at: isoInstant(r.Minutes5UTC), intensity: gramsPerKWh(r.CO2Emission) }];
      });
      return ok(withinHours(points, hours, () => now));
    },
  };
}
