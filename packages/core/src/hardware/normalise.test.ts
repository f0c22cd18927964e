import { describe, expect, it } from "vitest";
import { normaliseName, tokenise } from "./normalise.ts";

describe("tokenise", () => {
  it("keeps each model word once, in the order first written", () => {
    expect(tokenise("A100 a100 X A100 x y").model).toEqual(["a100", "x", "y"]);
  });

  it("keeps the first of two variants and records the clash with both readings", () => {
    const tokens = tokenise("A100 SXM4 40GB PCIe");
    expect(tokens).toMatchObject({ model: ["a100"], formFactor: "sxm", memoryGB: 40 });
    expect(tokens.conflict).toEqual({
      what: "form factor",
      written: ["sxm4", "pcie"],
      readings: [
        { model: ["a100"], formFactor: "sxm", memoryGB: 40 },
        { model: ["a100"], formFactor: "pcie", memoryGB: 40 },
      ],
    });
    expect(tokenise("A100 SXM4 SXM").conflict).toBeUndefined();
  });
});

describe("normaliseName", () => {
  it("folds compatibility characters (NFKC) and drops the trade mark sign as a mark", () => {
    expect(normaliseName("\uff2e\uff36\uff29\uff24\uff29\uff21 \uff21\uff11\uff10\uff10")).toBe(
      "a100",
    );
    expect(normaliseName("Intel Core\u2122 i7-12700K")).toBe("core i7 12700k");
  });
});
