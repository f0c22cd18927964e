/// <reference path="./tgwf-co2.d.ts" />
import { averageIntensity } from "@tgwf/co2/data";
import {
  yearly2021,
  yearly2022,
  yearly2023,
  yearly2024,
  yearly2025,
} from "@tgwf/co2/data/electricity-maps";
import * as z from "../zod.ts";
import { emberRowsWithoutYear } from "./data/ember-year.ts";
import { ELECTRICITY_MAPS_YEARS, type ElectricityMapsYear } from "./data/sources.ts";

const emberSchema = z.object({
  data: z.record(z.string(), z.number().check(z.nonnegative())),
  type: z.literal("average"),
});

const percentSchema = z.object({ value: z.nullable(z.number()), unit: z.literal("%") });

const zoneSchema = z.object({
  zone: z.object({
    zoneName: z.string().check(z.minLength(1)),
    countryName: z.optional(z.string()),
    displayName: z.optional(z.string()),
  }),
  carbonIntensity: z.object({
    value: z.number().check(z.nonnegative()),
    unit: z.literal("gCO2eq/kWh"),
  }),
  renewableEnergy: z.optional(percentSchema),
  carbonFreeEnergy: z.optional(percentSchema),
});

const yearlySchema = z.object({
  data: z.record(z.string(), zoneSchema),
  methodology: z.string(),
});

export type ElectricityMapsZone = z.infer<typeof zoneSchema>;

export interface EmbeddedData {
  /** Ember annual intensity keyed by ISO 3166-1 alpha-3 or an aggregate name ("WORLD"), g/kWh. */
  readonly ember: Readonly<Record<string, number>>;
  readonly electricityMaps: Readonly<
    Record<ElectricityMapsYear, Readonly<Record<string, ElectricityMapsZone>>>
  >;
}

export interface RawEmbeddedData {
  readonly averageIntensity: unknown;
  readonly yearly: Readonly<Record<ElectricityMapsYear, unknown>>;
}

/** Throws (see parseEmbeddedData) when `value` does not have the shape `schema` expects. */
function check<T>(schema: z.ZodMiniType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new Error(
      `@tgwf/co2 ${what} has an unexpected shape (upstream changed?): ${z.prettifyError(parsed.error)}`,
    );
  }
  return parsed.data;
}

function parseEmber(raw: unknown): EmbeddedData["ember"] {
  const ember = check(emberSchema, raw, "averageIntensity").data;
  // A value the year table does not list with that value would be served without its real
  // year: refuse rather than label it with a year it may not be from.
  const unlabelled = emberRowsWithoutYear(ember);
  if (unlabelled.length > 0) {
    throw new Error(
      `@tgwf/co2 averageIntensity has ${unlabelled.length} value(s) the Ember year table ` +
        `(data/ember-years.ts) does not list, e.g. ${unlabelled.slice(0, 5).join(", ")}: ` +
        "regenerate it with scripts/write-ember-years.mjs from the new release's years",
    );
  }
  return ember;
}

function parseYear(raw: unknown, year: ElectricityMapsYear): Record<string, ElectricityMapsZone> {
  return check(yearlySchema, raw, `electricity-maps yearly${year}`).data;
}

/**
 * Checks the shapes of the upstream modules. A throw here means the installed @tgwf/co2 no
 * longer matches what this wrapper was written for: a packaging mistake, not a user error.
 */
export function parseEmbeddedData(raw: RawEmbeddedData): EmbeddedData {
  const electricityMaps = Object.fromEntries(
    ELECTRICITY_MAPS_YEARS.map((year) => [year, parseYear(raw.yearly[year], year)]),
  ) as Record<ElectricityMapsYear, Record<string, ElectricityMapsZone>>;
  return { ember: parseEmber(raw.averageIntensity), electricityMaps };
}

const RAW: RawEmbeddedData = {
  averageIntensity,
  yearly: {
    2021: yearly2021,
    2022: yearly2022,
    2023: yearly2023,
    2024: yearly2024,
    2025: yearly2025,
  },
};

/** A getter that computes its value on first read and keeps it. */
function once<T>(compute: () => T): () => T {
  let value: { readonly v: T } | undefined;
  return () => {
    value ??= { v: compute() };
    return value.v;
  };
}

const emberOnce = once(() => parseEmber(RAW.averageIntensity));
const yearOnce = Object.fromEntries(
  ELECTRICITY_MAPS_YEARS.map((year) => [year, once(() => parseYear(RAW.yearly[year], year))]),
) as Record<ElectricityMapsYear, () => Record<string, ElectricityMapsZone>>;

/**
 * The validated embedded data. Each part (the Ember table, each Electricity Maps year) is
 * checked on its first read, not at import nor all at once: checking all five years of zones
 * costs about 100 ms of CPU (the Ember table about 6 ms), and the world average a tracker
 * without a location uses needs only the Ember table (issue 13).
 */
const lazyData: EmbeddedData = {
  get ember() {
    return emberOnce();
  },
  electricityMaps: Object.defineProperties(
    {},
    Object.fromEntries(
      ELECTRICITY_MAPS_YEARS.map((year) => [year, { get: yearOnce[year], enumerable: true }]),
    ),
  ) as EmbeddedData["electricityMaps"],
};

export function embeddedData(): EmbeddedData {
  return lazyData;
}
