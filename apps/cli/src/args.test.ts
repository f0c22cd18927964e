import { describe, expect, it } from "vitest";
import {
  boundMessage,
  MAX_MESSAGE_CHARS,
  MAX_QUOTED_CHARS,
  parseNumberFlag,
  quoted,
  stripUnit,
} from "./args.ts";

describe("stripUnit", () => {
  it.each([
    ["10W", "10"],
    [" 10 w ", "10"],
    ["64GB", "64"],
    ["64 gb", "64"],
    ["10", "10"],
    ["W", ""],
  ])("reads %j as %j", (raw, expected) => {
    expect(stripUnit(raw, raw.toLowerCase().includes("gb") ? "GB" : "W")).toBe(expected);
  });

  it("strips one unit only, and leaves a long blank run for the number rule to refuse", () => {
    expect(stripUnit("10WW", "W")).toBe("10W");
    const long = `1${" ".repeat(100_000)}x`;
    expect(stripUnit(long, "W")).toBe(long);
  });
});

describe("quoted values in errors", () => {
  it("quotes a short value whole and a long one by its start and length", () => {
    expect(quoted("abc")).toBe('"abc"');
    const long = quoted("y".repeat(100_000));
    expect(long.length).toBe(MAX_QUOTED_CHARS + 2);
    expect(long.endsWith('... (100000 characters)"')).toBe(true);
  });

  it("parseNumberFlag quotes a long refused value in part, a short one whole", () => {
    expect(() => parseNumberFlag("estimate", "watts", "abc")).toThrow(
      'estimate: --watts expects a number, got "abc"',
    );
    let message = "";
    try {
      parseNumberFlag("estimate", "watts", `1${" ".repeat(100_000)}x`, { min: 0 });
    } catch (error) {
      message = error instanceof Error ? error.message : "";
    }
    expect(message).toMatch(
      /^estimate: --watts expects a number >= 0, got "1 +\.\.\. \(100002 characters\)"$/,
    );
    expect(message.length).toBeLessThan(200);
  });
});

describe("boundMessage", () => {
  it("cuts each long quoted span, keeps short ones and the words around them", () => {
    const long = "z".repeat(100_000);
    expect(boundMessage(`--pue: PUE "${long}" is neither a number nor "aws"`)).toBe(
      `--pue: PUE ${quoted(long)} is neither a number nor "aws"`,
    );
    expect(boundMessage('say "hi" and "bye"')).toBe('say "hi" and "bye"');
    expect(boundMessage('an open " quote stays')).toBe('an open " quote stays');
  });

  it("caps the whole message, whatever its quotes", () => {
    const odd = `got "a"${"b".repeat(100_000)}"c"`;
    expect(boundMessage(odd).length).toBe(MAX_MESSAGE_CHARS);
  });
});
