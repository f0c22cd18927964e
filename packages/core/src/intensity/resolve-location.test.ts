import { describe, expect, it } from "vitest";
import type { ResolvedLocation } from "./location.ts";
import { resolveLocation } from "./resolve-location.ts";

function resolved(query: string): ResolvedLocation {
  const result = resolveLocation(query);
  if (!result.ok) throw new Error(`${query}: ${JSON.stringify(result.error)}`);
  return result.value;
}

describe("resolveLocation", () => {
  it.each([
    ["ES", "iso2"],
    ["es", "iso2"],
    ["ESP", "iso3"],
    ["esp", "iso3"],
    ["Spain", "name"],
    ["spain", "name"],
    ["  SPAIN ", "name"],
    ["España", "name"],
  ])("resolves %j to Spain by %s", (query, matchedBy) => {
    const location = resolved(query);
    expect(location).toMatchObject({ level: "country", zone: "ES", name: "Spain", matchedBy });
  });

  it.each(["Côte d'Ivoire", "cote divoire", "COTE D'IVOIRE", "Ivory Coast", "CIV", "ci"])(
    "tolerates accents and case: %j is Côte d'Ivoire",
    (query) => expect(resolved(query).zone).toBe("CI"),
  );

  it.each([
    ["USA", "US"],
    ["United States", "US"],
    ["united states of america", "US"],
    ["UK", "GB"],
    ["Great Britain", "GB"],
    ["Türkiye", "TR"],
    ["turkey", "TR"],
    ["The Netherlands", "NL"],
    ["Kosovo", "XK"],
    ["XKX", "XK"],
  ])("resolves country name or alias %j to %s", (query, iso2) => {
    expect(resolved(query)).toMatchObject({ level: "country", zone: iso2 });
  });

  it.each([
    ["US-CAL-CISO", "US-CAL-CISO", "US"],
    ["us-cal-ciso", "US-CAL-CISO", "US"],
    ["DK-DK1", "DK-DK1", "DK"],
    ["CA-ON", "CA-ON", "CA"],
    ["AU-NSW", "AU-NSW", "AU"],
    ["Ontario", "CA-ON", "CA"],
    ["Quebec", "CA-QC", "CA"],
    ["New South Wales", "AU-NSW", "AU"],
    ["California ISO", "US-CAL-CISO", "US"],
  ])("resolves zone %j to %s in %s", (query, zone, iso2) => {
    const location = resolved(query);
    expect(location.level).toBe("zone");
    expect(location.zone).toBe(zone);
    expect(location.level === "zone" && location.country?.iso2).toBe(iso2);
  });

  it("maps well-known sub-national names through the alias table, with a note", () => {
    expect(resolved("California")).toMatchObject({ zone: "US-CAL-CISO", matchedBy: "alias" });
    expect(resolved("Catalonia")).toMatchObject({ level: "country", zone: "ES" });
    expect(resolved("Catalonia").note).toMatch(/national grid/);
  });

  it.each([
    ["Europe", "EUROPE"],
    ["africa", "AFRICA"],
    ["Asia", "ASIA"],
    ["North America", "NORTH AMERICA"],
    ["Oceania", "OCEANIA"],
    ["Middle East", "MIDDLE EAST"],
    ["European Union", "EU"],
  ])("resolves continent or aggregate %j to Ember %s", (query, key) => {
    expect(resolved(query)).toMatchObject({ level: "continent", zone: key });
  });

  it("stands in Latin America and Caribbean for South America and says so", () => {
    const location = resolved("South America");
    expect(location).toMatchObject({ level: "continent", zone: "LATIN AMERICA AND CARIBBEAN" });
    expect(location.note).toMatch(/no South America row/);
  });

  it.each(["World", "world", "WORLD", "global"])("resolves %j to the world", (query) => {
    expect(resolved(query)).toMatchObject({ level: "world", zone: "WORLD" });
  });

  it("rejects an unknown place with suggestions and never a world value", () => {
    const result = resolveLocation("Atlantis");
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.kind).toBe("unknown-location");
    if (result.error.kind !== "unknown-location") return;
    expect(result.error.suggestions.length).toBeGreaterThan(0);
    expect(result.error.suggestions.length).toBeLessThanOrEqual(5);
    expect(result.error.suggestions).not.toContain("World");
    expect(result.error.message).toMatch(
      /^unknown location "Atlantis"; did you mean .+\? \(run `wattprint zones <query>` to list zones\)$/,
    );
    expect(result).not.toHaveProperty("value");
  });

  it("suggests the likely intent first, and every suggestion resolves", () => {
    const spian = resolveLocation("Spian");
    expect(!spian.ok && spian.error.kind === "unknown-location" && spian.error.suggestions[0]).toBe(
      "Spain",
    );
    const zone = resolveLocation("US-CAL-CISX");
    const suggestions =
      !zone.ok && zone.error.kind === "unknown-location" ? zone.error.suggestions : [];
    expect(suggestions[0]).toBe("US-CAL-CISO");
    for (const s of suggestions) expect(resolveLocation(s).ok).toBe(true);
  });

  it.each(["", "   ", "\t"])("reports an empty query %j as its own error", (query) => {
    const result = resolveLocation(query);
    expect(!result.ok && result.error).toEqual({
      kind: "empty-query",
      message: "empty location; run `wattprint zones <query>` to list zones",
      query,
    });
  });
});
