import { describe, expect, it } from "vitest";
import {
  assumedModules,
  MODULE_FIGURES,
  memoryPower,
  memorySources,
  modulePowerW,
  WATTS_PER_GB,
} from "./memory.ts";

function w(gb: number, options?: Parameters<typeof memoryPower>[1]): number {
  const result = memoryPower(gb, options);
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.value.value;
}

describe("memoryPower, per module", () => {
  it("reproduces the published module figures it cites", () => {
    // Crucial: about 5 W per module; Micron: 10 W for a 128 GB DDR5 RDIMM at DDR5-4800.
    expect(modulePowerW(32)).toBeCloseTo(5, 10);
    expect(modulePowerW(128)).toBeCloseTo(10, 10);
    expect(w(32, { dimms: 1 })).toBeCloseTo(5, 10);
    expect(w(128, { dimms: 1 })).toBeCloseTo(10, 10);
    expect(MODULE_FIGURES.map((f) => f.sourceId)).toEqual([
      memorySources.moduleSmall.id,
      memorySources.moduleLarge.id,
    ]);
  });

  it("stays under Micron's 20 W for a 256 GB MCRDIMM, within a quarter of it", () => {
    // An MCRDIMM runs both ranks at once at 8800 MT/s, so a plain 256 GB RDIMM draws less.
    const modelled = modulePowerW(256);
    expect(modelled).toBeLessThan(20);
    expect(modelled).toBeGreaterThan(20 * 0.75);
  });

  it("tapers: watts per GB fall as modules grow, watts per module rise", () => {
    const sizes = [16, 32, 64, 128, 256];
    const perGb = sizes.map((gb) => modulePowerW(gb) / gb);
    const perModule = sizes.map(modulePowerW);
    for (let i = 1; i < sizes.length; i++) {
      expect(perGb[i]).toBeLessThan(perGb[i - 1] as number);
      expect(perModule[i]).toBeGreaterThan(perModule[i - 1] as number);
    }
  });

  it("uses the given module count: a DGX H100's 2 TB in 32 x 64 GB", () => {
    expect(w(2048, { dimms: 32 })).toBeCloseTo(32 * modulePowerW(64), 9);
    expect(w(256, { dimms: 8 })).toBeCloseTo(8 * modulePowerW(32), 9);
  });

  it("assumes the smallest common module that fills at most 16 slots", () => {
    expect(assumedModules(0)).toEqual({ count: 0, moduleGB: 0 });
    expect(assumedModules(16)).toEqual({ count: 1, moduleGB: 16 });
    expect(assumedModules(64)).toEqual({ count: 2, moduleGB: 32 });
    expect(assumedModules(512)).toEqual({ count: 16, moduleGB: 32 });
    expect(assumedModules(1024)).toEqual({ count: 16, moduleGB: 64 });
    expect(assumedModules(2048)).toEqual({ count: 16, moduleGB: 128 });
    expect(assumedModules(8192)).toEqual({ count: 32, moduleGB: 256 });
    expect(w(1024)).toBeCloseTo(16 * modulePowerW(64), 9);
    expect(w(0)).toBe(0);
  });

  it("gives a 1 TB host far less than the old flat 5 W per 32 GB (160 W), more than CodeCarbon 3 (38 W, 8 x 128 GB at 5 W tapered)", () => {
    expect(w(1024)).toBeGreaterThan(38);
    expect(w(1024)).toBeLessThan(160);
  });

  it("offers the per-GB rule of thumb for comparison", () => {
    expect(WATTS_PER_GB).toBe(0.375);
    expect(w(8, { model: "per-gb" })).toBe(3);
    expect(w(64, { model: "per-gb" })).toBe(24);
  });

  it("states its source and method", () => {
    const result = memoryPower(64);
    expect(result.ok && result.value.unit).toBe("W");
    expect(result.ok && result.value.provenance.source.id).toBe(memorySources.moduleLarge.id);
    expect(result.ok && result.value.provenance.method).toContain(
      "2 module(s) assumed (32 GB each)",
    );
    const perGb = memoryPower(8, { model: "per-gb" });
    expect(perGb.ok && perGb.value.provenance.source.id).toBe("codecarbon-v2-ram-per-gb");
  });

  it("rejects impossible inputs", () => {
    expect(memoryPower(-1)).toMatchObject({ ok: false, error: { field: "gigabytes" } });
    expect(memoryPower(Number.NaN)).toMatchObject({ ok: false, error: { field: "gigabytes" } });
    expect(memoryPower(64, { dimms: 2.5 })).toMatchObject({ ok: false, error: { field: "dimms" } });
  });
});
