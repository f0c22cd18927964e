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
    for (const bad of [0.9, -1, 6, Number.NaN, "", "fast", "1.2x", "0x2", "Infinity", "1e400"]) {
      const result = resolvePue(bad);
      expect(result.ok, String(bad)).toBe(false);
    }
  });

  it("reads numbers as people write them, not as Number() does", () => {
    expect(resolvePue("1.5e0")).toMatchObject({ ok: true, value: { value: 1.5 } });
    expect(resolvePue("0x2")).toMatchObject({ ok: false, error: { message: /neither a number/ } });
    expect(resolvePue("1e400")).toMatchObject({
      ok: false,
      error: { message: "PUE 1e400 is implausible (> 5); check the value" },
    });
  });

  it("has a source for every profile", () => {
    for (const profile of PUE_PROFILES) {
      expect(profile.value).toBeGreaterThanOrEqual(1);
      expect(profile.source.title.length).toBeGreaterThan(10);
    }
  });
});
