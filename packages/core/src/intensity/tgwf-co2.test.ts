import { averageIntensity } from "@tgwf/co2/data";
import * as electricityMaps from "@tgwf/co2/data/electricity-maps";
import { describe, expect, it } from "vitest";
import { ELECTRICITY_MAPS_YEARS } from "./data/sources.ts";
import { embeddedData, parseEmbeddedData } from "./tgwf-co2.ts";

describe("embedded @tgwf/co2 data", () => {
  it("validates the installed package: 209 Ember countries + 13 aggregates, 352 zones a year", () => {
    const data = embeddedData();
    const keys = Object.keys(data.ember);
    expect(keys.filter((k) => /^[A-Z]{3}$/.test(k))).toHaveLength(209);
    expect(keys).toHaveLength(222);
    expect(data.ember.WORLD).toBe(472.94);
    for (const year of ELECTRICITY_MAPS_YEARS) {
      expect(Object.keys(data.electricityMaps[year])).toHaveLength(352);
    }
  });

  it("offers the same zone ids in every vintage (the catalog names zones from the latest)", () => {
    const data = embeddedData();
    const latest = Object.keys(data.electricityMaps[2025]).sort();
    for (const year of ELECTRICITY_MAPS_YEARS) {
      expect(Object.keys(data.electricityMaps[year]).sort()).toEqual(latest);
    }
  });

  it("fails loudly when the upstream shape changes", () => {
    const yearly = {
      2021: electricityMaps.yearly2021,
      2022: electricityMaps.yearly2022,
      2023: electricityMaps.yearly2023,
      2024: electricityMaps.yearly2024,
      2025: electricityMaps.yearly2025,
    };
    expect(() =>
      parseEmbeddedData({ averageIntensity: { data: { ESP: "146" }, type: "average" }, yearly }),
    ).toThrow(/averageIntensity has an unexpected shape/);
    expect(() =>
      parseEmbeddedData({ averageIntensity: { data: { ESP: 146 }, type: "average" }, yearly }),
    ).toThrow(/1 value\(s\) the Ember year table .* does not list, e\.g\. ESP/);
    const renamed = { data: { ES: { zone: { zoneName: "Spain" }, carbonIntensity: 120 } } };
    expect(() =>
      parseEmbeddedData({ averageIntensity, yearly: { ...yearly, 2025: renamed } }),
    ).toThrow(/electricity-maps yearly2025 has an unexpected shape/);
  });
});
