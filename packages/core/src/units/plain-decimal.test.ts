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
    [0.999_999_999_999_999_4, 15, "0.999999999999999"], // the printed digits, not ICU's "1"
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
            // ICU first cuts a double that needs 16 or 17 digits to fewer, then rounds:
            // 0.9999999999999994 to 15 digits is "1" there and "0.999999999999999" from the
            // printed digits. The two agree wherever 15 digits hold the number.
            if (Number(value.toPrecision(15)) !== value) continue;
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
