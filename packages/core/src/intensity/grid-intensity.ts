import { err, type Failure, failure, ok, type Result } from "@wattprint/result";
import { type CitedProvenance, type Provenance, userSupplied } from "../provenance.ts";
import { type CarbonIntensity, gramsPerKWh } from "../units/quantity.ts";
import { catalog } from "./catalog.ts";
import { continentAggregate, WORLD_KEY } from "./data/aggregates.ts";
import { emberYear } from "./data/ember-year.ts";
import {
  ELECTRICITY_MAPS_YEARS,
  type ElectricityMapsYear,
  EMBER_LATEST_YEAR,
  electricityMapsSource,
  emberSource,
  isElectricityMapsYear,
  LATEST_ELECTRICITY_MAPS_YEAR,
} from "./data/sources.ts";
import type { LocationError, ResolvedLocation } from "./location.ts";
import { resolveLocation } from "./resolve-location.ts";
import { embeddedData } from "./tgwf-co2.ts";

export type IntensityLevel = "override" | "live" | "zone" | "country" | "continent" | "world";

export interface GridIntensity {
  /** Zone id, ISO-2 country code, Ember aggregate key ("EUROPE", "WORLD"), or the override label. */
  readonly zone: string;
  readonly zoneName: string;
  readonly intensity: CarbonIntensity;
  /**
   * The year the figures describe; absent for an override, which has no data year (labelling
   * it with the year it was typed in claimed a vintage it does not have).
   */
  readonly year?: number;
  readonly level: IntensityLevel;
  readonly provenance: Provenance;
}

export type IntensityError =
  | LocationError
  /** The override is negative, NaN or infinite. */
  | (Failure<"invalid-override"> & { readonly value: number })
  /** No Electricity Maps vintage for that year; `available` lists those there are. */
  | (Failure<"unknown-year"> & { readonly year: number; readonly available: readonly number[] });

export interface GridIntensityOptions {
  /** Anything resolveLocation accepts; wins over region and continent. */
  readonly location?: string;
  /** SustainML `geo_location_region`; an unknown non-empty region is an error. */
  readonly region?: string;
  /** SustainML `geo_location_continent`; used only when region is empty. */
  readonly continent?: string;
  readonly overrideGPerKWh?: number;
  /** Electricity Maps vintage for sub-national zones (2021-2025); default the latest. */
  readonly year?: number;
}

const notEmpty = (text: string | undefined): text is string =>
  text !== undefined && text.trim().length > 0;

/** The location the options name, or undefined when they name none (world average then). */
export function selectLocation(
  options: GridIntensityOptions,
): Result<ResolvedLocation | undefined, LocationError> {
  if (options.location !== undefined) return resolveLocation(options.location);
  if (notEmpty(options.region)) return resolveLocation(options.region);
  if (notEmpty(options.continent)) return resolveLocation(options.continent);
  return ok(undefined);
}

/**
 * Embedded (offline) grid intensity: override, then sub-national zone (Electricity Maps),
 * country (Ember), continent aggregate (Ember), world (Ember). Sync and free of I/O.
 */
export function resolveGridIntensity(
  options: GridIntensityOptions,
): Result<GridIntensity, IntensityError> {
  const override = options.overrideGPerKWh;
  if (override !== undefined && (!Number.isFinite(override) || override < 0)) {
    const message = `grid intensity override ${override} must be a non-negative number`;
    return err(failure("invalid-override", message, { value: override }));
  }
  // Checked with an override too: an override replaces the value, not the question of where
  // and when, so an unknown place or year is the same mistake with or without one.
  const year = options.year ?? LATEST_ELECTRICITY_MAPS_YEAR;
  if (!isElectricityMapsYear(year)) {
    const available = ELECTRICITY_MAPS_YEARS;
    const message = `no grid data for ${year}; available: ${available.join(", ")}`;
    return err(failure("unknown-year", message, { year, available }));
  }
  if (override !== undefined) {
    // Only `location` is checked: SustainML's region and continent are not read at all with a
    // fixed intensity, as in the Python node (docs/sustainml-wire.md, 12.4).
    const named =
      options.location === undefined ? ok(undefined) : resolveLocation(options.location);
    return named.ok ? ok(overrideIntensity(override, options)) : named;
  }
  const location = selectLocation(options);
  if (!location.ok) return location;
  const notes: string[] = [];
  if (location.value === undefined) notes.push("no location given; world average used");
  const value = embeddedIntensity(location.value, year, notes);
  if (options.year !== undefined && value.provenance.source.year !== year) {
    notes.push(`year ${year} applies to Electricity Maps zones; Ember has one vintage`);
  }
  return ok(withNotes(value, notes));
}

function overrideIntensity(override: number, options: GridIntensityOptions): GridIntensity {
  const provenance = userSupplied("grid intensity override, gCO2eq/kWh");
  const note =
    options.year === undefined
      ? undefined
      : `year ${options.year} does not apply: a user-supplied intensity has no data year`;
  return {
    zone: notEmpty(options.location) ? options.location.trim() : "USER",
    zoneName: "user-supplied value",
    intensity: gramsPerKWh(override),
    level: "override",
    provenance: note === undefined ? provenance : { ...provenance, note },
  };
}

function withNotes(value: GridIntensity, notes: readonly string[]): GridIntensity {
  const all = [value.provenance.note, ...notes].filter((n) => n !== undefined);
  if (all.length === 0) return value;
  return { ...value, provenance: { ...value.provenance, note: all.join("; ") } };
}

/** An intensity from the embedded tables, which always cite a publication with a year. */
export interface EmbeddedIntensity extends GridIntensity {
  readonly year: number;
  readonly provenance: CitedProvenance;
}

/** Walks down the chain from the resolved level until a value exists. */
export function embeddedIntensity(
  location: ResolvedLocation | undefined,
  year: ElectricityMapsYear,
  notes: string[],
): EmbeddedIntensity {
  const data = embeddedData();
  if (location?.note !== undefined) notes.push(location.note);
  if (location?.level === "zone") {
    const entry = data.electricityMaps[year][location.zone];
    if (entry !== undefined) {
      return {
        zone: location.zone,
        zoneName: location.name,
        intensity: gramsPerKWh(entry.carbonIntensity.value),
        year,
        level: "zone",
        provenance: {
          source: electricityMapsSource(year),
          method: "sub-national zone annual average (Electricity Maps, lifecycle)",
        },
      };
    }
    notes.push(`zone ${location.zone} has no ${year} value`);
    const country = location.country && catalog().byCode.get(location.country.iso2);
    return embeddedIntensity(country, year, notes);
  }
  if (location?.level === "country") {
    const { country } = location;
    const ember = data.ember[country.iso3];
    if (ember !== undefined) {
      return {
        zone: country.iso2,
        zoneName: country.name,
        intensity: gramsPerKWh(ember),
        ...emberLabel(country.iso3, "country annual average (Ember)"),
        level: "country",
      };
    }
    const zone = data.electricityMaps[year][country.iso2];
    if (zone !== undefined) {
      return {
        zone: country.iso2,
        zoneName: country.name,
        intensity: gramsPerKWh(zone.carbonIntensity.value),
        year,
        level: "country",
        provenance: {
          source: electricityMapsSource(year),
          method: "country annual average (Electricity Maps; country not in Ember)",
        },
      };
    }
    const fallback = continentAggregate[country.continent];
    // A continent without its own aggregate (Antarctica) falls back further, and its note
    // says where: "Antarctica aggregate used" beside it contradicted that.
    notes.push(
      fallback.note === undefined
        ? `no annual value for ${country.name}; ${country.continent} aggregate used`
        : `no annual value for ${country.name}; ${fallback.note}`,
    );
    const aggregate = catalog().byCode.get(fallback.key);
    return embeddedIntensity(aggregate, year, notes);
  }
  if (location?.level === "continent") {
    const value = data.ember[location.zone];
    if (value !== undefined) {
      return {
        zone: location.zone,
        zoneName: location.name,
        intensity: gramsPerKWh(value),
        ...emberLabel(location.zone, "regional aggregate annual average (Ember)"),
        level: "continent",
      };
    }
  }
  return world();
}

/**
 * The year and provenance of the Ember row `key`: its own data year, which for some countries
 * is 2022 or 2023 (the latest Ember has for them), never a newer one.
 */
function emberLabel(key: string, method: string): Pick<EmbeddedIntensity, "year" | "provenance"> {
  const year = emberYear(key);
  // parseEmbeddedData refuses data whose rows the year table lacks, so this is a bug.
  if (year === undefined) throw new Error(`Ember row ${key} has no data year`);
  const source = emberSource(year);
  if (year === EMBER_LATEST_YEAR) return { year, provenance: { source, method } };
  const note = `${year} data: the latest year Ember publishes for this row`;
  return { year, provenance: { source, method, note } };
}

function world(): EmbeddedIntensity {
  const value = embeddedData().ember[WORLD_KEY];
  if (value === undefined) throw new Error("@tgwf/co2 averageIntensity has no WORLD row");
  return {
    zone: WORLD_KEY,
    zoneName: "World",
    intensity: gramsPerKWh(value),
    ...emberLabel(WORLD_KEY, "world annual average (Ember)"),
    level: "world",
  };
}
