import { describe, expect, it } from "vitest";
import { userSupplied } from "../provenance.ts";
import { defaultPue } from "../pue.ts";
import { gramsPerKWh, hours, milliseconds, watts } from "../units/quantity.ts";
import { estimateInference } from "./inference.ts";

describe("estimateInference", () => {
  const base = {
    power: watts(100),
    powerProvenance: userSupplied("hw"),
    hardwareName: "PIM_AI_1chip",
    intensity: { zone: "ES", intensity: gramsPerKWh(200), provenance: userSupplied("ci") },
    pue: { ...defaultPue(), value: 1 },
  };

  it("energy per inference = W x latency, for any latency unit", () => {
    const ms = estimateInference({ ...base, latency: milliseconds(36) });
    const h = estimateInference({ ...base, latency: hours(1e-5) });
    if (!ms.ok || !h.ok) throw new Error("estimate failed");
    // 100 W x 36 ms = 3.6 J = 1e-6 kWh -> 2e-4 g at 200 g/kWh
    expect(ms.value.energy.value).toBeCloseTo(1e-6, 15);
    expect(ms.value.carbon.value).toBeCloseTo(2e-4, 12);
    expect(h.value.energy.value).toBeCloseTo(ms.value.energy.value, 15);
  });

  it("multiplies by the count and by PUE", () => {
    const result = estimateInference({
      ...base,
      latency: milliseconds(36),
      count: 10,
      pue: defaultPue(),
    });
    if (!result.ok) throw new Error(result.error.message);
    expect(result.value.energy.value).toBeCloseTo(1e-5 * defaultPue().value, 15);
  });
});
