import { describe, expect, it } from "vitest";
import { parseDuration, parseEnergy, parsePower } from "./parse.ts";

describe("parseDuration", () => {
  it.each([
    ["3h", { value: 3, unit: "h" }],
    ["90min", { value: 90, unit: "min" }],
    ["120ms", { value: 120, unit: "ms" }],
    ["1.5 s", { value: 1.5, unit: "s" }],
    ["2 hours", { value: 2, unit: "h" }],
    ["45m", { value: 45, unit: "min" }],
  ])("reads %s", (input, expected) => {
    expect(parseDuration(input)).toEqual({ ok: true, value: expected });
  });

  it("adds compound forms in seconds", () => {
    expect(parseDuration("1h30m")).toEqual({ ok: true, value: { value: 5_400, unit: "s" } });
    expect(parseDuration("2h 15min 10s")).toEqual({ ok: true, value: { value: 8_110, unit: "s" } });
  });

  it.each(["", "3", "three hours", "3 parsecs", "-2h", "1h-", "h"])("rejects %j", (input) => {
    const result = parseDuration(input);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.kind).toBe("unparsable-quantity");
      expect(result.error.message.length).toBeGreaterThan(10);
    }
  });
});

describe("parsePower and parseEnergy", () => {
  it("reads units case-insensitively", () => {
    expect(parsePower("300W")).toEqual({ ok: true, value: { value: 300, unit: "W" } });
    expect(parsePower("0.3 kw")).toEqual({ ok: true, value: { value: 0.3, unit: "kW" } });
    expect(parseEnergy("1.5kWh")).toEqual({ ok: true, value: { value: 1.5, unit: "kWh" } });
    expect(parseEnergy("200 wh")).toEqual({ ok: true, value: { value: 200, unit: "Wh" } });
  });

  it("names what is wrong", () => {
    const noUnit = parsePower("300");
    expect(noUnit.ok).toBe(false);
    if (!noUnit.ok) expect(noUnit.error.message).toMatch(/needs a power unit/);
    const negative = parseEnergy("-1kWh");
    expect(negative.ok).toBe(false);
    if (!negative.ok) expect(negative.error.message).toMatch(/negative/);
    expect(parsePower("lots").ok).toBe(false);
  });
});
