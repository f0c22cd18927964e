import { describe, expect, it } from "vitest";
import { hardwareProfiles } from "../hardware/data/catalogue.ts";
import { compareNames } from "./compare-names.ts";

describe("compareNames", () => {
  it("orders the hardware table's names as English localeCompare does", () => {
    const names = hardwareProfiles.flatMap((p) => [p.name, ...p.aliases]);
    expect(names.length).toBeGreaterThan(200);
    const byLocale = [...names].sort((a, b) => a.localeCompare(b, "en"));
    expect([...names].sort(compareNames)).toEqual(byLocale);
  });

  it("ignores case first, then puts the upper-case spelling first", () => {
    expect(compareNames("nvidia b200", "NVIDIA H100")).toBeLessThan(0);
    expect(compareNames("Xeon", "xeon")).toBeLessThan(0);
    expect(compareNames("xeon", "Xeon")).toBeGreaterThan(0);
    expect(compareNames("EPYC", "EPYC 9654")).toBeLessThan(0);
    expect(compareNames("EPYC 9654", "EPYC 9654")).toBe(0);
  });

  it("is a total order: antisymmetric and transitive over mixed names", () => {
    const names = ["a", "A", "a1", "A1", "b", "B ", "b-", "é", "E", "", "10", "9", "Z"];
    for (const a of names) {
      for (const b of names) {
        expect(Math.sign(compareNames(a, b)) + Math.sign(compareNames(b, a))).toBe(0);
        for (const c of names) {
          if (compareNames(a, b) < 0 && compareNames(b, c) < 0) {
            expect(compareNames(a, c)).toBeLessThan(0);
          }
        }
      }
    }
  });
});
