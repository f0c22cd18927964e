import { describe, expect, it } from "vitest";
import { findHardware } from "./lookup.ts";
import { hardwarePower, IDLE_FRACTION } from "./power.ts";
import type { HardwareProfile } from "./profile.ts";

function profile(query: string): HardwareProfile {
  const result = findHardware(query);
  if (!result.ok) throw new Error(query);
  return result.value.profile;
}

describe("hardwarePower", () => {
  const a100 = profile("A100-PCIE-40GB");
  const m1 = profile("Apple M1");

  it("returns rated power with its source when no utilisation is given", () => {
    const result = hardwarePower(a100);
    expect(result).toMatchObject({ ok: true, value: { value: 250, unit: "W" } });
    if (!result.ok) return;
    expect(result.value.provenance.source.id).toBe("nvidia-a100");
    expect(result.value.provenance.method).toContain("no utilisation given");
  });

  it("scales linearly from 10 % of rated power when no idle figure is published", () => {
    const at = (u: number): number => {
      const r = hardwarePower(a100, u);
      return r.ok ? r.value.value : Number.NaN;
    };
    expect(IDLE_FRACTION).toBe(0.1);
    expect(at(0)).toBeCloseTo(25);
    expect(at(0.5)).toBeCloseTo(25 + 225 * 0.5);
    expect(at(1)).toBeCloseTo(250);
  });

  it("scales from the published idle figure when there is one", () => {
    const r = hardwarePower(m1, 0.5);
    expect(r.ok && r.value.value).toBeCloseTo(6.8 + (39 - 6.8) * 0.5);
    expect(r.ok && r.value.provenance.method).toContain("published idle 6.8 W");
    expect(r.ok && r.value.provenance.note).toContain("Mac mini");
  });

  it("applies the same model to CPUs", () => {
    const xeon = profile("Intel(R) Xeon(R) Gold 6248 CPU @ 2.50GHz");
    const r = hardwarePower(xeon, 0.25);
    expect(r.ok && r.value.value).toBeCloseTo(150 * (0.1 + 0.9 * 0.25));
    expect(r.ok && r.value.provenance.source.url).toContain("intel.com");
  });

  it.each([-0.01, 1.01, Number.NaN, Number.POSITIVE_INFINITY])("rejects utilisation %s", (u) => {
    expect(hardwarePower(a100, u)).toEqual({
      ok: false,
      error: {
        kind: "invalid-utilisation",
        message: `utilisation ${u} must be between 0 and 1 (0.8 for 80 % load)`,
        utilisation: u,
      },
    });
  });
});
