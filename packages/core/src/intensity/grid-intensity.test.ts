import { averageIntensity } from "@tgwf/co2/data";
import { yearly2021, yearly2025 } from "@tgwf/co2/data/electricity-maps";
import { describe, expect, it } from "vitest";
import { type GridIntensity, resolveGridIntensity } from "./grid-intensity.ts";

// Raw upstream modules read directly, so the expectations do not go through the wrapper.
const ember = (averageIntensity as { data: Record<string, number> }).data;
type Yearly = { data: Record<string, { carbonIntensity: { value: number } }> };
const em2025 = (yearly2025 as Yearly).data;
const em2021 = (yearly2021 as Yearly).data;

function value(options: Parameters<typeof resolveGridIntensity>[0]): GridIntensity {
  const result = resolveGridIntensity(options);
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.value;
}

describe("resolveGridIntensity", () => {
  it("takes countries from Ember, with its licence", () => {
    const spain = value({ location: "Spain" });
    expect(spain).toMatchObject({ zone: "ES", zoneName: "Spain", level: "country", year: 2024 });
    expect(spain.intensity).toEqual({ value: ember.ESP, unit: "gCO2eq/kWh" });
    expect(spain.provenance.source.licence).toMatch(/CC BY 4\.0/);
    expect(spain.provenance.source.url).toMatch(/^https:\/\//);
    expect(value({ location: "ESP" }).intensity.value).toBe(ember.ESP);
    expect(value({ location: "us" }).intensity.value).toBe(ember.USA);
  });

  it("takes sub-national zones from Electricity Maps, latest vintage unless a year is given", () => {
    const caiso = value({ location: "US-CAL-CISO" });
    expect(caiso).toMatchObject({ level: "zone", year: 2025, zoneName: "CAISO" });
    expect(caiso.intensity.value).toBe(em2025["US-CAL-CISO"]?.carbonIntensity.value);
    expect(caiso.provenance.source.licence).toMatch(/ODbL/);
    const old = value({ location: "DK-DK1", year: 2021 });
    expect(old).toMatchObject({ level: "zone", year: 2021 });
    expect(old.intensity.value).toBe(em2021["DK-DK1"]?.carbonIntensity.value);
  });

  it("takes continents and the world from Ember aggregates", () => {
    expect(value({ location: "Europe" })).toMatchObject({ level: "continent", zone: "EUROPE" });
    expect(value({ location: "Europe" }).intensity.value).toBe(ember.EUROPE);
    expect(value({ location: "World" })).toMatchObject({ level: "world", zone: "WORLD" });
    expect(value({ location: "World" }).intensity.value).toBe(472.94);
  });

  it("uses Electricity Maps for a country Ember lacks", () => {
    const aland = value({ location: "AX" });
    expect(aland).toMatchObject({ level: "country", zone: "AX", year: 2025 });
    expect(aland.intensity.value).toBe(em2025.AX?.carbonIntensity.value);
    expect(aland.provenance.method).toMatch(/not in Ember/);
  });

  it("falls to the continent aggregate, then the world, when a known country has no data", () => {
    const anguilla = value({ location: "Anguilla" });
    expect(anguilla).toMatchObject({ level: "continent", zone: "NORTH AMERICA" });
    expect(anguilla.intensity.value).toBe(ember["NORTH AMERICA"]);
    expect(anguilla.provenance.note).toMatch(/no annual value for Anguilla/);
    const antarctica = value({ location: "Antarctica" });
    expect(antarctica).toMatchObject({ level: "world", zone: "WORLD" });
    expect(antarctica.provenance.note).toMatch(/Antarctica/);
    // Where it fell to, once: not "Antarctica aggregate used" beside "the world average is used".
    expect(antarctica.provenance.note).not.toMatch(/Antarctica aggregate used/);
    expect(antarctica.provenance.note).toMatch(/world average is used/);
  });

  it("puts an explicit override first, sourced to the user", () => {
    const result = value({ location: "Spain", overrideGPerKWh: 42 });
    expect(result).toMatchObject({ level: "override", zone: "Spain" });
    expect(result.intensity).toEqual({ value: 42, unit: "gCO2eq/kWh" });
    expect(result.provenance.source.id).toBe("user");
    expect(value({ overrideGPerKWh: 0 }).intensity.value).toBe(0);
  });

  it("claims no data year for an override: its source has none", () => {
    const result = value({ location: "Spain", overrideGPerKWh: 42 });
    expect(result.provenance.source).not.toHaveProperty("year");
    // Nor the value itself: it was labelled with the year it was typed in.
    expect(result).not.toHaveProperty("year");
    expect(result.provenance.note).toBeUndefined();
  });

  it("refuses an unknown location with an override, as without one", () => {
    const without = resolveGridIntensity({ location: "Atlantis" });
    const withOverride = resolveGridIntensity({ location: "Atlantis", overrideGPerKWh: 100 });
    expect(withOverride.ok).toBe(false);
    expect(withOverride).toEqual(without);
    expect(!withOverride.ok && withOverride.error.kind).toBe("unknown-location");
  });

  it("refuses an unknown year with an override, and notes that a known one does not apply", () => {
    const refused = resolveGridIntensity({ overrideGPerKWh: 100, year: 1800 });
    expect(!refused.ok && refused.error).toMatchObject({ kind: "unknown-year", year: 1800 });
    const noted = value({ overrideGPerKWh: 100, year: 2023 });
    expect(noted.provenance.note).toBe(
      "year 2023 does not apply: a user-supplied intensity has no data year",
    );
  });

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY])("rejects override %d", (bad) => {
    const result = resolveGridIntensity({ overrideGPerKWh: bad });
    expect(!result.ok && result.error).toEqual({
      kind: "invalid-override",
      message: `grid intensity override ${bad} must be a non-negative number`,
      value: bad,
    });
  });

  it("rejects a year without a vintage", () => {
    const result = resolveGridIntensity({ location: "DK-DK1", year: 2019 });
    expect(!result.ok && result.error).toEqual({
      kind: "unknown-year",
      message: "no grid data for 2019; available: 2021, 2022, 2023, 2024, 2025",
      year: 2019,
      available: [2021, 2022, 2023, 2024, 2025],
    });
  });

  it("notes that Ember has one vintage when a year is asked for a country", () => {
    expect(value({ location: "Spain", year: 2022 }).provenance.note).toMatch(/one vintage/);
  });

  it("passes a location error through with its message and suggestions", () => {
    const result = resolveGridIntensity({ location: "Spian" });
    expect(!result.ok && result.error).toMatchObject({
      kind: "unknown-location",
      message: expect.stringMatching(/^unknown location "Spian"; did you mean Spain/),
      suggestions: expect.arrayContaining(["Spain"]),
    });
    expect(!result.ok && result.error.message).not.toMatch(/\n/);
  });

  it("is an error, never the world, for an unknown location", () => {
    const result = resolveGridIntensity({ location: "Atlantis" });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error.kind).toBe("unknown-location");
  });

  describe("SustainML region/continent fields", () => {
    it("uses the region when given", () => {
      expect(value({ region: "Spain", continent: "Europe" }).zone).toBe("ES");
      expect(value({ region: "California", continent: "North America" }).zone).toBe("US-CAL-CISO");
      expect(value({ region: "Catalonia", continent: "Europe" }).zone).toBe("ES");
    });

    it("falls back to the continent only when the region is empty", () => {
      expect(value({ region: "", continent: "Europe" })).toMatchObject({ level: "continent" });
      expect(value({ region: "  ", continent: "Europe" }).zone).toBe("EUROPE");
    });

    it("reports an unknown non-empty region instead of using the continent", () => {
      const result = resolveGridIntensity({ region: "Narnia", continent: "Europe" });
      expect(!result.ok && result.error.kind).toBe("unknown-location");
    });

    it("uses the world average, with a note, when no location is given at all", () => {
      const result = value({ region: "", continent: "" });
      expect(result.level).toBe("world");
      expect(result.provenance.note).toMatch(/no location given/);
    });

    it("lets an explicit location win over region and continent", () => {
      expect(value({ location: "FR", region: "Spain" }).zone).toBe("FR");
    });
  });
});
