import { describe, expect, it } from "vitest";
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
});
