import { describe, expect, it } from "vitest";
import { embeddedIntensityLookup, INTENSITY_CACHE_SIZE } from "./intensity-lookup.ts";

describe("embeddedIntensityLookup", () => {
  it("answers repeated regions from its cache with the same resolution", () => {
    const lookup = embeddedIntensityLookup();
    const first = lookup({ region: "Spain", continent: "Europe" });
    const again = lookup({ region: "Spain", continent: "Europe" });
    expect(again).toBe(first);
    expect(first.ok && first.value.zone).toBe("ES");
    // Same region, different continent: its own entry, same zone.
    const other = lookup({ region: "Spain", continent: "" });
    expect(other).not.toBe(first);
    expect(other.ok && other.value.zone).toBe("ES");
  });

  it("caches refusals too, and keeps their message", () => {
    const lookup = embeddedIntensityLookup();
    const refused = lookup({ region: "Atlantis", continent: "" });
    expect(refused).toMatchObject({
      ok: false,
      error: { kind: "unknown-location", message: expect.stringContaining("Atlantis") },
    });
    expect(lookup({ region: "Atlantis", continent: "" })).toBe(refused);
  });

  it("stays bounded when a peer sends ever new regions", () => {
    const lookup = embeddedIntensityLookup(100);
    const first = lookup({ region: "region-0", continent: "" });
    for (let i = 1; i <= INTENSITY_CACHE_SIZE; i++)
      lookup({ region: `region-${i}`, continent: "" });
    // The cache was emptied once full, so region-0 is resolved afresh (equal, not identical).
    const again = lookup({ region: "region-0", continent: "" });
    expect(again).not.toBe(first);
    expect(again).toEqual(first);
    expect(again.ok && again.value.intensity.value).toBe(100);
  });
});
