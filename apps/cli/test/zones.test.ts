import { describe, expect, it } from "vitest";
import { wattprint } from "./helpers/in-process.ts";

interface ZoneRow {
  code: string;
  level: string;
  countryCode?: string;
  serves?: { state: string; share?: number; primary: boolean };
}

async function zones(...args: string[]): Promise<ZoneRow[]> {
  const outcome = await wattprint(["zones", ...args, "--json"]);
  expect(outcome.code).toBe(0);
  return JSON.parse(outcome.stdout) as ZoneRow[];
}

describe("wattprint zones", () => {
  it("zones US: the United States and its zones, nothing else", async () => {
    const rows = await zones("US");
    expect(rows[0]).toMatchObject({ code: "US", level: "country" });
    expect(rows.length).toBeGreaterThan(50);
    expect(rows.filter((row) => row.code !== "US" && !row.code.startsWith("US-"))).toEqual([]);
    const text = await wattprint(["zones", "US"]);
    expect(text.stdout).not.toMatch(/Australia|Belarus|Mauritius|Virgin Islands/);
  });

  it("a state lists the zones serving it, with the published share", async () => {
    const rows = await zones("Texas");
    expect(rows[0]).toMatchObject({ code: "US-TEX-ERCO", serves: { share: 0.9, primary: true } });
    const text = await wattprint(["zones", "virginia"]);
    expect(text.stdout).toMatch(/^US-MIDA-PJM .* Virginia, used for the state$/m);
    expect(text.stdout).toMatch(/^US-TEN-TVA .* Virginia$/m);
  });

  it("says why America cannot be a location while listing what it matches", async () => {
    const text = await wattprint(["zones", "America"]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^NORTH AMERICA\s/m);
    expect(text.stdout).toMatch(/note: as a --location, "America" spans North and South America/);
  });

  it("labels a country whose value falls back as a country, saying where the value is from", async () => {
    const text = await wattprint(["zones", "BQ"]);
    expect(text.stdout).toMatch(/^BQ .* country .*\(continent value\)/m);
  });
});
