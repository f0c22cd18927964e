import { describe, expect, it } from "vitest";
import { describeIntensityError } from "./describe-error.ts";
import { resolveGridIntensity } from "./grid-intensity.ts";

function errorOf(options: Parameters<typeof resolveGridIntensity>[0]) {
  const result = resolveGridIntensity(options);
  if (result.ok) throw new Error("expected an error");
  return describeIntensityError(result.error);
}

describe("describeIntensityError", () => {
  it("gives one line per error kind, with suggestions where there are some", () => {
    expect(errorOf({ location: "Spian" })).toMatchObject({
      message: expect.stringMatching(/^unknown location "Spian"; did you mean Spain/),
      suggestions: expect.arrayContaining(["Spain"]),
    });
    expect(errorOf({ location: "  " }).message).toMatch(/^empty location; run `wattprint zones/);
    expect(errorOf({ overrideGPerKWh: -5 })).toEqual({
      message: "grid intensity override -5 must be a non-negative number",
      suggestions: [],
    });
    expect(errorOf({ location: "US-CAL-CISO", year: 1999 }).message).toMatch(
      /^no grid data for 1999; available: 2021/,
    );
    for (const text of [errorOf({ location: "Atlantis" }).message]) expect(text).not.toMatch(/\n/);
  });
});
