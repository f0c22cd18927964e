import { describe, expect, it } from "vitest";
import { DEFAULT_PUE_PROFILE_ID, defaultPue, PUE_PROFILES, resolvePue } from "./pue.ts";

describe("PUE", () => {
  it("defaults to the Uptime Institute industry average with its source", () => {
    const pue = defaultPue();
    expect(DEFAULT_PUE_PROFILE_ID).toBe("industry");
    expect(pue.value).toBe(1.56);
    expect(pue.provenance.source.id).toBe("uptime-gdcs-2024");
    expect(pue.provenance.source.year).toBe(2024);
  });

  it("accepts numbers, numeric strings and profile ids", () => {
    expect(resolvePue(1.2)).toMatchObject({ ok: true, value: { value: 1.2 } });
    expect(resolvePue(" 1.3 ")).toMatchObject({ ok: true, value: { value: 1.3 } });
    expect(resolvePue("Google")).toMatchObject({ ok: true, value: { value: 1.1 } });
    expect(resolvePue("local")).toMatchObject({ ok: true, value: { value: 1 } });
  });

  it("rejects values below 1, implausible values and garbage", () => {
    for (const bad of [0.9, -1, 6, Number.NaN, "", "fast", "1.2x"]) {
      const result = resolvePue(bad);
      expect(result.ok, String(bad)).toBe(false);
    }
  });

  it("has a source for every profile", () => {
    for (const profile of PUE_PROFILES) {
      expect(profile.value).toBeGreaterThanOrEqual(1);
      expect(profile.source.title.length).toBeGreaterThan(10);
    }
  });
});
