import { describe, expect, it } from "vitest";
import { normaliseName, startsWithGeneration, tokenise } from "./normalise.ts";

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

describe("startsWithGeneration", () => {
  it("reads Intel's generation prefix as part of the name, in any case, and nothing else", () => {
    expect(startsWithGeneration("13th Gen Intel(R) Core(TM) i9-13900K")).toBe(true);
    expect(startsWithGeneration("12TH GENERATION Core i7")).toBe(true);
    expect(startsWithGeneration("1st gen Xeon")).toBe(true);
    expect(startsWithGeneration("3 H100")).toBe(false);
    expect(startsWithGeneration("13th Genoa")).toBe(false);
    expect(startsWithGeneration("Core i9 13th Gen")).toBe(false);
  });

  it("is the pattern the normalisation drops, so both read a name alike", () => {
    expect(normaliseName("13th Gen Intel(R) Core(TM) i9-13900K")).toBe("core i9 13900k");
    expect(normaliseName("Core i9 13th Gen")).toBe("core i9");
  });
});
