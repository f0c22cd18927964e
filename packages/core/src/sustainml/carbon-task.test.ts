import { describe, expect, it } from "vitest";
import { resolveGridIntensity } from "../intensity/grid-intensity.ts";
import { defaultPue, resolvePue } from "../pue.ts";
import { type CarbonTaskInputs, computeCarbonFootprint } from "./carbon-task.ts";
import { embeddedIntensityLookup } from "./intensity-lookup.ts";

const embedded = embeddedIntensityLookup();

const pueOne = resolvePue("local");
if (!pueOne.ok) throw new Error("local PUE");
const options = { latencyUnit: "h" as const, pue: pueOne.value, intensity: embedded };

function inputs(overrides: Partial<CarbonTaskInputs> = {}): CarbonTaskInputs {
  return {
    model: { model: "bert-base", model_path: "models/bert.onnx" },
    userInput: { geo_location_region: "Spain", geo_location_continent: "Europe" },
    userExtra: { ok: true, value: { num_outputs: 1 } },
    hw: { hw_description: "PIM_AI_1chip", power_consumption: 100, latency: 0.01 },
    ...overrides,
  };
}

describe("computeCarbonFootprint", () => {
  it("computes W x h / 1000 kWh and g from the region's intensity", () => {
    const spain = resolveGridIntensity({ location: "ES" });
    if (!spain.ok) throw new Error("ES");
    const outcome = computeCarbonFootprint(inputs(), options);
    expect(outcome.ok).toBe(true);
    // 100 W x 0.01 h = 1 Wh = 0.001 kWh
    expect(outcome.energyConsumptionKWh).toBeCloseTo(0.001, 15);
    expect(outcome.carbonIntensityGPerKWh).toBe(spain.value.intensity.value);
    expect(outcome.carbonFootprintG).toBeCloseTo(0.001 * spain.value.intensity.value, 12);
    expect(outcome.extra).toMatchObject({
      num_outputs: 1,
      model_restrains: ["bert-base"],
      mode: "onnx_hw_only",
      grid_ci_source: "embedded",
      latency_unit: "h",
      intensity: { zone: "ES", level: "country" },
    });
  });

  it("reuses one frozen extra_data for tasks with the same inputs, and only for those", () => {
    const userExtra = { ok: true as const, value: { num_outputs: 2 } };
    const first = computeCarbonFootprint(inputs({ userExtra }), options);
    const again = computeCarbonFootprint(
      inputs({ userExtra, hw: { hw_description: "y", power_consumption: 7, latency: 2 } }),
      options,
    );
    expect(again.extra).toBe(first.extra);
    expect(Object.isFrozen(first.extra)).toBe(true);
    // Numbers are per task even when extra_data is shared.
    expect(again.energyConsumptionKWh).not.toBe(first.energyConsumptionKWh);
    const elsewhere = computeCarbonFootprint(
      inputs({
        userExtra,
        userInput: { geo_location_region: "France", geo_location_continent: "Europe" },
      }),
      options,
    );
    expect(elsewhere.extra).not.toBe(first.extra);
    expect(elsewhere.extra).toMatchObject({ num_outputs: 2, intensity: { zone: "FR" } });
    const otherUser = computeCarbonFootprint(
      inputs({ userExtra: { ok: true, value: {} } }),
      options,
    );
    expect(otherUser.extra).toMatchObject({ num_outputs: 1 });
  });

  it("honours the latency unit and PUE", () => {
    const ms = computeCarbonFootprint(
      inputs({ hw: { hw_description: "x", power_consumption: 100, latency: 36 } }),
      { ...options, latencyUnit: "ms", pue: defaultPue() },
    );
    // 100 W x 36 ms = 3.6 J = 1e-6 kWh, x 1.56
    expect(ms.energyConsumptionKWh).toBeCloseTo(1e-6 * 1.56, 18);
    expect(ms.extra).toMatchObject({ latency_unit: "ms", pue: 1.56, mode: "onnx_hw_only" });
  });

  it("builds extra_data as the Python node does: user num_outputs, restrains appended and de-duplicated", () => {
    const outcome = computeCarbonFootprint(
      inputs({
        model: { model: "gpt2", model_path: "hub/gpt2" },
        userExtra: {
          ok: true,
          value: { num_outputs: 3, model_restrains: ["bert", "gpt2", "t5", "bert"] },
        },
      }),
      options,
    );
    expect(outcome.extra).toMatchObject({
      num_outputs: 3,
      model_restrains: ["gpt2", "bert", "t5"],
      mode: "hw_only",
    });
  });

  it("refuses a num_outputs that would crash the orchestrator, with a warning", () => {
    const outcome = computeCarbonFootprint(
      inputs({ userExtra: { ok: true, value: { num_outputs: "many" } } }),
      options,
    );
    expect(outcome.ok).toBe(true);
    expect(outcome.extra.num_outputs).toBe(1);
    expect(outcome.warnings.join()).toMatch(/num_outputs "many"/);
    const numeric = computeCarbonFootprint(
      inputs({ userExtra: { ok: true, value: { num_outputs: "2" } } }),
      options,
    );
    expect(numeric.extra.num_outputs).toBe(2);
  });

  it("only warns about bad user JSON", () => {
    const outcome = computeCarbonFootprint(
      inputs({ userExtra: { ok: false, message: "not JSON" } }),
      options,
    );
    expect(outcome.ok).toBe(true);
    expect(outcome.extra).toMatchObject({ num_outputs: 1, model_restrains: ["bert-base"] });
    expect(outcome.warnings[0]).toMatch(/not JSON/);
  });

  it("answers NO_MODEL with zeros, mode no_model and the reference error text", () => {
    const outcome = computeCarbonFootprint(
      inputs({ model: { model: "no_model", model_path: "" } }),
      options,
    );
    expect(outcome).toMatchObject({
      ok: false,
      carbonFootprintG: 0,
      energyConsumptionKWh: 0,
      carbonIntensityGPerKWh: 0,
    });
    expect(outcome.extra).toEqual({
      num_outputs: 1,
      model_restrains: ["no_model"],
      mode: "no_model",
      error: "No model selected (NO_MODEL). Carbon footprint not computed.",
    });
  });

  it("fails with mode error for an unknown region or bad hardware figures, never throwing", () => {
    const region = computeCarbonFootprint(
      inputs({ userInput: { geo_location_region: "Atlantis", geo_location_continent: "Europe" } }),
      options,
    );
    expect(region).toMatchObject({ ok: false, extra: { mode: "error" } });
    expect(region.error).toMatch(/^Failed to obtain carbon footprint information: .*Atlantis/);
    for (const hw of [
      { hw_description: "x", power_consumption: -1, latency: 1 },
      { hw_description: "x", power_consumption: 1, latency: Number.NaN },
    ]) {
      const outcome = computeCarbonFootprint(inputs({ hw }), options);
      expect(outcome).toMatchObject({ ok: false, carbonFootprintG: 0, extra: { mode: "error" } });
    }
  });

  it("answers a task whose figures overflow a double with mode error, not an Infinity footprint", () => {
    const outcome = computeCarbonFootprint(
      inputs({ hw: { hw_description: "x", power_consumption: 1e308, latency: 3600 } }),
      options,
    );
    expect(outcome).toMatchObject({ ok: false, carbonFootprintG: 0, extra: { mode: "error" } });
    expect(outcome.error).toMatch(
      /^Failed to obtain carbon footprint information: result out of range/,
    );
  });

  it("uses a SUSTAINML_GRID_CI-style override and says so", () => {
    const outcome = computeCarbonFootprint(inputs(), {
      ...options,
      intensity: embeddedIntensityLookup(250),
    });
    expect(outcome.carbonIntensityGPerKWh).toBe(250);
    expect(outcome.carbonFootprintG).toBeCloseTo(0.25, 12);
    expect(outcome.extra).toMatchObject({
      grid_ci_source: "env",
      intensity: { level: "override" },
    });
  });

  it("falls back to the continent only when the region is empty", () => {
    const outcome = computeCarbonFootprint(
      inputs({ userInput: { geo_location_region: "", geo_location_continent: "Europe" } }),
      options,
    );
    expect(outcome.extra).toMatchObject({ intensity: { level: "continent" } });
  });
});
