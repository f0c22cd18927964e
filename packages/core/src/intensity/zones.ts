import type { SourceRef } from "../provenance.ts";
import type { CarbonIntensity } from "../units/quantity.ts";
import { catalog } from "./catalog.ts";
import { aggregates } from "./data/aggregates.ts";
import { countries } from "./data/countries.ts";
import { regionAliases } from "./data/region-aliases.ts";
import { LATEST_ELECTRICITY_MAPS_YEAR } from "./data/sources.ts";
import { embeddedIntensity, type IntensityLevel } from "./grid-intensity.ts";
import type { ResolvedLocation } from "./location.ts";
import { nameKey } from "./normalize.ts";

export interface ZoneEntry {
  readonly code: string;
  readonly name: string;
  /** The level the value comes from; a country without data shows its fallback level. */
  readonly level: IntensityLevel;
  readonly intensity: CarbonIntensity;
  readonly year: number;
  readonly source: SourceRef;
  /** Country of a sub-national zone, so "spain" also lists the Spanish islands. */
  readonly country?: string;
}

let cached: readonly (ZoneEntry & { readonly haystack: string })[] | undefined;

function entries(): readonly (ZoneEntry & { readonly haystack: string })[] {
  if (cached !== undefined) return cached;
  const { byCode } = catalog();
  const list: (ZoneEntry & { haystack: string })[] = [];
  const add = (location: ResolvedLocation | undefined): void => {
    if (location === undefined) return;
    const value = embeddedIntensity(location, LATEST_ELECTRICITY_MAPS_YEAR, []);
    const country = location.level === "zone" ? location.country?.name : undefined;
    const names = [location.zone, location.name, country ?? ""];
    if (location.level === "country")
      names.push(location.country.iso3, ...location.country.altNames);
    list.push({
      code: location.zone,
      name: location.name,
      level: value.level,
      intensity: value.intensity,
      year: value.year,
      source: value.provenance.source,
      ...(country === undefined ? {} : { country }),
      haystack: names.map(nameKey).join("|"),
    });
  };
  for (const aggregate of aggregates) add(byCode.get(aggregate.key));
  for (const country of countries) add(byCode.get(country.iso2));
  const zoneIds = [...byCode.values()].filter((l) => l.level === "zone").map((l) => l.zone);
  for (const id of [...new Set(zoneIds)].sort()) add(byCode.get(id));
  // Names users type for a region ("California", "Catalonia") find the zone they resolve to.
  for (const alias of regionAliases) {
    const code = "zone" in alias.target ? alias.target.zone : alias.target.country;
    const entry = list.find((candidate) => candidate.code === code);
    if (entry !== undefined) entry.haystack = `${entry.haystack}|${nameKey(alias.name)}`;
  }
  cached = list;
  return list;
}

/**
 * Zones for `wattprint zones [query]`: aggregates, countries and sub-national zones whose
 * code or names contain the query (accent and case blind); an empty query lists all.
 */
export function searchZones(query = "", limit = Number.POSITIVE_INFINITY): ZoneEntry[] {
  const key = nameKey(query);
  const rank = (haystack: string, code: string): number => {
    if (nameKey(code) === key) return 0;
    if (haystack.split("|").some((part) => part === key)) return 1;
    if (haystack.split("|").some((part) => part.startsWith(key))) return 2;
    return haystack.includes(key) ? 3 : -1;
  };
  const matches = entries()
    .map((entry, index) => ({
      entry,
      index,
      rank: key === "" ? 0 : rank(entry.haystack, entry.code),
    }))
    .filter((m) => m.rank >= 0)
    .sort((a, b) => a.rank - b.rank || a.index - b.index)
    .slice(0, limit);
  return matches.map(({ entry: { haystack: _h, ...entry } }) => entry);
}
