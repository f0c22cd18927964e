import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SortedNames } from "./sorted-names.ts";

const SUFFIX = "_carbontracker_output.log";
const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

describe("SortedNames", () => {
  it("hands back every name in code-unit order across many packed chunks", () => {
    const names: string[] = [];
    // 10,000 names: three chunks of 4,096 and a part, with duplicates of stems' prefixes.
    for (let i = 0; i < 10_000; i++) {
      const pid = (i * 7919) % 10_007;
      names.push(`${i % 3 === 0 ? "run_" : ""}${pid}.${i % 5}_2026-01-01T0000${i % 60}Z${SUFFIX}`);
    }
    names.push(`é-ünï-😀.1_2026${SUFFIX}`, `a${SUFFIX}`, `a_b${SUFFIX}`, `a_${SUFFIX}`);
    const sorted = new SortedNames(SUFFIX);
    for (const name of names) sorted.add(name);
    expect([...sorted]).toEqual([...names].sort(byCodeUnit));
    expect(sorted.size).toBe(names.length);
  });

  it("knows which names it holds", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.string({ minLength: 1, maxLength: 20 }), { maxLength: 200 }),
        fc.string({ maxLength: 20 }),
        (stems, other) => {
          const sorted = new SortedNames(SUFFIX);
          for (const stem of stems) sorted.add(`${stem}${SUFFIX}`);
          for (const stem of stems) expect(sorted.has(`${stem}${SUFFIX}`)).toBe(true);
          if (!stems.includes(other)) expect(sorted.has(`${other}${SUFFIX}`)).toBe(false);
          expect([...sorted]).toEqual(stems.map((s) => `${s}${SUFFIX}`).sort(byCodeUnit));
        },
      ),
    );
  });

  it("refuses a name without the suffix it strips, and an add after reading", () => {
    const sorted = new SortedNames(SUFFIX);
    expect(() => sorted.add("x_carbontracker.log")).toThrow(/lacks/);
    sorted.add(`x${SUFFIX}`);
    expect([...sorted]).toEqual([`x${SUFFIX}`]);
    expect(() => sorted.add(`y${SUFFIX}`)).toThrow(/after the names were read/);
  });
});
