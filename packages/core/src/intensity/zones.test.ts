import { describe, expect, it } from "vitest";
import { countries } from "./data/countries.ts";
import { embeddedData } from "./tgwf-co2.ts";
import { searchZones } from "./zones.ts";

describe("searchZones", () => {
  it("lists aggregates, countries and zones for an empty query", () => {
    const all = searchZones();
    expect(all[0]).toMatchObject({ code: "WORLD", level: "world" });
    const subNational = Object.keys(embeddedData().electricityMaps[2025]).filter((z) =>
      z.includes("-"),
    );
    expect(all.filter((z) => z.level === "zone")).toHaveLength(subNational.length);
    expect(all.some((z) => z.code === "ES" && z.level === "country")).toBe(true);
    expect(new Set(all.map((z) => z.code)).size).toBe(all.length);
  });

  it("finds a country and its sub-national zones by name, exact match first", () => {
    const spain = searchZones("spain");
    expect(spain[0]).toMatchObject({ code: "ES", name: "Spain", level: "country", year: 2024 });
    expect(spain.map((z) => z.code)).toContain("ES-IB-MA");
    expect(spain.find((z) => z.code === "ES-IB-MA")?.source.licence).toMatch(/ODbL/);
  });

  it("matches codes and partial names, accent-blind, and honours the limit", () => {
    expect(searchZones("US-CAL")[0]?.code).toMatch(/^US-CAL-/);
    expect(searchZones("quebec")[0]?.code).toBe("CA-QC");
    expect(searchZones("US", 3)).toHaveLength(3);
    expect(searchZones("atlantis")).toEqual([]);
  });

  it.each(["中国", "!!!", "  ?  "])(
    "finds nothing for %j, which is not blank but has no letter or digit to match",
    (query) => {
      expect(searchZones(query)).toEqual([]);
    },
  );

  it("still lists everything for a blank query", () => {
    expect(searchZones("   ")).toEqual(searchZones());
  });
});

describe("searchZones finds what a code names", () => {
  it("lists the United States and only its zones for US, USA or united states", () => {
    for (const query of ["US", "us", "USA", "United States"]) {
      const rows = searchZones(query);
      expect(rows[0]).toMatchObject({ code: "US", level: "country" });
      const others = rows.slice(1);
      expect(others.length).toBeGreaterThan(50);
      for (const row of others) {
        expect(row).toMatchObject({ level: "zone", countryCode: "US" });
        expect(row.code).toMatch(/^US-/);
      }
    }
  });

  it("puts prefix matches before matches inside a name when nothing matches exactly", () => {
    const rows = searchZones("austr");
    expect(
      rows
        .map((r) => r.code)
        .slice(0, 2)
        .sort(),
    ).toEqual(["AT", "AU"]);
    expect(rows.findIndex((r) => r.code === "AU-NSW")).toBeGreaterThan(1);
    expect(searchZones("US-CAL").every((r) => r.code.startsWith("US-CAL-"))).toBe(true);
  });

  it("never labels a country or sub-national entry a continent; it says where the value comes from", () => {
    const all = searchZones();
    const isoCodes = new Set(countries.map((c) => c.iso2));
    for (const row of all) {
      if (row.code.includes("-")) expect(row.level).toBe("zone");
      else if (isoCodes.has(row.code)) expect(row.level).toBe("country");
    }
    const bonaire = searchZones("BQ")[0];
    expect(bonaire).toMatchObject({ code: "BQ", level: "country", valueLevel: "continent" });
    expect(bonaire?.note).toMatch(/aggregate used/);
  });

  it("lists the zones serving a US state, with the share where the operator publishes it", () => {
    const texas = searchZones("Texas");
    expect(texas[0]).toMatchObject({
      code: "US-TEX-ERCO",
      serves: { state: "Texas", share: 0.9, primary: true },
    });
    expect(texas.map((r) => r.code)).toContain("US-CENT-SWPP");
    const virginia = searchZones("virginia");
    expect(virginia.map((r) => r.code)).toEqual(["US-MIDA-PJM", "US-TEN-TVA"]);
    expect(virginia[0]?.serves).toEqual({ state: "Virginia", primary: true });
    expect(searchZones("US-AZ").map((r) => r.serves?.primary)).toEqual([
      false,
      false,
      false,
      false,
    ]);
  });

  it("keeps Georgia the country and lists the state's zones beside it", () => {
    const rows = searchZones("Georgia");
    expect(rows[0]).toMatchObject({ code: "GE", level: "country" });
    expect(rows.find((r) => r.code === "US-SE-SOCO")?.serves).toMatchObject({ state: "Georgia" });
  });
});
