import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { averageIntensity } from "@tgwf/co2/data";
import { describe, expect, it } from "vitest";
import { resolveGridIntensity } from "../grid-intensity.ts";
import { countries } from "./countries.ts";
import { emberYear } from "./ember-year.ts";
import { emberYearRows } from "./ember-years.ts";
import { EMBER_LATEST_YEAR } from "./sources.ts";

const embedded = (averageIntensity as { data: Record<string, number> }).data;

describe("the Ember year table", () => {
  it("lists every value @tgwf/co2 ships, with the same value, and nothing else", () => {
    const table = new Map(emberYearRows.map(([key, year, value]) => [key, { year, value }]));
    expect(table.size).toBe(emberYearRows.length);
    expect([...table.keys()].sort()).toEqual(Object.keys(embedded).sort());
    for (const [key, value] of Object.entries(embedded)) expect(table.get(key)?.value).toBe(value);
  });

  it("holds 2024, 2023 and 2022 rows as CO2.js publishes them (102, 81, 39)", () => {
    const count = (year: number) => emberYearRows.filter(([, y]) => y === year).length;
    expect([count(2024), count(2023), count(2022)]).toEqual([102, 81, 39]);
    expect(Math.max(...emberYearRows.map(([, year]) => year))).toBe(EMBER_LATEST_YEAR);
  });

  it("labels every country's intensity with its row's year, never a newer one", () => {
    let older = 0;
    for (const country of countries) {
      const year = emberYear(country.iso3);
      if (year === undefined) continue;
      const result = resolveGridIntensity({ location: country.iso2 });
      if (!result.ok) throw new Error(result.error.message);
      expect(result.value.level).toBe("country");
      expect(result.value.year).toBe(year);
      expect(result.value.provenance.source.year).toBe(year);
      if (year < EMBER_LATEST_YEAR) {
        older++;
        expect(result.value.provenance.note).toContain(`${year} data`);
      }
    }
    expect(older).toBeGreaterThan(100);
  });

  it("says so for a country whose latest Ember figure is from 2022", () => {
    const aruba = resolveGridIntensity({ location: "Aruba" });
    expect(aruba).toMatchObject({
      ok: true,
      value: {
        zone: "AW",
        year: 2022,
        provenance: { source: { id: "ember-yearly-2022-co2js-0.19.0", year: 2022 } },
      },
    });
    const germany = resolveGridIntensity({ location: "DE" });
    expect(germany).toMatchObject({ ok: true, value: { year: 2024 } });
    expect(germany.ok && germany.value.provenance.note).toBeUndefined();
  });
});

/** The shared fact file sits in a `shared/data` folder above the checkout, when there is one. */
function sharedTable(): string | undefined {
  const name = "shared/data/ember-intensity-years-co2js-0.19.0.json";
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, name))) return join(dir, name);
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

const shared = sharedTable();

describe.skipIf(shared === undefined)(
  "the Ember year table against the shared CO2.js table (skipped: no shared/data/ember-intensity-years-co2js-0.19.0.json above this checkout)",
  () => {
    it("has every shared row's value and year", () => {
      const file = JSON.parse(readFileSync(shared as string, "utf8")) as {
        rows: Record<string, { gco2_per_kwh: number; year: number }>;
      };
      const rows = Object.entries(file.rows);
      expect(rows).toHaveLength(emberYearRows.length);
      const table = new Map(emberYearRows.map(([key, year, value]) => [key, { year, value }]));
      for (const [key, row] of rows) {
        expect(table.get(key.toUpperCase()), key).toEqual({
          year: row.year,
          value: row.gco2_per_kwh,
        });
      }
    });
  },
);
