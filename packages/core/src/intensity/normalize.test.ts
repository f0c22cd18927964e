import { describe, expect, it } from "vitest";
import { nameKey } from "./normalize.ts";

describe("nameKey", () => {
  it("ignores accents, case, punctuation, spacing and a leading article", () => {
    expect(nameKey("Côte d'Ivoire")).toBe("cotedivoire");
    expect(nameKey("cote divoire")).toBe("cotedivoire");
    expect(nameKey("  The Netherlands ")).toBe("netherlands");
    expect(nameKey("Trinidad & Tobago")).toBe("trinidadandtobago");
    expect(nameKey("Hokkaidō")).toBe("hokkaido");
  });
});
