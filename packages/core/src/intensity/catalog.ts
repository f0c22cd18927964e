import { closest } from "../text/closest.ts";
import { aggregates, continentAggregate, WORLD_KEY } from "./data/aggregates.ts";
import { countries, countryByIso2 } from "./data/countries.ts";
import { regionAliases } from "./data/region-aliases.ts";
import { LATEST_ELECTRICITY_MAPS_YEAR } from "./data/sources.ts";
import { type UsState, usStates } from "./data/us-states.ts";
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
  /**
   * Name keys that name more than one place and so resolve to none: "America", and US states
   * served by several balancing areas with none serving most of the state.
   */
  readonly ambiguous: ReadonlyMap<string, AmbiguousName>;
  /** US states by name key and by ISO 3166-2 code ("US-VA"), for the zone search. */
  readonly states: ReadonlyMap<string, UsState>;
}

export interface AmbiguousName {
  readonly name: string;
  /** Why the name is refused, as a clause: "spans North and South America". */
  readonly why: string;
  /** Queries that each resolve, to offer instead. */
  readonly suggestions: readonly string[];
}

/**
 * Continent names that SustainML and people send and that cover more than one Ember
 * aggregate. "America" must never become the United States.
 */
const AMBIGUOUS_CONTINENTS: readonly AmbiguousName[] = [
  ...["America", "Americas", "The Americas"].map((name) => ({
    name,
    why: "spans North and South America, which have separate averages",
    suggestions: ["North America", "South America", "Latin America and Caribbean", "United States"],
  })),
];

/** What a state's name or code resolves to: its primary zone, with a note naming the others. */
function stateNote(state: UsState, zoneName: (id: string) => string): string {
  const primary = state.zones.find((z) => z.zone === state.primary);
  const others = state.zones.filter((z) => z.zone !== state.primary).map((z) => z.zone);
  const share =
    primary?.share === undefined
      ? "serves all or most of the state"
      : `serves about ${Math.round(primary.share * 100)} % of the state's load`;
  const rest = others.length > 0 ? `; also served by ${others.join(", ")}` : "";
  return `${state.name}: ${zoneName(state.primary ?? "")} (${state.primary}) ${share}${rest}`;
}

const isSubNational = (zone: string): boolean => zone.includes("-");

function build(): Catalog {
  // Zones are the same in every vintage (checked in tests); the latest one names them.
  const zones = embeddedData().electricityMaps[LATEST_ELECTRICITY_MAPS_YEAR];
  const byCode = new Map<string, ResolvedLocation>();
  const byName = new Map<string, ResolvedLocation>();
  const candidates: Candidate[] = [];
  const ambiguous = new Map<string, AmbiguousName>();
  const states = new Map<string, UsState>();
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

  for (const entry of AMBIGUOUS_CONTINENTS) ambiguous.set(nameKey(entry.name), entry);

  // US states after countries, so "Georgia" stays the country; "Georgia US" or US-GA is the state.
  for (const state of usStates) {
    const code = `US-${state.code}`;
    const names = [state.name, `${state.name} US`, `${state.name} USA`];
    for (const key of [...names, code].map(nameKey)) states.set(key, state);
    if (state.primary === undefined) {
      const why = "is served by several balancing areas and none serves most of it";
      const entry = { name: state.name, why, suggestions: state.zones.map((z) => z.zone) };
      for (const name of names) if (!byName.has(nameKey(name))) ambiguous.set(nameKey(name), entry);
      if (!byCode.has(code)) ambiguous.set(nameKey(code), entry);
      continue;
    }
    const note = stateNote(state, (id) => zones[id]?.zone.zoneName ?? id);
    const location: ResolvedLocation = { ...zoneLocation(state.primary), matchedBy: "alias", note };
    if (!byCode.has(code)) byCode.set(code, location);
    for (const name of names) addName(name, location, state.name);
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
  return { byCode, byName, candidates, ambiguous, states };
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
