import { closest } from "../text/closest.ts";
import { aggregates, continentAggregate, WORLD_KEY } from "./data/aggregates.ts";
import { countries, countryByIso2 } from "./data/countries.ts";
import { regionAliases } from "./data/region-aliases.ts";
import { LATEST_ELECTRICITY_MAPS_YEAR } from "./data/sources.ts";
import type { ResolvedLocation } from "./location.ts";
import { nameKey } from "./normalize.ts";
import { embeddedData } from "./tgwf-co2.ts";

interface Candidate {
  readonly key: string;
  /** What the user can type to get this location. */
  readonly label: string;
  /** ISO codes only make sense as suggestions for queries that look like codes. */
  readonly isCode?: true;
}

export interface Catalog {
  /** Upper-case codes: ISO-2, ISO-3, zone ids, Ember aggregate keys. */
  readonly byCode: ReadonlyMap<string, ResolvedLocation>;
  /** Name keys (see nameKey) of names, alternative names, aliases and zone ids. */
  readonly byName: ReadonlyMap<string, ResolvedLocation>;
  readonly candidates: readonly Candidate[];
}

const isSubNational = (zone: string): boolean => zone.includes("-");

function build(): Catalog {
  // Zones are the same in every vintage (checked in tests); the latest one names them.
  const zones = embeddedData().electricityMaps[LATEST_ELECTRICITY_MAPS_YEAR];
  const byCode = new Map<string, ResolvedLocation>();
  const byName = new Map<string, ResolvedLocation>();
  const candidates: Candidate[] = [];
  // First name wins, so the order below sets precedence: aggregates, countries, aliases, zones.
  const addName = (name: string, location: ResolvedLocation, label: string): void => {
    const key = nameKey(name);
    if (key.length === 0) return;
    if (!byName.has(key)) byName.set(key, location);
    candidates.push({ key, label });
  };

  for (const aggregate of aggregates) {
    const level = aggregate.key === WORLD_KEY ? "world" : "continent";
    const base = { level, zone: aggregate.key, name: aggregate.name } as const;
    byCode.set(aggregate.key, { ...base, matchedBy: "aggregate-key" });
    for (const name of [aggregate.name, ...aggregate.aliases]) {
      addName(name, { ...base, matchedBy: "name" }, aggregate.name);
    }
  }

  for (const [continent, { key, note }] of Object.entries(continentAggregate)) {
    const target = byCode.get(key);
    if (key === WORLD_KEY || target === undefined || byName.has(nameKey(continent))) continue;
    addName(continent, { ...target, matchedBy: "name", ...(note ? { note } : {}) }, continent);
  }

  for (const country of countries) {
    const base = { level: "country", zone: country.iso2, name: country.name, country } as const;
    byCode.set(country.iso2, { ...base, matchedBy: "iso2" });
    byCode.set(country.iso3, { ...base, matchedBy: "iso3" });
    candidates.push({ key: country.iso2.toLowerCase(), label: country.iso2, isCode: true });
    candidates.push({ key: country.iso3.toLowerCase(), label: country.iso3, isCode: true });
    for (const name of [country.name, ...country.altNames]) {
      addName(name, { ...base, matchedBy: "name" }, country.name);
    }
  }

  for (const alias of regionAliases) {
    const target =
      "zone" in alias.target
        ? (byCode.get(alias.target.zone) ?? zoneLocation(alias.target.zone))
        : byCode.get(alias.target.country);
    if (target === undefined) throw new Error(`region alias ${alias.name} has no target`);
    addName(alias.name, { ...target, matchedBy: "alias", note: alias.note }, alias.name);
  }

  function zoneLocation(id: string): ResolvedLocation {
    const entry = zones[id];
    const country = countryByIso2(id.split("-")[0] ?? "");
    return {
      level: "zone",
      zone: id,
      name: entry?.zone.zoneName ?? id,
      matchedBy: "zone-id",
      ...(country === undefined ? {} : { country }),
    };
  }

  for (const [id, entry] of Object.entries(zones)) {
    if (!isSubNational(id)) continue;
    const location = zoneLocation(id);
    byCode.set(id, location);
    candidates.push({ key: nameKey(id), label: id });
    for (const name of [entry.zone.zoneName, entry.zone.displayName]) {
      if (name !== undefined) addName(name, { ...location, matchedBy: "name" }, id);
    }
  }
  for (const [id, location] of byCode) {
    if (isSubNational(id) && !byName.has(nameKey(id))) byName.set(nameKey(id), location);
  }
  return { byCode, byName, candidates };
}

let cached: Catalog | undefined;

export function catalog(): Catalog {
  cached ??= build();
  return cached;
}

/**
 * Longest name key (see nameKey) that gets fuzzy suggestions. The longest key of a known
 * name is 51 characters, so a longer query is no typo of one; refusing it bounds the work
 * of an unknown location to 64 x 51 table cells per candidate, whatever the input size.
 */
export const MAX_SUGGESTION_QUERY_CHARS = 64;

/**
 * Up to `limit` distinct labels whose keys are closest to the query, substrings first, ties
 * by label (`closestLabels` in text/closest.ts). None for a key longer than
 * MAX_SUGGESTION_QUERY_CHARS. ISO codes are suggested only for code-like (short) queries.
 */
export function closestLabels(query: string, limit = 5): string[] {
  const key = nameKey(query);
  const codeLike = key.length <= 3;
  return closest(
    key,
    codeLike ? catalog().candidates : catalog().candidates.filter((c) => !c.isCode),
    { limit, maxQueryChars: MAX_SUGGESTION_QUERY_CHARS },
  );
}
