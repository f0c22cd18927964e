import { describe, expect, it } from "vitest";
import { embeddedData } from "../tgwf-co2.ts";
import { countries, countryByIso2, countryByIso3 } from "./countries.ts";

describe("country table", () => {
  it("holds the 249 ISO 3166-1 entries plus Kosovo, each code once", () => {
    expect(countries).toHaveLength(250);
    expect(new Set(countries.map((c) => c.iso2)).size).toBe(250);
    expect(new Set(countries.map((c) => c.iso3)).size).toBe(250);
    for (const c of countries) {
      expect(c.iso2).toMatch(/^[A-Z]{2}$/);
      expect(c.iso3).toMatch(/^[A-Z]{3}$/);
    }
  });

  it("agrees with ICU on which alpha-2 codes name a region", () => {
    // Intl.DisplayNames echoes unknown codes back, so a typo in the table shows up here.
    const names = new Intl.DisplayNames(["en"], { type: "region", fallback: "code" });
    const unknown = countries.filter((c) => names.of(c.iso2) === c.iso2).map((c) => c.iso2);
    expect(unknown).toEqual([]);
  });

  it("covers every ISO3 in the Ember data and every country prefix in Electricity Maps", () => {
    const data = embeddedData();
    const iso3 = Object.keys(data.ember).filter((k) => /^[A-Z]{3}$/.test(k));
    expect(iso3.filter((code) => countryByIso3(code) === undefined)).toEqual([]);
    const prefixes = Object.keys(data.electricityMaps[2025]).map((z) => z.split("-")[0] ?? "");
    expect(prefixes.filter((code) => countryByIso2(code) === undefined)).toEqual([]);
  });

  it("looks codes up case-blind", () => {
    expect(countryByIso2("es")?.iso3).toBe("ESP");
    expect(countryByIso3("gbr")?.iso2).toBe("GB");
  });
});
