import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { measuredDevice } from "../device.ts";
import { deviceMatches, globMatches } from "./select.ts";

/** The matcher this replaced, as a reference on inputs too short to make it backtrack long. */
function regexMatches(pattern: string, text: string): boolean {
  const escaped = pattern.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"));
  return new RegExp(`^${escaped.join(".*")}$`, "s").test(text);
}

const device = measuredDevice({
  id: "nvml:GPU-5d2a7c1e-0000-0000-0000-000000000000",
  name: "NVIDIA H100 80GB HBM3",
  kind: "gpu",
  reader: "nvml",
  counter: null,
  maxWatts: 700,
});

describe("device filters", () => {
  it("match ids by pattern, ids and names exactly, any case", () => {
    expect(deviceMatches("nvml:*", device)).toBe(true);
    expect(deviceMatches("NVML:gpu-5D2A*", device)).toBe(true);
    expect(deviceMatches("*0000", device)).toBe(true);
    expect(deviceMatches("rapl:*", device)).toBe(false);
    expect(deviceMatches("nvidia h100 80gb hbm3", device)).toBe(true);
    expect(deviceMatches("nvml:GPU", device)).toBe(false);
  });

  it("answer a star-heavy filter that matches nothing", () => {
    // A backtracking regex took 53 s for the first against this id (and far longer for
    // these), blocking the event loop: the test's timeout is what catches a relapse.
    expect(deviceMatches(`${"*".repeat(40)}!`, device)).toBe(false);
    expect(deviceMatches(`${"*0".repeat(60)}!`, device)).toBe(false);
  });

  it("agree with the regex they replace", () => {
    const alphabet = fc.constantFrom("a", "b", "*", ":", ".", "(", "?");
    fc.assert(
      fc.property(
        fc.array(alphabet, { maxLength: 8 }).map((c) => c.join("")),
        fc
          .array(fc.constantFrom("a", "b", ":", ".", "(", "?"), { maxLength: 10 })
          .map((c) => c.join("")),
        (pattern, text) => globMatches(pattern, text) === regexMatches(pattern, text),
      ),
      { seed: 20261203, numRuns: 5000 },
    );
  });
});
