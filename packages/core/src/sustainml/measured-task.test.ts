import { describe, expect, it } from "vitest";
import { resolveGridIntensity } from "../intensity/grid-intensity.ts";
import { defaultPue, resolvePue } from "../pue.ts";
import { type CarbonTaskInputs, computeCarbonFootprint } from "./carbon-task.ts";
import { embeddedIntensityLookup } from "./intensity-lookup.ts";
import { computeMeasuredFootprint, MEASURED_FORMULA, type MeasuredWork } from "./measured-task.ts";

const pueOne = resolvePue("local");
if (!pueOne.ok) throw new Error("local PUE");
const options = {
  latencyUnit: "h" as const,
  pue: pueOne.value,
  intensity: embeddedIntensityLookup(),
};

const ES = resolveGridIntensity({ location: "ES" });
const spain = () => (ES.ok ? ES.value.intensity.value : Number.NaN);

function inputs(overrides: Partial<CarbonTaskInputs> = {}): CarbonTaskInputs {
  return {
    model: { model: "tiny-mlp", model_path: "" },
    userInput: { geo_location_region: "Spain", geo_location_continent: "Europe" },
    userExtra: { ok: true, value: { num_outputs: 2, model_restrains: ["t5"] } },
    hw: { hw_description: "PIM_AI_1chip", power_consumption: 100, latency: 0.01 },
    ...overrides,
  };
}

const work: MeasuredWork = {
  energyJ: 36,
  inferences: 1000,
  windowS: 1.2,
  detail: { model_sha256: "ab", devices: [] },
};

describe("computeMeasuredFootprint", () => {
  it("divides the window's energy by the inferences run, applies PUE and the region's intensity", () => {
    const outcome = computeMeasuredFootprint(inputs(), work, options);
    expect(outcome.ok).toBe(true);
    // 36 J / 1000 = 0.036 J = 1e-8 kWh per inference
    expect(outcome.energyConsumptionKWh).toBeCloseTo(1e-8, 20);
    expect(outcome.carbonIntensityGPerKWh).toBe(spain());
    expect(outcome.carbonFootprintG).toBeCloseTo(1e-8 * spain(), 18);
    expect(outcome.extra).toMatchObject({
      num_outputs: 2,
      model_restrains: ["tiny-mlp", "t5"],
      mode: "tracker",
      inferences: 1000,
      window_s: 1.2,
      window_energy_j: 36,
      grid_ci_source: "embedded",
      pue: 1,
      intensity: { zone: "ES" },
      formula: MEASURED_FORMULA,
      measurement: { model_sha256: "ab" },
    });
  });

  it("puts the estimate path's figures beside the measured ones when the HW inputs allow", () => {
    const outcome = computeMeasuredFootprint(inputs(), work, { ...options, pue: defaultPue() });
    const estimated = computeCarbonFootprint(inputs(), { ...options, pue: defaultPue() });
    expect(outcome.energyConsumptionKWh).toBeCloseTo(1e-8 * 1.56, 20);
    expect(outcome.extra.estimate).toEqual({
      energy_consumption: estimated.energyConsumptionKWh,
      carbon_footprint: estimated.carbonFootprintG,
      power_w: 100,
      latency: 0.01,
      latency_unit: "h",
      formula: estimated.extra.formula,
    });
    const noHw = computeMeasuredFootprint(
      inputs({ hw: { hw_description: "", power_consumption: 0, latency: 0 } }),
      work,
      options,
    );
    expect(noHw.ok).toBe(true);
    expect(noHw.extra.estimate).toBeUndefined();
  });

  it("refuses a window without inferences or with unusable energy, with mode error", () => {
    for (const bad of [
      { ...work, inferences: 0 },
      { ...work, energyJ: Number.NaN },
      { ...work, windowS: 0 },
    ]) {
      const outcome = computeMeasuredFootprint(inputs(), bad, options);
      expect(outcome).toMatchObject({
        ok: false,
        carbonFootprintG: 0,
        energyConsumptionKWh: 0,
        extra: { mode: "error", num_outputs: 2 },
        error: { kind: "invalid-measurement" },
      });
    }
  });

  it("refuses figures past the largest double as the estimate path does, naming the quantity", () => {
    const huge = { ...options, intensity: embeddedIntensityLookup(1e308) };
    const carbon = computeMeasuredFootprint(
      inputs(),
      { ...work, energyJ: 3.6e12, inferences: 1 },
      huge,
    );
    expect(carbon).toMatchObject({
      ok: false,
      carbonFootprintG: 0,
      energyConsumptionKWh: 0,
      extra: { mode: "error" },
      error: { kind: "result-out-of-range", message: expect.stringMatching(/the carbon of/) },
    });
    const energy = computeMeasuredFootprint(
      inputs(),
      { ...work, energyJ: 3.6e12, inferences: 1 },
      { ...options, pue: { ...options.pue, value: 1e303 } },
    );
    expect(energy).toMatchObject({
      ok: false,
      error: { kind: "result-out-of-range", message: expect.stringMatching(/the energy of/) },
    });
  });

  it("fails an unknown region like the estimate path", () => {
    const outcome = computeMeasuredFootprint(
      inputs({ userInput: { geo_location_region: "Atlantis", geo_location_continent: "" } }),
      work,
      options,
    );
    expect(outcome).toMatchObject({ ok: false, extra: { mode: "error" } });
    expect(outcome.error?.message).toMatch(/Atlantis/);
  });
});
