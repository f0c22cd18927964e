import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { plainDecimal } from "./plain-decimal.ts";

/** What it replaces: ICU's formatter, one per digit count. */
const icu = Array.from(
  { length: 22 },
  (_, digits) =>
    new Intl.NumberFormat("en-US", {
      maximumSignificantDigits: Math.max(1, digits),
      useGrouping: true,
    }),
);

describe("plainDecimal", () => {
  it.each([
    [1.005, 3, "1.01"], // half away from zero on the printed digits, as ICU
    [999.96, 3, "1,000"],
    [99_999, 2, "100,000"],
    [9.5, 1, "10"],
    [0.000_15, 1, "0.0002"],
    [262_919.4, 6, "262,919"],
    [-1_234_567.8, 4, "-1,235,000"],
    [0.1, 21, "0.1"],
    [123, 2, "120"],
  ])("writes %d to %d digits as %s", (value, digits, text) => {
    expect(plainDecimal(value, digits)).toBe(text);
  });

  it("writes what Intl.NumberFormat writes, for numbers of every size and digit count", () => {
    const magnitude = fc.double({ min: -4, max: 15, noNaN: true });
    fc.assert(
      fc.property(
        magnitude,
        fc.integer({ min: 1, max: 15 }),
        fc.boolean(),
        fc.integer({ min: 1, max: 6 }),
        (exponent, digits, negative, roundTo) => {
          const raw = 10 ** exponent * (negative ? -1 : 1);
          // Also numbers already round, and ties, where rounding rules differ.
          for (const value of [raw, Number(raw.toPrecision(roundTo)), tie(raw, roundTo)]) {
            expect(plainDecimal(value, digits)).toBe(icu[digits]?.format(value));
          }
        },
      ),
      { numRuns: 3000 },
    );
  });

  it("refuses numbers JavaScript prints with an exponent", () => {
    expect(() => plainDecimal(1e21, 3)).toThrow(RangeError);
    expect(() => plainDecimal(1e-7, 3)).toThrow(RangeError);
  });
});

/** A number whose digit after the `digits`-th is a 5 and nothing follows: a rounding tie. */
function tie(value: number, digits: number): number {
  return Number(`${value.toPrecision(digits)}5`.replace(/e.*$/, "") + exponentPart(value, digits));
}

function exponentPart(value: number, digits: number): string {
  const text = value.toPrecision(digits);
  const at = text.indexOf("e");
  return at < 0 ? "" : text.slice(at);
}
