import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { classifyLogFileName, runStem } from "./file-names.ts";
import { fixedDecimal, parseNumberToken, roundHalfEven } from "./numbers.ts";
import { formatEpochDuration, formatHms, parseClock } from "./time.ts";
import { fileTimestamp, lineTimestamp } from "./timestamps.ts";

describe("numbers", () => {
  it("reads what Python's float() reads from a log, and nothing else", () => {
    expect(parseNumberToken("240.0")).toBe(240);
    expect(parseNumberToken("1.2e-05")).toBe(1.2e-5);
    expect(parseNumberToken("-3")).toBe(-3);
    expect(parseNumberToken(".5")).toBe(0.5);
    expect(parseNumberToken("nan")).toBeNaN();
    expect(parseNumberToken("inf")).toBe(Number.POSITIVE_INFINITY);
    for (const bad of ["", "1,5", "0x10", "1e", "12abc", " "])
      expect(parseNumberToken(bad)).toBeUndefined();
  });

  it("prints fixed decimals past toFixed's exponent threshold", () => {
    expect(fixedDecimal(0.000445615999, 12)).toBe("0.000445615999");
    expect(fixedDecimal(2e21, 2)).toBe("2000000000000000000000.00");
    expect(fixedDecimal(2e21, 0)).toBe("2000000000000000000000");
  });

  it("rounds exact ties to even, as Python's round()", () => {
    expect([0.5, 1.5, 2.5, 3.5, 2.4999, 2.5001].map(roundHalfEven)).toEqual([0, 2, 2, 4, 2, 3]);
  });
});

describe("times", () => {
  it("formats carbontracker's two clocks", () => {
    expect(formatHms(4.4)).toBe("0:00:04");
    expect(formatHms(2.5)).toBe("0:00:02");
    expect(formatHms(59.6)).toBe("0:01:00");
    expect(formatHms(100 * 3600 + 61)).toBe("100:01:01");
    expect(formatHms(-5)).toBe("-0:00:05");
    expect(formatEpochDuration(0.3)).toBe("0:00:00.30");
    expect(formatEpochDuration(2.01)).toBe("0:00:02.01");
    expect(formatEpochDuration(3599.999)).toBe("1:00:00.00");
  });

  it("reads back what it formats", () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1e7, noNaN: true }), (s) => {
        expect(parseClock(formatEpochDuration(s))).toBeCloseTo(s, 2);
        expect(Math.abs((parseClock(formatHms(s)) ?? Number.NaN) - s)).toBeLessThanOrEqual(0.5);
      }),
    );
    expect(parseClock("1:2:3")).toBeUndefined();
    expect(parseClock("0:00:04")).toBe(4);
  });

  it("stamps lines and files in UTC", () => {
    const at = new Date("2026-11-28T22:21:57.900Z");
    expect(lineTimestamp(at)).toBe("2026-11-28 22:21:57");
    expect(fileTimestamp(at)).toBe("2026-11-28T222157Z");
  });
});

describe("file names", () => {
  it("classifies only names that end in a log suffix, by stem", () => {
    expect(classifyLogFileName("11011.581260_2026-11-28T222157Z_carbontracker.log")).toEqual({
      stem: "11011.581260_2026-11-28T222157Z",
      kind: "standard",
    });
    expect(classifyLogFileName("bert_1.2_2026-01-01T000000Z_carbontracker_output.log")).toEqual({
      stem: "bert_1.2_2026-01-01T000000Z",
      kind: "output",
    });
    expect(classifyLogFileName("x_carbontracker_err.log")?.kind).toBe("error");
    for (const name of [
      "x_carbontracker.log.bak",
      "x_carbontrackerXlog",
      "carbontracker.log",
      "x_carbontracker_output.logs",
      "x_carbontracker_output.Log",
    ]) {
      expect(classifyLogFileName(name), name).toBeUndefined();
    }
    expect(runStem("", 7, 99, "2026-01-01T000000Z")).toBe("7.99_2026-01-01T000000Z");
    expect(runStem("exp", 7, 99, "2026-01-01T000000Z")).toBe("exp_7.99_2026-01-01T000000Z");
  });
});
