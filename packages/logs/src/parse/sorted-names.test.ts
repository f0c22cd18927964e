import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SortedNames } from "./sorted-names.ts";

const SUFFIX = "_carbontracker_output.log";
/** Python's order: code points, which is the order of the names' UTF-8 bytes. */
const byCodePoint = (a: string, b: string): number =>
  Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));

describe("SortedNames", () => {
  it("hands back every name in code-point order across many packed chunks", () => {
    const names: string[] = [];
    // 10,000 names: three chunks of 4,096 and a part, with duplicates of stems' prefixes.
    for (let i = 0; i < 10_000; i++) {
      const pid = (i * 7919) % 10_007;
      names.push(`${i % 3 === 0 ? "run_" : ""}${pid}.${i % 5}_2026-01-01T0000${i % 60}Z${SUFFIX}`);
    }
    names.push(`é-ünï-😀.1_2026${SUFFIX}`, `a${SUFFIX}`, `a_b${SUFFIX}`, `a_${SUFFIX}`);
    // U+FF61 sorts before U+1F600 by code point (Python), after it by UTF-16 code unit.
    names.push(`\uff61.1${SUFFIX}`, `😀.1${SUFFIX}`, `\ue000${SUFFIX}`, `\ud7ff${SUFFIX}`);
    const sorted = new SortedNames(SUFFIX);
    for (const name of names) sorted.add(name);
    expect([...sorted]).toEqual([...names].sort(byCodePoint));
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
          expect([...sorted]).toEqual(stems.map((s) => `${s}${SUFFIX}`).sort(byCodePoint));
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
