import { closest } from "./closest.ts";

/** Case, spaces and punctuation do not tell names apart: `DGX-H100` is `dgx h100`. */
export function nameKeyOf(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9+]/g, "");
}

/** Suggestions are offered for keys up to this long; a longer query is no typo of a name. */
const MAX_QUERY_CHARS = 64;

export interface NameIndex<T> {
  /** The row one of whose spellings has the query's key, if any. */
  readonly exact: (query: string) => T | undefined;
  /** Up to `limit` row labels nearest the query, by the workspace's one rule (`closest`). */
  readonly suggest: (query: string, limit: number) => string[];
}

/**
 * An index of a small table by its spellings (id, name, aliases), for the presets, cloud
 * instances and regions: exact on a normalised key, else suggestions from `closest`. Two rows
 * with one key is a data bug and throws when the index is built.
 */
export function nameIndex<T>(
  rows: readonly T[],
  spellings: (row: T) => readonly string[],
  label: (row: T) => string,
): NameIndex<T> {
  const byKey = new Map<string, T>();
  const candidates: { key: string; label: string }[] = [];
  for (const row of rows) {
    for (const spelling of spellings(row)) {
      const key = nameKeyOf(spelling);
      const owner = byKey.get(key);
      if (owner !== undefined && owner !== row) {
        throw new Error(`"${spelling}" names both ${label(owner)} and ${label(row)}`);
      }
      byKey.set(key, row);
      candidates.push({ key, label: label(row) });
    }
  }
  return {
    exact: (query) => byKey.get(nameKeyOf(query)),
    suggest: (query, limit) => {
      const key = nameKeyOf(query);
      return closest(key, candidates, {
        limit,
        maxQueryChars: MAX_QUERY_CHARS,
        maxDistance: Math.max(2, Math.ceil((key.length * 2) / 3)),
      });
    },
  };
}
