import { describe, expect, it } from "vitest";
import { parseDecimal, parseDuration, parseEnergy, parsePower } from "./parse.ts";
import { convertDuration } from "./quantity.ts";

describe("parseDecimal", () => {
  it.each([
    ["12", 12],
    ["-3", -3],
    ["+4", 4],
    ["1.5", 1.5],
    [".5", 0.5],
    ["5.", 5],
    ["1e3", 1000],
    ["2.5E-4", 0.00025],
    ["1e+2", 100],
    [" 7 ", 7],
    ["1e308", 1e308],
    ["-0", 0],
  ])("reads %j as %d", (input, expected) => {
    const result = parseDecimal(input);
    expect(result).toEqual({ ok: true, value: expected });
    // -0 is folded into 0: it compares equal but prints and divides differently.
    if (result.ok) expect(Object.is(result.value, -0)).toBe(false);
  });

  it.each([
    "",
    "   ",
    "0x10",
    "0X1f",
    "0b11",
    "0o7",
    "1 000",
    "Infinity",
    "-Infinity",
    "NaN",
    "1_000",
    "1,5",
    "1e",
    "e3",
    "1e3.5",
    ".",
    "--1",
    "12abc",
  ])("refuses %j as not a number, saying what it expected", (input) => {
    const result = parseDecimal(input);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.kind).toBe("not-a-number");
      expect(result.error.message).toMatch(/expected e\.g\. 12, 1\.5 or 2e3|expected a number/);
    }
  });

  it("calls an empty value empty rather than quoting nothing", () => {
    const result = parseDecimal("");
    expect(!result.ok && result.error.message).toMatch(/^empty value/);
  });

  it.each(["1e309", "-1e400", "9".repeat(400)])(
    "refuses %j as out of range instead of reading Infinity",
    (input) => {
      const result = parseDecimal(input);
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.error.kind).toBe("out-of-range");
        expect(result.error.message).toMatch(/out of range .*1\.8e308/);
      }
    },
  );

  it.each(["1e-400", "-2.5e-330", `0.${"0".repeat(400)}1`])(
    "refuses %j, which a double holds only as 0, instead of reading 0",
    (input) => {
      const result = parseDecimal(input);
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.error.kind).toBe("out-of-range");
        expect(result.error.message).toMatch(/smallest number above 0 is about 4\.9e-324/);
      }
    },
  );

  it.each([
    ["0e-400", 0],
    ["0.000", 0],
    ["1e-320", 1e-320],
  ])("still reads %j (a zero, or a number a double holds) as %d", (input, expected) => {
    expect(parseDecimal(input)).toEqual({ ok: true, value: expected });
  });
});

describe("parseDuration", () => {
  it.each([
    ["3h", { value: 3, unit: "h" }],
    ["90min", { value: 90, unit: "min" }],
    ["120ms", { value: 120, unit: "ms" }],
    ["1.5 s", { value: 1.5, unit: "s" }],
    ["2 hours", { value: 2, unit: "h" }],
    ["45m", { value: 45, unit: "min" }],
    ["1e3s", { value: 1000, unit: "s" }],
    ["2.5E2 ms", { value: 250, unit: "ms" }],
    ["1e300h", { value: 1e300, unit: "h" }],
    ["3d", { value: 3, unit: "d" }],
    ["2 days", { value: 2, unit: "d" }],
    ["1w", { value: 1, unit: "wk" }],
    ["3 weeks", { value: 3, unit: "wk" }],
  ])("reads %s", (input, expected) => {
    expect(parseDuration(input)).toEqual({ ok: true, value: expected });
  });

  it("adds compound forms in seconds", () => {
    expect(parseDuration("1h30m")).toEqual({ ok: true, value: { value: 5_400, unit: "s" } });
    expect(parseDuration("2h 15min 10s")).toEqual({ ok: true, value: { value: 8_110, unit: "s" } });
    expect(parseDuration("1e1min 1e1s")).toEqual({ ok: true, value: { value: 610, unit: "s" } });
    expect(parseDuration("2d12h")).toEqual({ ok: true, value: { value: 216_000, unit: "s" } });
    expect(parseDuration("1w 1d")).toEqual({ ok: true, value: { value: 691_200, unit: "s" } });
  });

  it("counts a day as 24 h and a week as 7 days", () => {
    const day = parseDuration("3d");
    expect(day.ok && convertDuration(day.value, "h").value).toBe(72);
    const week = parseDuration("1w");
    expect(week.ok && convertDuration(week.value, "d").value).toBe(7);
  });

  it.each([
    "",
    "3",
    "three hours",
    "3 parsecs",
    "2 months",
    "3dd",
    "-2h",
    "1h-",
    "h",
    "0x10h",
    "Infinityh",
    "1e3",
  ])("rejects %j", (input) => {
    const result = parseDuration(input);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.kind).toBe("unparsable-quantity");
      expect(result.error.message.length).toBeGreaterThan(10);
    }
  });

  it("names the part without a unit, exponent included", () => {
    const bare = parseDuration("1e3");
    expect(!bare.ok && bare.error.message).toBe(
      '"1e3" has no time unit; use ms, s, min, h, d or w',
    );
    const hex = parseDuration("0x10h");
    expect(!hex.ok && hex.error.message).toMatch(/"x" in "0x10h" is not a time unit/);
  });

  it.each(["1e305h", "1e400s", "4e304h 1.5e308s"])(
    "refuses %j, whose length in seconds overflows, as out of range",
    (input) => {
      const result = parseDuration(input);
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.error.kind).toBe("quantity-out-of-range");
        expect(result.error.message).toMatch(/out of range \(at most about 1\.8e308 seconds\)/);
      }
    },
  );
});

describe("parseDuration and the capital M", () => {
  it.each(["1M", "2 M", "1h 30M"])("refuses %j: M is the month symbol, not minutes", (input) => {
    const result = parseDuration(input);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error.message).toMatch(
      /"M" in ".*" is not minutes \(m or min\); months and years are refused, give hours or days/,
    );
  });

  it.each(["1m", "1min", "1MIN", "1Min", "1h30m"])("still reads %j as minutes", (input) => {
    const result = parseDuration(input);
    expect(result.ok).toBe(true);
  });
});

describe("parseDuration refuses slips that used to be summed or zeroed", () => {
  it.each([
    ["1h 1h", /"1h" and "1h" in "1h 1h" name the same unit twice/],
    ["1h 1hr", /"1h" and "1hr" in "1h 1hr" name the same unit twice/],
    ["30m1h", /"1h" comes after "30m" in "30m1h"; write the larger unit first/],
    ["10s 2d", /"2d" comes after "10s"/],
  ])("refuses %j, a repeated or out-of-order unit", (input, message) => {
    const result = parseDuration(input);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.kind).toBe("unparsable-quantity");
      expect(result.error.message).toMatch(message);
    }
  });

  it.each(["0h", "0h0m", "0.0e5s", "00 ms"])("refuses %j, a zero duration", (input) => {
    const result = parseDuration(input);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.kind).toBe("unparsable-quantity");
      expect(result.error.message).toMatch(/is zero; an estimate needs a duration above zero/);
    }
  });

  it.each([
    ["1e-400h", 'duration "1e-400h" is too small to represent (it rounds to 0 h)'],
    ["1h 1e-400s", '"1e-400s" in "1h 1e-400s" is too small to represent (it rounds to 0 s)'],
    ["1e-323ms", 'duration "1e-323ms" is too small to represent (it rounds to 0 seconds)'],
  ])("refuses %j, which underflows to zero, as out of range", (input, message) => {
    const result = parseDuration(input);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.kind).toBe("quantity-out-of-range");
      expect(result.error.message).toBe(message);
    }
  });

  it("still reads a zero part beside a nonzero one, largest unit first", () => {
    expect(parseDuration("0h30m")).toEqual({ ok: true, value: { value: 1_800, unit: "s" } });
    expect(parseDuration("1d 1h 1min 1s 1ms")).toEqual({
      ok: true,
      value: { value: 90_061.001, unit: "s" },
    });
  });
});

describe("parsePower and parseEnergy", () => {
  it("reads units whose case carries no prefix in any case", () => {
    expect(parsePower("300W")).toEqual({ ok: true, value: { value: 300, unit: "W" } });
    expect(parsePower("300 w")).toEqual({ ok: true, value: { value: 300, unit: "W" } });
    expect(parsePower("0.3 kw")).toEqual({ ok: true, value: { value: 0.3, unit: "kW" } });
    expect(parsePower("3KW")).toEqual({ ok: true, value: { value: 3, unit: "kW" } });
    expect(parseEnergy("1.5kWh")).toEqual({ ok: true, value: { value: 1.5, unit: "kWh" } });
    expect(parseEnergy("1.5KWH")).toEqual({ ok: true, value: { value: 1.5, unit: "kWh" } });
    expect(parseEnergy("200 wh")).toEqual({ ok: true, value: { value: 200, unit: "Wh" } });
    expect(parseEnergy("3600j")).toEqual({ ok: true, value: { value: 3600, unit: "J" } });
  });

  it("reads m as milli and M as mega, 10^9 apart, as SI writes them", () => {
    expect(parsePower("5mW")).toEqual({ ok: true, value: { value: 5, unit: "mW" } });
    // The power type stops at kW: a megawatt is 1000 kW, not 5 milliwatts.
    expect(parsePower("5MW")).toEqual({ ok: true, value: { value: 5_000, unit: "kW" } });
    expect(parseEnergy("2MWh")).toEqual({ ok: true, value: { value: 2, unit: "MWh" } });
    // The energy type starts at Wh: a milliwatt-hour is 0.001 Wh, not a megawatt-hour.
    expect(parseEnergy("1mWh")).toEqual({ ok: true, value: { value: 0.001, unit: "Wh" } });
  });

  it.each([
    ["5mw", "power"],
    ["5Mw", "power"],
    ["1mwh", "energy"],
    ["1MWH", "energy"],
    ["1Mwh", "energy"],
    ["1mWH", "energy"],
  ] as const)("refuses %j, which reads as milli or mega by case, naming both", (input, what) => {
    const result = what === "power" ? parsePower(input) : parseEnergy(input);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.kind).toBe("unparsable-quantity");
      expect(result.error.message).toMatch(
        what === "power"
          ? /could be mW \(milliwatts\) or MW \(megawatts\); write one of those exactly/
          : /could be mWh \(milliwatt-hours\) or MWh \(megawatt-hours\); write one of those exactly/,
      );
    }
  });

  it("refuses a megawatt too large for kW as out of range", () => {
    const result = parsePower("1e306MW");
    expect(!result.ok && result.error.kind).toBe("quantity-out-of-range");
  });

  it("reads exponents and refuses hex", () => {
    expect(parsePower("1.5e3W")).toEqual({ ok: true, value: { value: 1500, unit: "W" } });
    expect(parseEnergy("2E-1 kWh")).toEqual({ ok: true, value: { value: 0.2, unit: "kWh" } });
    expect(parsePower("0x10W").ok).toBe(false);
  });

  it("names what is wrong", () => {
    const noUnit = parsePower("300");
    expect(noUnit.ok).toBe(false);
    if (!noUnit.ok) expect(noUnit.error.message).toMatch(/needs a power unit/);
    const negative = parseEnergy("-1kWh");
    expect(negative.ok).toBe(false);
    if (!negative.ok) expect(negative.error.message).toMatch(/negative/);
    expect(parsePower("lots").ok).toBe(false);
    const huge = parsePower("1e400W");
    expect(huge.ok).toBe(false);
    if (!huge.ok) {
      expect(huge.error.kind).toBe("quantity-out-of-range");
      expect(huge.error.message).toBe('power "1e400W" is out of range (at most about 1.8e308)');
    }
  });
});
