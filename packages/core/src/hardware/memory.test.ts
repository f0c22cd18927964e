import { describe, expect, it } from "vitest";
import { memoryPower, WATTS_PER_DIMM, WATTS_PER_GB } from "./memory.ts";

function w(gb: number, options?: Parameters<typeof memoryPower>[1]): number {
  const result = memoryPower(gb, options);
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.value.value;
}

describe("memoryPower", () => {
  it("uses 5 W per DIMM and the given DIMM count", () => {
    expect(WATTS_PER_DIMM).toBe(5);
    expect(w(256, { dimms: 8 })).toBe(40);
    expect(w(1024, { dimms: 16 })).toBe(80);
  });

  it("assumes 32 GB modules when the DIMM count is unknown", () => {
    expect(w(8)).toBe(5);
    expect(w(64)).toBe(10);
    expect(w(96)).toBe(15);
    expect(w(1024)).toBe(160);
    expect(w(0)).toBe(0);
  });

  it("offers the per-GB rule of thumb for comparison", () => {
    expect(WATTS_PER_GB).toBe(0.375);
    expect(w(8, { model: "per-gb" })).toBe(3);
    expect(w(64, { model: "per-gb" })).toBe(24);
  });

  it("states its source and method", () => {
    const result = memoryPower(64);
    expect(result.ok && result.value.unit).toBe("W");
    expect(result.ok && result.value.provenance.source.id).toBe("codecarbon-ram-per-dimm");
    expect(result.ok && result.value.provenance.method).toContain("2 DIMM(s) assumed from 64 GB");
    const perGb = memoryPower(8, { model: "per-gb" });
    expect(perGb.ok && perGb.value.provenance.source.id).toBe("crucial-memory-power");
  });

  it("rejects impossible inputs", () => {
    expect(memoryPower(-1)).toMatchObject({ ok: false, error: { field: "gigabytes" } });
    expect(memoryPower(Number.NaN)).toMatchObject({ ok: false, error: { field: "gigabytes" } });
    expect(memoryPower(64, { dimms: 2.5 })).toMatchObject({ ok: false, error: { field: "dimms" } });
  });
});
