import { compareNames } from "./compare-names.ts";
import { editDistanceWithin } from "./edit-distance.ts";

/** Something a person may have meant: `key` is compared, `label` is shown. */
export interface Candidate {
  readonly key: string;
  readonly label: string;
}

export interface ClosestOptions {
  /** How many labels at most. */
  readonly limit: number;
  /** A longer query key gets no suggestions: it is no typo of a name, and bounds the work. */
  readonly maxQueryChars: number;
  /** Candidates further than this many edits are never suggested. Default: no bound. */
  readonly maxDistance?: number;
}

/**
 * The one fuzzy-suggestion rule of the workspace (zones, countries, hardware): candidates
 * whose key contains the query key (3 characters or more) rank first, then by
 * optimal-string-alignment distance, ties by label; each label once, at its best score. The
 * best `limit` so far are kept in order and a candidate's distance is only computed up to the
 * worst of them, so an unknown query costs at most maxQueryChars x key length table cells per
 * candidate, whatever its size.
 */
export function closest(
  key: string,
  candidates: Iterable<Candidate>,
  options: ClosestOptions,
): string[] {
  const { limit, maxQueryChars, maxDistance = Number.POSITIVE_INFINITY } = options;
  if (key.length > maxQueryChars || limit < 1) return [];
  const top: Scored[] = [];
  for (const candidate of candidates) {
    const worst = top.length === limit ? (top[limit - 1]?.score ?? 0) : Number.POSITIVE_INFINITY;
    const bound = Math.min(worst, maxDistance);
    const contains = key.length >= 3 && candidate.key.includes(key);
    const score = contains ? 0.5 : editDistanceWithin(key, candidate.key, bound);
    if (score > bound) continue;
    offer(top, candidate.label, score, limit);
  }
  return top.map((entry) => entry.label);
}

interface Scored {
  readonly label: string;
  readonly score: number;
}

/**
 * Ties go by `compareNames`, the same on every machine: `localeCompare` followed the user's
 * locale, so two machines could suggest the same names in different orders.
 */
const ranksBefore = (a: Scored, b: Scored): boolean =>
  a.score < b.score || (a.score === b.score && compareNames(a.label, b.label) < 0);

/** Keeps `top` the best `limit` distinct labels, each at its lowest score, in rank order. */
function offer(top: Scored[], label: string, score: number, limit: number): void {
  const entry = { label, score };
  const at = top.findIndex((kept) => kept.label === label);
  if (at >= 0) {
    if (score >= (top[at]?.score ?? 0)) return;
    top.splice(at, 1);
  } else if (top.length === limit) {
    const worst = top[limit - 1];
    if (worst !== undefined && !ranksBefore(entry, worst)) return;
    top.pop();
  }
  let index = top.length;
  while (index > 0 && ranksBefore(entry, top[index - 1] as Scored)) index--;
  top.splice(index, 0, entry);
}
