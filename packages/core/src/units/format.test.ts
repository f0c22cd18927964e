import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_SIGNIFICANT_DIGITS, formatNumber, formatQuantity } from "./format.ts";

/** The significant digits a text shows: leading zeros and the zeros that pad a round number are not. */
function significantDigitsOf(text: string): number {
  const mantissa = text.replace(/,/g, "").replace(/^-/, "").split("e")[0] ?? "";
  return mantissa.replace(".", "").replace(/^0+/, "").replace(/0+$/, "").length;
}

describe("formatNumber", () => {
  it.each([
    [262_919, 3, "263,000"],
    [262_919, 6, "262,919"],
    [1_234_567.8, 4, "1,235,000"],
    [0.045_21, 3, "0.0452"],
    [1.5, 3, "1.5"],
    [999.96, 3, "1,000"],
    [-12_345, 2, "-12,000"],
    [1.234e-7, 3, "1.23e-7"],
    [2e20, 3, "2e+20"],
    [0, 3, "0"],
    [-0, 3, "0"],
    [Number.NaN, 3, "NaN"],
    [Number.POSITIVE_INFINITY, 3, "Infinity"],
  ])("formats %d to %d digits as %s", (value, digits, text) => {
    expect(formatNumber(value, digits)).toBe(text);
  });

  it("keeps its promise: at most N significant digits, within half a unit of the last one", () => {
    fc.assert(
      fc.property(
        fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e300, max: 1e300 }),
        fc.integer({ min: 1, max: 15 }),
        (value, digits) => {
          const text = formatNumber(value, digits);
          if (value === 0) return text === "0";
          expect(significantDigitsOf(text)).toBeLessThanOrEqual(digits);
          const shown = Number(text.replace(/,/g, ""));
          const lastDigit = 10 ** (Math.floor(Math.log10(Math.abs(value))) - digits + 1);
          // Half a unit, plus the few ulps by which the text read back as a double, and the
          // subtraction, can miss (at 15 digits an ulp is a few per cent of that half unit).
          const slack = Math.abs(value) * 4 * Number.EPSILON;
          expect(Math.abs(shown - value)).toBeLessThanOrEqual(lastDigit * 0.5 + slack);
          return true;
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("refuses a digit count it cannot honour", () => {
    expect(() => formatNumber(1, 0)).toThrow(RangeError);
    expect(() => formatNumber(1, 1.5)).toThrow(RangeError);
  });
});

describe("formatQuantity", () => {
  it("shows carbon in g, kg or t by size", () => {
    expect(formatQuantity({ value: 0.42, unit: "gCO2eq" })).toBe("0.42 gCO2eq");
    expect(formatQuantity({ value: 262_919, unit: "gCO2eq" })).toBe("263 kgCO2eq");
    expect(formatQuantity({ value: 3_400_000, unit: "gCO2eq" })).toBe("3.4 tCO2eq");
    expect(formatQuantity({ value: 12_345_678_901, unit: "gCO2eq" })).toBe("12,300 tCO2eq");
    expect(formatQuantity({ value: 2, unit: "kgCO2eq" })).toBe("2 kgCO2eq");
  });

  it("shows energy in Wh, kWh or MWh by size, from any energy unit", () => {
    expect(formatQuantity({ value: 0.45, unit: "kWh" })).toBe("450 Wh");
    expect(formatQuantity({ value: 3_600, unit: "J" })).toBe("1 Wh");
    expect(formatQuantity({ value: 0.999_96, unit: "kWh" })).toBe("1 kWh");
    expect(formatQuantity({ value: 685.4, unit: "kWh" })).toBe("685 kWh");
    expect(formatQuantity({ value: 12_000, unit: "kWh" })).toBe("12 MWh");
    expect(formatQuantity({ value: 0.000_2, unit: "Wh" })).toBe("0.0002 Wh");
  });

  it("shows power in W or kW and durations from ms to days, and keeps other units", () => {
    expect(formatQuantity({ value: 700, unit: "W" })).toBe("700 W");
    expect(formatQuantity({ value: 10_200, unit: "W" })).toBe("10.2 kW");
    expect(formatQuantity({ value: 259_200, unit: "s" })).toBe("3 d");
    expect(formatQuantity({ value: 0.12, unit: "s" })).toBe("120 ms");
    expect(formatQuantity({ value: 383.6, unit: "gCO2eq/kWh" })).toBe("384 gCO2eq/kWh");
  });

  it("passes the digit count through, and defaults to the documented one", () => {
    expect(DEFAULT_SIGNIFICANT_DIGITS).toBe(3);
    expect(formatQuantity({ value: 262_919, unit: "gCO2eq" }, 5)).toBe("262.92 kgCO2eq");
    expect(formatQuantity({ value: Number.NaN, unit: "W" })).toBe("NaN W");
  });
});
