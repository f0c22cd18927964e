import { describe, expect, it } from "vitest";
import { didYouMean, suggestionSuffix, unknownFlagMessage } from "./did-you-mean.ts";
import { parseFlags } from "./option-values.ts";
import { UsageError } from "./usage-error.ts";

const FLAGS = {
  watts: { type: "string" },
  hardware: { type: "string" },
  duration: { type: "string" },
  json: { type: "boolean" },
} as const;

function messageOf(argv: string[]): string {
  try {
    parseFlags(argv, FLAGS);
  } catch (error) {
    if (error instanceof UsageError) return error.message;
    throw error;
  }
  throw new Error(`${argv.join(" ")} was accepted`);
}

describe("did-you-mean for flags", () => {
  it("names the flag a typo was meant as", () => {
    expect(messageOf(["--wats", "3"])).toBe("Unknown option '--wats'; did you mean --watts?");
    expect(messageOf(["--hardwre", "a100"])).toBe(
      "Unknown option '--hardwre'; did you mean --hardware?",
    );
    expect(messageOf(["--jsno"])).toBe("Unknown option '--jsno'; did you mean --json?");
  });

  it("suggests nothing for a word far from every flag, or a short flag", () => {
    expect(messageOf(["--colour", "red"])).toBe("Unknown option '--colour'");
    expect(messageOf(["-z"])).toMatch(/^Unknown option '-z'$/);
  });

  it("leaves other parse errors as they are", () => {
    expect(unknownFlagMessage("Option '--watts <value>' argument missing", ["watts"])).toBe(
      "Option '--watts <value>' argument missing",
    );
  });
});

describe("didYouMean", () => {
  it("ranks by the core's one rule and keeps at most three", () => {
    expect(didYouMean("estimat", ["estimate", "zones", "hardware"])).toEqual(["estimate"]);
    expect(didYouMean("zone", ["zones", "hardware", "bus"])).toEqual(["zones"]);
    expect(didYouMean("xyzzy", ["estimate", "zones", "hardware"])).toEqual([]);
    expect(didYouMean("a", ["ab", "ac", "ad", "ae"])).toHaveLength(3);
  });

  it("words one, two or three suggestions", () => {
    expect(suggestionSuffix([])).toBe("");
    expect(suggestionSuffix(["--a"])).toBe("; did you mean --a?");
    expect(suggestionSuffix(["--a", "--b", "--c"])).toBe("; did you mean --a, --b or --c?");
  });
});
