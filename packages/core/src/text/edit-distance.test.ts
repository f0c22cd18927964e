import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { editDistance, editDistanceWithin } from "./edit-distance.ts";

describe("editDistance", () => {
  it("counts an adjacent transposition as one edit", () => {
    expect(editDistance("spian", "spain")).toBe(1);
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(editDistance("", "abc")).toBe(3);
  });

  it("is zero only for equal strings, symmetric, and at most the longer length", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 }), (a, b) => {
        const d = editDistance(a, b);
        expect(d).toBe(editDistance(b, a));
        expect(d === 0).toBe(a === b);
        expect(d).toBeLessThanOrEqual(Math.max(a.length, b.length));
      }),
    );
  });
});

describe("editDistanceWithin", () => {
  it("is the distance when that is at most max, and above max otherwise", () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 20, unit: fc.constantFrom("a", "b", "c", "d") }),
        fc.string({ maxLength: 20, unit: fc.constantFrom("a", "b", "c", "d") }),
        fc.nat(22),
        (a, b, max) => {
          const exact = editDistance(a, b);
          const bounded = editDistanceWithin(a, b, max);
          if (exact <= max) expect(bounded).toBe(exact);
          else expect(bounded).toBeGreaterThan(max);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it("matches a plain dynamic-programming table on longer strings (the rows are reused)", () => {
    const reference = (a: string, b: string): number => {
      const d = Array.from({ length: a.length + 1 }, (_, i) =>
        Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
      );
      const at = (i: number, j: number) => d[i]?.[j] ?? 0;
      for (let i = 1; i <= a.length; i++) {
        for (let j = 1; j <= b.length; j++) {
          let best = Math.min(
            at(i - 1, j) + 1,
            at(i, j - 1) + 1,
            at(i - 1, j - 1) + (a[i - 1] === b[j - 1] ? 0 : 1),
          );
          if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
            best = Math.min(best, at(i - 2, j - 2) + 1);
          (d[i] as number[])[j] = best;
        }
      }
      return at(a.length, b.length);
    };
    fc.assert(
      fc.property(fc.string({ maxLength: 90 }), fc.string({ maxLength: 90 }), (a, b) => {
        expect(editDistance(a, b)).toBe(reference(a, b));
      }),
      { numRuns: 500 },
    );
  });
});
