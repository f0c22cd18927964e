import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compareNames } from "../text/compare-names.ts";
import { editDistance } from "../text/edit-distance.ts";
import { catalog, closestLabels, MAX_SUGGESTION_QUERY_CHARS } from "./catalog.ts";
import { nameKey } from "./normalize.ts";

/** The ranking closestLabels prunes: every candidate scored in full, sorted, cut. */
function exhaustive(query: string, limit = 5): string[] {
  const key = nameKey(query);
  const best = new Map<string, number>();
  for (const candidate of catalog().candidates) {
    if (candidate.isCode && key.length > 3) continue;
    const score =
      key.length >= 3 && candidate.key.includes(key) ? 0.5 : editDistance(key, candidate.key);
    const previous = best.get(candidate.label);
    if (previous === undefined || score < previous) best.set(candidate.label, score);
  }
  return [...best]
    .sort(([la, a], [lb, b]) => a - b || compareNames(la, lb))
    .slice(0, limit)
    .map(([label]) => label);
}

describe("closestLabels", () => {
  it("ranks as a full scoring of every candidate would", () => {
    for (const query of ["Spian", "Frnace", "germny", "US-CAL-CISX", "Atlantis", "cal", "ab"]) {
      expect(closestLabels(query)).toEqual(exhaustive(query));
    }
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 24, unit: fc.constantFrom(..."aeinorstlu- ") }),
        fc.integer({ min: 1, max: 8 }),
        (query, limit) => {
          expect(closestLabels(query, limit)).toEqual(exhaustive(query, limit));
        },
      ),
      { numRuns: 60 },
    );
  });

  it("suggests nothing for a name key longer than MAX_SUGGESTION_QUERY_CHARS", () => {
    const longest = Math.max(...catalog().candidates.map((c) => c.key.length));
    expect(longest).toBeLessThan(MAX_SUGGESTION_QUERY_CHARS);
    const atLimit = "spain".repeat(13).slice(0, MAX_SUGGESTION_QUERY_CHARS);
    expect(closestLabels(atLimit)).toEqual(exhaustive(atLimit));
    expect(closestLabels(atLimit).length).toBe(5);
    expect(closestLabels(`${atLimit}s`)).toEqual([]);
    expect(closestLabels("x".repeat(100_000))).toEqual([]);
  });
});
