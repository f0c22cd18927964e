import { describe, expect, it } from "vitest";
import { parseInstant, parseTimeSpan } from "./time-span.ts";

describe("parseInstant", () => {
  it.each([
    ["2026-03-01", "2026-03-01T00:00:00.000Z"],
    ["2026-03-01T08:00", "2026-03-01T08:00:00.000Z"],
    ["2026-03-01 08:00:30", "2026-03-01T08:00:30.000Z"],
    ["2026-03-01T08:00:30.5Z", "2026-03-01T08:00:30.500Z"],
    ["2026-03-01T08:00+01:00", "2026-03-01T07:00:00.000Z"],
    ["2026-03-01T08:00-05:30", "2026-03-01T13:30:00.000Z"],
    ["2024-02-29", "2024-02-29T00:00:00.000Z"],
    // Years 0-99 as written, not as 1900-1999 (Date.UTC's reading).
    ["0050-06-01T12:00", "0050-06-01T12:00:00.000Z"],
    ["0099-12-31", "0099-12-31T00:00:00.000Z"],
    ["0000-02-29", "0000-02-29T00:00:00.000Z"],
    ["0004-02-29T08:00+01:00", "0004-02-29T07:00:00.000Z"],
  ])("reads %s as UTC unless it names an offset", (input, iso) => {
    const instant = parseInstant(input);
    expect(instant.ok && instant.value.toISOString()).toBe(iso);
  });

  it.each([
    "",
    "yesterday",
    "3/1/2026",
    "March 1 2026",
    "2026-3-1",
    "2026-02-30",
    "2025-02-29",
    "0100-02-29",
    "0001-02-29",
    "2026-03-01T24:00",
    "2026-03-01T08:60",
    "2026-03-01T08:00+25:00",
    "1772352000",
  ])("refuses %j with an example of what it reads", (input) => {
    const instant = parseInstant(input);
    expect(instant.ok).toBe(false);
    expect(!instant.ok && instant.error).toMatch(/e\.g\. 2026-03-01/);
  });
});

describe("parseTimeSpan", () => {
  it("measures the span in seconds", () => {
    const span = parseTimeSpan("2026-03-01", "2026-03-04");
    expect(span).toEqual({
      ok: true,
      value: {
        from: "2026-03-01T00:00:00.000Z",
        to: "2026-03-04T00:00:00.000Z",
        duration: { value: 259_200, unit: "s" },
      },
    });
    const offsets = parseTimeSpan("2026-03-01T09:00+01:00", "2026-03-01T09:00Z");
    expect(offsets.ok && offsets.value.duration.value).toBe(3_600);
  });

  it("names the bound that does not read", () => {
    const bad = parseTimeSpan("2026-03-01", "soon");
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.error).toMatchObject({
      kind: "unparsable-date",
      field: "to",
      input: "soon",
    });
    const first = parseTimeSpan("nope", "nope either");
    expect(!first.ok && first.error).toMatchObject({ field: "from" });
  });

  it("refuses a reversed span and says to swap, and an empty one", () => {
    const reversed = parseTimeSpan("2026-03-04", "2026-03-01");
    expect(!reversed.ok && reversed.error.kind).toBe("reversed-span");
    expect(!reversed.ok && reversed.error.message).toMatch(/before it starts.*swap/);
    const empty = parseTimeSpan("2026-03-01T00:00Z", "2026-03-01");
    expect(!empty.ok && empty.error.kind).toBe("empty-span");
  });
});
