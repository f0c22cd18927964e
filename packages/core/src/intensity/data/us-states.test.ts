import { describe, expect, it } from "vitest";
import { embeddedData } from "../tgwf-co2.ts";
import { usStates } from "./us-states.ts";

describe("the US state table", () => {
  const zones = embeddedData().electricityMaps[2025];

  it("has the 50 states and DC, once each", () => {
    expect(usStates).toHaveLength(51);
    expect(new Set(usStates.map((s) => s.code)).size).toBe(51);
    expect(new Set(usStates.map((s) => s.name)).size).toBe(51);
  });

  it.each(usStates.map((s) => [s.name, s] as const))("%s: sourced zones that exist", (_, state) => {
    expect(state.sources.length).toBeGreaterThan(0);
    for (const source of state.sources) {
      expect(source.url).toMatch(/^https:\/\//);
      expect(source.says.length).toBeGreaterThan(20);
    }
    expect(state.zones.length).toBeGreaterThan(0);
    for (const { zone, share } of state.zones) {
      expect(zones[zone], zone).toBeDefined();
      if (share !== undefined) expect(share).toBeGreaterThan(0);
    }
    const total = state.zones.reduce((sum, z) => sum + (z.share ?? 0), 0);
    expect(total).toBeLessThanOrEqual(1);
    if (state.primary !== undefined) {
      expect(state.zones.map((z) => z.zone)).toContain(state.primary);
      expect(state.zones[0]?.zone).toBe(state.primary);
    }
    // A published share is an operator's own figure, so its page is among the sources.
    if (state.zones.some((z) => z.share !== undefined)) {
      expect(state.sources.some((s) => /%/.test(s.says))).toBe(true);
    }
  });
});
