import { describe, expect, it } from "vitest";
import {
  describeNumberRule,
  MAX_QUOTED_VALUE_CHARS,
  optionText,
  parseFlags,
  parseNumberOption,
  quotedValue,
} from "./option-values.ts";
import { UsageError } from "./usage-error.ts";

const FLAGS = {
  model: { type: "string" },
  domain: { type: "string", short: "d" },
  watts: { type: "string", multiple: true },
  json: { type: "boolean" },
} as const;

function usageErrorOf(run: () => unknown): UsageError {
  try {
    run();
  } catch (error) {
    if (error instanceof UsageError) return error;
    throw error;
  }
  throw new Error("expected a UsageError");
}

describe("parseFlags", () => {
  it("returns values and positionals", () => {
    const parsed = parseFlags(
      ["--model", "bert", "--watts", "3", "--watts=4", "--json", "x"],
      FLAGS,
    );
    expect(parsed.values).toEqual({ model: "bert", watts: ["3", "4"], json: true });
    expect(parsed.positionals).toEqual(["x"]);
  });

  it.each([
    [["--colour", "red"], "Unknown option '--colour'"],
    [["--model"], "Option '--model <value>' argument missing"],
    [["--model", ""], '--model expects a value, got ""'],
    [["--model="], '--model expects a value, got ""'],
    [["--model", "  "], '--model expects a value, got ""'],
    [["--watts", "3", "--watts", ""], '--watts expects a value, got ""'],
    [["--watts", "-5"], '--watts takes a value, and "-5" looks like an option: write --watts=-5'],
    [["-d", "-1"], '-d takes a value, and "-1" looks like an option: write --domain=-1'],
    [["--model", "--json"], "--model expects a value before --json"],
    [
      ["--watts", "3", "--watts", "-6"],
      '--watts takes a value, and "-6" looks like an option: write --watts=-6',
    ],
  ])("refuses %j in one line: %s", (argv, message) => {
    const error = usageErrorOf(() => parseFlags(argv, FLAGS));
    expect(error.message).toMatch(new RegExp(`^${message.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`));
    expect(error.message).not.toContain("\n");
  });
});

describe("optionText", () => {
  const env = { SUSTAINML_DOMAIN_ID: "7", EMPTY: "" };

  it("takes the flag first, then the variable, and says which", () => {
    expect(optionText("domain", "3", env, "SUSTAINML_DOMAIN_ID")).toEqual({
      name: "--domain",
      text: "3",
    });
    expect(optionText("domain", undefined, env, "SUSTAINML_DOMAIN_ID")).toEqual({
      name: "SUSTAINML_DOMAIN_ID",
      text: "7",
    });
    expect(optionText("domain", undefined, env, "UNSET")).toBeUndefined();
    expect(optionText("domain", undefined, env)).toBeUndefined();
  });

  it("hands an empty variable on to be refused, rather than treating it as unset", () => {
    expect(optionText("domain", undefined, env, "EMPTY")).toEqual({ name: "EMPTY", text: "" });
  });
});

describe("parseNumberOption", () => {
  const domain = { integer: true, min: 0, max: 232 };
  const at = (text: string) => ({ name: "--domain", text });

  it("reads decimals with an exponent", () => {
    expect(parseNumberOption(at("12"), domain)).toBe(12);
    expect(parseNumberOption(at("1e2"), domain)).toBe(100);
    expect(parseNumberOption(at(" 2.32E2 "), domain)).toBe(232);
    expect(parseNumberOption(at("1.5"), {})).toBe(1.5);
  });

  it.each([
    ["0x10", ""],
    ["0b1", ""],
    ["0o7", ""],
    ["Infinity", ""],
    ["NaN", ""],
    ["", ""],
    ["1.5", ""],
    ["-1", ""],
    ["233", ""],
    ["1e400", " (out of range)"],
  ])("refuses %j naming the setting, the value and what is allowed", (text, why) => {
    expect(() => parseNumberOption(at(text), domain)).toThrow(
      new UsageError(`--domain expects an integer 0..232, got "${text}"${why}`),
    );
  });

  it("quotes a long refused value by its start and length", () => {
    const text = `1${" ".repeat(100_000)}x`;
    expect(() => parseNumberOption(at(text), domain)).toThrow(
      new UsageError(`--domain expects an integer 0..232, got ${quotedValue(text)}`),
    );
    expect(quotedValue(text)).toHaveLength(MAX_QUOTED_VALUE_CHARS + 2);
    expect(quotedValue(text)).toMatch(/^"1 +\.\.\. \(100002 characters\)"$/);
  });

  it("names an environment variable when the text came from one", () => {
    expect(() =>
      parseNumberOption(
        { name: "SUSTAINML_GRID_CI", text: "lots" },
        { min: 0, unit: "gCO2eq/kWh" },
      ),
    ).toThrow('SUSTAINML_GRID_CI expects a number >= 0 (gCO2eq/kWh), got "lots"');
  });

  it("honours an exclusive lower bound", () => {
    expect(() => parseNumberOption(at("0"), { above: 0, unit: "seconds" })).toThrow(
      'expects a number > 0 (seconds), got "0"',
    );
    expect(parseNumberOption(at("0.001"), { above: 0 })).toBe(0.001);
  });

  it("describes every kind of rule", () => {
    expect(describeNumberRule({})).toBe("a number");
    expect(describeNumberRule({ integer: true, min: 1 })).toBe("an integer >= 1");
    expect(describeNumberRule({ min: 0, max: 1 })).toBe("a number 0..1");
    expect(describeNumberRule({ above: 0, max: 86_400, unit: "s" })).toBe(
      "a number > 0 and <= 86400 (s)",
    );
    expect(describeNumberRule({ max: 5 })).toBe("a number <= 5");
  });
});
