import { describe, expect, it } from "vitest";
import { gramsPerKWh, joules, kilowattHours, seconds, wattHours } from "../units/quantity.ts";
import { predictTotal } from "./predict.ts";

describe("predictTotal", () => {
  it("scales the mean measured epoch to all epochs", () => {
    const result = predictTotal({
      measured: [
        { energy: wattHours(100), duration: seconds(60) },
        { energy: kilowattHours(0.3), duration: seconds(180) },
      ],
      totalEpochs: 10,
      intensity: gramsPerKWh(250),
    });
    if (!result.ok) throw new Error(result.error.message);
    const p = result.value;
    expect(p.meanEpochEnergy.value).toBeCloseTo(0.2, 12);
    expect(p.meanEpochDuration.value).toBe(120);
    expect(p.totalEnergy.value).toBeCloseTo(2, 12);
    expect(p.totalDuration.value).toBe(1200);
    expect(p.remainingEnergy.value).toBeCloseTo(1.6, 12);
    expect(p.remainingDuration.value).toBe(960);
    expect(p.totalCarbon?.value).toBeCloseTo(500, 9);
  });

  it("omits carbon without an intensity", () => {
    const result = predictTotal({
      measured: [{ energy: joules(1), duration: seconds(1) }],
      totalEpochs: 1,
    });
    expect(result.ok && result.value.totalCarbon).toBe(undefined);
  });

  it("rejects impossible inputs", () => {
    expect(predictTotal({ measured: [], totalEpochs: 3 }).ok).toBe(false);
    const tooFew = predictTotal({
      measured: [
        { energy: joules(1), duration: seconds(1) },
        { energy: joules(1), duration: seconds(1) },
      ],
      totalEpochs: 1,
    });
    expect(tooFew.ok).toBe(false);
    const negative = predictTotal({
      measured: [{ energy: joules(-1), duration: seconds(1) }],
      totalEpochs: 2,
    });
    expect(!negative.ok && negative.error.message).toMatch(/epoch 1/);
  });
});
