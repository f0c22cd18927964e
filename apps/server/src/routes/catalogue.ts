import {
  type HardwareProfile,
  hardwareSource,
  resolveGridIntensity,
  searchHardware,
  searchZones,
  sourceOf,
  sourceSchema,
} from "@wattprint/core";
import { z } from "zod";
import type { RouteContext, TypedApp } from "../app-types.ts";
import { PROBLEM_RESPONSES } from "../http/common-responses.ts";
import { ProblemError, problemSchema } from "../http/problem.ts";
import { queryLimit } from "./query-limit.ts";

/** Results a search returns at most, whatever `limit` asks (the zone table has ~400 rows). */
const MAX_RESULTS = 500;

const searchQuery = z
  .object({
    query: z.string().max(200).default("").describe("Matches codes and names; empty lists all"),
    limit: queryLimit(MAX_RESULTS, 50),
  })
  .strict();

const sourceRefSchema = z.object({
  id: z.string(),
  title: z.string(),
  url: z.string(),
  year: z.number().int(),
  licence: z.string().optional(),
});

const zoneSchema = z
  .object({
    code: z.string(),
    name: z.string(),
    level: z.string(),
    intensity: z.object({ value: z.number(), unit: z.literal("gCO2eq/kWh") }),
    year: z.number().int(),
    source: sourceRefSchema,
    country: z.string().optional(),
  })
  .meta({ id: "Zone" });

const hardwareSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    vendor: z.string(),
    kind: z.string(),
    tdpW: z.number().describe("rated power, watts; `basis` says what it covers"),
    basis: z.string(),
    idleW: z.number().optional(),
    memoryGB: z.number().optional(),
    year: z.number().int(),
    note: z.string().optional(),
    source: sourceRefSchema,
  })
  .meta({ id: "Hardware" });

const intensitySchema = z
  .object({
    zone: z.string(),
    zoneName: z.string(),
    level: z.string(),
    value: z.number(),
    unit: z.literal("gCO2eq/kWh"),
    year: z.number().int(),
    source: sourceSchema,
  })
  .meta({ id: "GridIntensity" });

function hardwareView(profile: HardwareProfile): z.infer<typeof hardwareSchema> {
  const source = hardwareSource(profile.sourceId);
  return {
    id: profile.id,
    name: profile.name,
    vendor: profile.vendor,
    kind: profile.kind,
    tdpW: profile.tdpW,
    basis: profile.basis,
    ...(profile.idleW !== undefined ? { idleW: profile.idleW } : {}),
    ...(profile.memoryGB !== undefined ? { memoryGB: profile.memoryGB } : {}),
    year: profile.year,
    ...(profile.note !== undefined ? { note: profile.note } : {}),
    source: source ?? {
      id: profile.sourceId,
      title: profile.sourceId,
      url: "",
      year: profile.year,
    },
  };
}

/** The embedded tables: zones and their annual intensity, hardware and its rated power. */
export function catalogueRoutes(app: TypedApp, _context: RouteContext): void {
  app.get(
    "/v1/intensity/:zone",
    {
      schema: {
        summary: "Annual grid carbon intensity of a zone, country, continent or World",
        tags: ["catalogue"],
        params: z.object({ zone: z.string().min(1).max(200) }),
        response: {
          200: intensitySchema,
          ...PROBLEM_RESPONSES,
          404: problemSchema.describe("No zone by that name; suggestions offered"),
        },
      },
    },
    async (request) => {
      const resolved = resolveGridIntensity({ location: request.params.zone });
      if (!resolved.ok) {
        const error = resolved.error;
        const suggestions = "suggestions" in error ? error.suggestions : [];
        throw new ProblemError("unknown-zone", error.message, {
          field: "zone",
          query: request.params.zone,
          suggestions,
        });
      }
      const value = resolved.value;
      // Only an override lacks a year, and this route takes none: every value here is from
      // the embedded tables, which cite a publication with its year.
      const year = value.year;
      if (year === undefined) throw new Error(`the intensity of ${value.zone} has no data year`);
      return {
        zone: value.zone,
        zoneName: value.zoneName,
        level: value.level,
        value: value.intensity.value,
        unit: value.intensity.unit,
        year,
        source: sourceOf(value.provenance),
      };
    },
  );
  app.get(
    "/v1/zones",
    {
      schema: {
        summary: "Search the grid zones",
        tags: ["catalogue"],
        querystring: searchQuery,
        response: { 200: z.object({ zones: z.array(zoneSchema) }), ...PROBLEM_RESPONSES },
      },
    },
    async (request) => ({
      zones: searchZones(request.query.query, request.query.limit).map((zone) => ({
        ...zone,
        intensity: { value: zone.intensity.value, unit: zone.intensity.unit },
      })),
    }),
  );
  app.get(
    "/v1/hardware",
    {
      schema: {
        summary: "Search the hardware power table",
        tags: ["catalogue"],
        querystring: searchQuery,
        response: { 200: z.object({ hardware: z.array(hardwareSchema) }), ...PROBLEM_RESPONSES },
      },
    },
    async (request) => ({
      hardware: searchHardware(request.query.query, request.query.limit).map(hardwareView),
    }),
  );
}
