import type { Failure } from "@wattprint/result";
import type { Country } from "./data/countries.ts";

export type LocationLevel = "zone" | "country" | "continent" | "world";
export type MatchKind = "iso2" | "iso3" | "zone-id" | "aggregate-key" | "name" | "alias";

interface LocationBase {
  /** Code used in outputs and by live providers: zone id, ISO-2, or the Ember aggregate key. */
  readonly zone: string;
  readonly name: string;
  readonly matchedBy: MatchKind;
  /** Set when the match is an approximation the user should know about. */
  readonly note?: string;
}

export type ResolvedLocation =
  | (LocationBase & { readonly level: "zone"; readonly country?: Country })
  | (LocationBase & { readonly level: "country"; readonly country: Country })
  | (LocationBase & { readonly level: "continent" | "world" });

export const ZONES_HINT = "run `wattprint zones <query>` to list zones";

/** An empty query, or one that names no known location; the message ends with ZONES_HINT. */
export type LocationError =
  | (Failure<"empty-query"> & { readonly query: string })
  | (Failure<"unknown-location"> & {
      readonly query: string;
      /** Closest codes and names by edit distance, each one a valid query, at most 5. */
      readonly suggestions: readonly string[];
    })
  /** A name for several places with different grids ("America", a split US state). */
  | (Failure<"ambiguous-location"> & {
      readonly query: string;
      /** The places it could mean, each one a valid query. */
      readonly suggestions: readonly string[];
    });
