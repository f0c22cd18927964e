import type { SourceRef } from "../provenance.ts";
import type { CarbonIntensity } from "../units/quantity.ts";
import { catalog } from "./catalog.ts";
import { aggregates } from "./data/aggregates.ts";
import { countries } from "./data/countries.ts";
import { regionAliases } from "./data/region-aliases.ts";
import { LATEST_ELECTRICITY_MAPS_YEAR } from "./data/sources.ts";
import type { UsState } from "./data/us-states.ts";
import { embeddedIntensity, type IntensityLevel } from "./grid-intensity.ts";
import type { LocationLevel, ResolvedLocation } from "./location.ts";
import { nameKey } from "./normalize.ts";

export interface ZoneEntry {
  readonly code: string;
  readonly name: string;
  /** What the entry is: a sub-national zone is a `zone` whatever its value falls back to. */
  readonly level: LocationLevel;
  /** Where the value comes from when that is not the entry itself (a country without data). */
  readonly valueLevel?: IntensityLevel;
  readonly intensity: CarbonIntensity;
  readonly year: number;
  readonly source: SourceRef;
  /** Set when the value is not the entry's own, or is older than the rest. */
  readonly note?: string;
  /** Country of a sub-national zone, so "spain" also lists the Spanish islands. */
  readonly country?: string;
  readonly countryCode?: string;
  /** Set when the query named a US state this zone serves. */
  readonly serves?: {
    readonly state: string;
    /** Fraction of the state's load, where the operator publishes it. */
    readonly share?: number;
    /** The zone an estimate for the state name uses. */
    readonly primary: boolean;
  };
}

interface Indexed {
  readonly entry: ZoneEntry;
  /** Upper-case codes: zone id, ISO-2 and ISO-3 for a country. */
  readonly codes: readonly string[];
  /** Name keys of the entry's names and aliases. */
  readonly names: readonly string[];
}

let cached: readonly Indexed[] | undefined;

function indexed(): readonly Indexed[] {
  if (cached !== undefined) return cached;
  const { byCode } = catalog();
  const list: { entry: ZoneEntry; codes: string[]; names: string[] }[] = [];
  const add = (location: ResolvedLocation | undefined): void => {
    if (location === undefined) return;
    const notes: string[] = [];
    const value = embeddedIntensity(location, LATEST_ELECTRICITY_MAPS_YEAR, notes);
    const country = location.level === "zone" ? location.country : undefined;
    const codes = [location.zone];
    // A zone also answers to its country's name in the looser tiers ("austr" finds AU-NSW).
    const names = [location.name, ...(country === undefined ? [] : [country.name])];
    if (location.level === "country") {
      codes.push(location.country.iso3);
      names.push(...location.country.altNames);
    }
    const note = [value.provenance.note, ...notes].filter((n) => n !== undefined).join("; ");
    list.push({
      entry: {
        code: location.zone,
        name: location.name,
        level: location.level,
        ...(value.level === location.level ? {} : { valueLevel: value.level }),
        intensity: value.intensity,
        year: value.year,
        source: value.provenance.source,
        ...(note === "" ? {} : { note }),
        ...(country === undefined ? {} : { country: country.name, countryCode: country.iso2 }),
      },
      codes,
      names: names.map(nameKey),
    });
  };
  for (const aggregate of aggregates) add(byCode.get(aggregate.key));
  for (const country of countries) add(byCode.get(country.iso2));
  const zoneIds = [...byCode.values()].filter((l) => l.level === "zone").map((l) => l.zone);
  for (const id of [...new Set(zoneIds)].sort()) add(byCode.get(id));
  // Names users type for a region ("Catalonia") find the zone they resolve to.
  for (const alias of regionAliases) {
    const code = "zone" in alias.target ? alias.target.zone : alias.target.country;
    list.find((candidate) => candidate.entry.code === code)?.names.push(nameKey(alias.name));
  }
  cached = list;
  return list;
}

/** The zones serving a US state, in the table's order, each saying what part it serves. */
function stateZones(state: UsState, all: readonly Indexed[]): ZoneEntry[] {
  return state.zones.flatMap(({ zone, share }) => {
    const found = all.find((candidate) => candidate.entry.code === zone);
    if (found === undefined) return [];
    const serves = {
      state: state.name,
      ...(share === undefined ? {} : { share }),
      primary: zone === state.primary,
    };
    return [{ ...found.entry, serves }];
  });
}

/**
 * Zones for `wattprint zones [query]`, in tiers, so that a code finds what it names:
 *
 * 1. exact: a code (zone id, ISO-2, ISO-3), a name or alias, or a US state (name or US-XX).
 *    A country comes with its sub-national zones; a state with the zones that serve it. When
 *    anything matches exactly, only exact matches are listed: `US` is the United States and
 *    its zones, never Australia or Belarus because their names contain "us".
 * 2. otherwise names and codes that start with the query, then those that contain it.
 *
 * Accent and case blind; an empty (blank) query lists everything, one with no Latin letter or
 * digit lists nothing; at most `limit` rows.
 */
export function searchZones(query = "", limit = Number.POSITIVE_INFINITY): ZoneEntry[] {
  const all = indexed();
  if (query.trim() === "") return all.slice(0, limit).map((item) => item.entry);
  const key = nameKey(query);
  // A query of other scripts or punctuation alone ("中国", "!!!") keys to nothing: it names
  // no zone, and listing every zone for it read as if each one matched.
  if (key === "") return [];
  const code = query.trim().toUpperCase();
  const exact: ZoneEntry[] = [];
  for (const item of all) {
    if (!item.codes.includes(code) && !item.names.includes(key)) continue;
    exact.push(item.entry);
    if (item.entry.level === "country") {
      const iso2 = item.entry.code;
      exact.push(...all.filter((z) => z.entry.countryCode === iso2).map((z) => z.entry));
    }
  }
  const state = catalog().states.get(key);
  if (state !== undefined) exact.push(...stateZones(state, all));
  if (exact.length > 0) return dedupe(exact).slice(0, limit);
  const rank = (item: Indexed): number => {
    const keys = [...item.codes.map(nameKey), ...item.names];
    if (keys.some((part) => part.startsWith(key))) return 0;
    return keys.some((part) => part.includes(key)) ? 1 : -1;
  };
  return all
    .map((item, index) => ({ item, index, rank: rank(item) }))
    .filter((m) => m.rank >= 0)
    .sort((a, b) => a.rank - b.rank || a.index - b.index)
    .slice(0, limit)
    .map(({ item }) => item.entry);
}

/** The first row for each code, keeping a row that says which state it serves. */
function dedupe(entries: readonly ZoneEntry[]): ZoneEntry[] {
  const byCode = new Map<string, ZoneEntry>();
  for (const entry of entries) {
    const seen = byCode.get(entry.code);
    if (seen === undefined || (seen.serves === undefined && entry.serves !== undefined)) {
      byCode.set(entry.code, entry);
    }
  }
  return [...byCode.values()];
}
