import type { Continent } from "./countries.ts";

/**
 * Ember aggregate rows in @tgwf/co2 (keys as Ember spells them) with the names people type.
 * Ember publishes no "South America" row; the Latin America and Caribbean aggregate stands in
 * and says so in a note.
 */
export interface Aggregate {
  readonly key: string;
  readonly name: string;
  readonly aliases: readonly string[];
  readonly note?: string;
}

export const WORLD_KEY = "WORLD";

export const aggregates: readonly Aggregate[] = [
  { key: "WORLD", name: "World", aliases: ["Global", "Globe", "Worldwide", "Earth"] },
  { key: "AFRICA", name: "Africa", aliases: [] },
  { key: "ASIA", name: "Asia", aliases: [] },
  { key: "EUROPE", name: "Europe", aliases: [] },
  { key: "NORTH AMERICA", name: "North America", aliases: [] },
  { key: "OCEANIA", name: "Oceania", aliases: ["Australia and Oceania"] },
  {
    key: "LATIN AMERICA AND CARIBBEAN",
    name: "Latin America and Caribbean",
    aliases: ["Latin America", "Latin America and the Caribbean"],
  },
  { key: "MIDDLE EAST", name: "Middle East", aliases: [] },
  { key: "EU", name: "European Union", aliases: ["EU27"] },
  { key: "OECD", name: "OECD", aliases: [] },
  { key: "G7", name: "G7", aliases: [] },
  { key: "G20", name: "G20", aliases: [] },
  { key: "ASEAN", name: "ASEAN", aliases: [] },
];

/** Continent names that have no Ember row of their own map onto the nearest aggregate. */
export const continentAggregate: Readonly<Record<Continent, { key: string; note?: string }>> = {
  Africa: { key: "AFRICA" },
  Asia: { key: "ASIA" },
  Europe: { key: "EUROPE" },
  "North America": { key: "NORTH AMERICA" },
  Oceania: { key: "OCEANIA" },
  "South America": {
    key: "LATIN AMERICA AND CARIBBEAN",
    note: "Ember has no South America row; the Latin America and Caribbean aggregate is used",
  },
  Antarctica: { key: WORLD_KEY, note: "Ember has no Antarctica row; the world average is used" },
};
