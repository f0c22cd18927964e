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

  it("quotes at most 80 characters of a long name, and refuses one over 1024 unread", () => {
    const long = resolveLocation("Atlantis ".repeat(100));
    expect(long.ok || long.error.kind).toBe("unknown-location");
    expect(long.ok || long.error.message.length).toBeLessThan(250);
    const huge = resolveLocation("a".repeat(1 << 20));
    expect(huge.ok).toBe(false);
    if (huge.ok) return;
    expect(huge.error.kind).toBe("unknown-location");
    expect(huge.error.message).toContain("over 1024 characters");
    expect(huge.error.message.length).toBeLessThan(250);
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

describe("resolveLocation for US states and continents", () => {
  it("resolves a state served mostly by one zone to it, naming the others", () => {
    const virginia = resolveLocation("Virginia");
    expect(virginia.ok && virginia.value).toMatchObject({ level: "zone", zone: "US-MIDA-PJM" });
    expect(virginia.ok && virginia.value.note).toMatch(
      /Virginia: PJM Interconnection .* also served by US-TEN-TVA/,
    );
    const texas = resolveLocation("US-TX");
    expect(texas.ok && texas.value.zone).toBe("US-TEX-ERCO");
    expect(texas.ok && texas.value.note).toMatch(/about 90 % of the state's load/);
    const georgia = resolveLocation("Georgia US");
    expect(georgia.ok && georgia.value.zone).toBe("US-SE-SOCO");
    expect(resolveLocation("Georgia").ok && resolveLocation("GE").ok).toBe(true);
  });

  it("refuses a state no single zone serves, offering its zones", () => {
    const arizona = resolveLocation("Arizona");
    expect(arizona.ok).toBe(false);
    if (arizona.ok) return;
    expect(arizona.error.kind).toBe("ambiguous-location");
    if (arizona.error.kind !== "ambiguous-location") return;
    expect(arizona.error.suggestions).toContain("US-SW-AZPS");
    expect(arizona.error.message).toMatch(/several balancing areas.*US-SW-SRP/);
    for (const zone of arizona.error.suggestions) expect(resolveLocation(zone).ok).toBe(true);
  });

  it.each(["America", "america", "Americas", "the Americas"])(
    "refuses %j, never resolving it to one country",
    (query) => {
      const result = resolveLocation(query);
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.error.kind).toBe("ambiguous-location");
      expect(result.error.message).toMatch(/North and South America/);
      if (result.error.kind === "ambiguous-location") {
        expect(result.error.suggestions).toEqual(
          expect.arrayContaining(["North America", "South America"]),
        );
      }
    },
  );

  it.each([
    ["Europe", "EUROPE"],
    ["Asia", "ASIA"],
    ["Africa", "AFRICA"],
    ["Oceania", "OCEANIA"],
    ["North America", "NORTH AMERICA"],
  ])("resolves the continent %j, as SustainML sends it, to its aggregate", (query, key) => {
    const result = resolveLocation(query);
    expect(result.ok && result.value).toMatchObject({ level: "continent", zone: key });
  });
});
