/**
 * Where a number came from. Every figure the estimation core returns carries one, so a
 * reader can check it by hand: the publication, its year and licence, and how it was used.
 */
export interface SourceRef {
  /** Stable id, e.g. "ember-2024" or "nvidia-a100-datasheet". */
  readonly id: string;
  readonly title: string;
  readonly url: string;
  /** Year the figures describe (data year), not the year they were fetched. */
  readonly year: number;
  readonly licence?: string;
}

/**
 * The source of a value the user typed in (a flag, an environment variable, a request member).
 * It cites no publication and has no data year: a year here would claim the figure describes a
 * year the user never said, so `year` is absent (and typed so that reading it says so).
 */
export interface UserSource {
  readonly id: "user";
  readonly title: string;
  readonly url: "";
  readonly year?: undefined;
  readonly licence?: undefined;
}

export interface Provenance {
  /** A publication, or the user; read `source.year` as absent for the user. */
  readonly source: SourceRef | UserSource;
  /** How the value was obtained from the source, in a few words, e.g. "country annual average". */
  readonly method: string;
  readonly note?: string;
}

/** The provenance of a figure from a publication (every embedded table's): it has a year. */
export interface CitedProvenance extends Provenance {
  readonly source: SourceRef;
}

/** A value together with its provenance. */
export interface Sourced<T> {
  readonly value: T;
  readonly provenance: Provenance;
}

/** Values the user typed in (a flag, an environment variable) are sourced too, without a year. */
export function userSupplied(what: string): Provenance {
  return {
    source: { id: "user", title: `supplied by the user (${what})`, url: "" },
    method: "explicit override",
  };
}

/** The licence line of a figure a vendor or provider publishes on a public page. */
export const PUBLIC_SPEC = "public specification fact";

/** A source that is a public specification page; `I` keeps ids literal for typed tables. */
export function specSource<I extends string>(id: I, title: string, url: string, year: number) {
  return { id, title, url, year, licence: PUBLIC_SPEC } as const satisfies SourceRef;
}

/** A table's sources by id, for rows that name theirs by `sourceId`. */
export function sourceIndex(sources: readonly SourceRef[]): (id: string) => SourceRef | undefined {
  const byId = new Map<string, SourceRef>(sources.map((s) => [s.id, s]));
  return (id) => byId.get(id);
}
