import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { editDistance, nameKey } from "./normalize.ts";

describe("nameKey", () => {
  it("ignores accents, case, punctuation, spacing and a leading article", () => {
    expect(nameKey("Côte d'Ivoire")).toBe("cotedivoire");
    expect(nameKey("cote divoire")).toBe("cotedivoire");
    expect(nameKey("  The Netherlands ")).toBe("netherlands");
    expect(nameKey("Trinidad & Tobago")).toBe("trinidadandtobago");
    expect(nameKey("Hokkaidō")).toBe("hokkaido");
  });
});

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
