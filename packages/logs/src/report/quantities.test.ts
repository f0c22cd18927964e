import { describe, expect, it } from "vitest";
import { formatGrams, formatKWh, formatSeconds, formatWatts } from "./quantities.ts";

describe("report quantities", () => {
  it("scale the unit with the value and keep three significant digits", () => {
    expect(formatKWh(0.000_412_3)).toBe("412 mWh");
    expect(formatKWh(0.045_67)).toBe("45.7 Wh");
    expect(formatKWh(1_234.5)).toBe("1.23 MWh");
    expect(formatGrams(262_919)).toBe("263 kg");
    expect(formatGrams(3_400_000_000)).toBe("3,400 t");
    expect(formatWatts(0.0123)).toBe("12.3 mW");
  });

  it("never show a tiny non-zero value as 0", () => {
    expect(formatKWh(1.5e-12)).toBe("1.5e-6 mWh");
    expect(formatGrams(2e-9)).toBe("2e-6 mg");
  });

  it("say zero and non-finite values as they are", () => {
    expect(formatKWh(0)).toBe("0 Wh");
    expect(formatGrams(Number.NaN)).toBe("NaN g");
  });

  it("write durations in h and min, or seconds", () => {
    expect(formatSeconds(3_725)).toBe("1 h 2 min");
    expect(formatSeconds(125)).toBe("2 min 5 s");
    expect(formatSeconds(4.567)).toBe("4.57 s");
  });
});
