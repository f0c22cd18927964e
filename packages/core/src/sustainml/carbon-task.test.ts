import { readExtraData } from "@wattprint/messages";
import { describe, expect, it } from "vitest";
import { resolveGridIntensity } from "../intensity/grid-intensity.ts";
import { defaultPue, resolvePue } from "../pue.ts";
import {
  type CarbonTaskInputs,
  type CarbonTaskOutcome,
  computeCarbonFootprint,
  type IntensityLookup,
  UNDESCRIBED_HARDWARE,
} from "./carbon-task.ts";
import type { UserExtra } from "./extra-data.ts";
import {
  MAX_CONTINENT_CHARS,
  MAX_HW_DESCRIPTION_CHARS,
  MAX_MODEL_NAME_CHARS,
  MAX_MODEL_PATH_CHARS,
  MAX_MODEL_RESTRAINS,
  MAX_REGION_CHARS,
} from "./input-limits.ts";
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

  it.each([
    ["h", 0.01],
    ["s", 36],
    ["ms", 36_000],
  ] as const)(
    "writes the formula in the latency's own unit (%s), reproducing the energy",
    (unit, latency) => {
      const outcome = computeCarbonFootprint(
        inputs({ hw: { hw_description: "x", power_consumption: 100, latency } }),
        { ...options, latencyUnit: unit },
      );
      const formula = String(outcome.extra.formula);
      // "energy_kWh = power_W x latency_<unit> / <divisor> x PUE; ..."
      const stated = /latency_(\w+) \/ ([\d.e]+) x PUE/.exec(formula);
      expect(stated?.[1]).toBe(unit);
      // 100 W for 36 s (0.01 h) is 0.001 kWh in every unit; the PUE is 1.
      expect(outcome.energyConsumptionKWh).toBeCloseTo(0.001, 15);
      expect((100 * latency) / Number(stated?.[2])).toBeCloseTo(outcome.energyConsumptionKWh, 15);
    },
  );

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
    expect(
      computeCarbonFootprint(
        inputs({ userExtra: { ok: true, value: { num_outputs: " 3 " } } }),
        options,
      ).extra.num_outputs,
    ).toBe(3);
  });

  it("reads a num_outputs string as decimal digits only, never hex, binary or an exponent", () => {
    for (const text of ["0x10", "0b101", "0o17", "1e3", "1.0", "+2", "2 3"]) {
      const outcome = computeCarbonFootprint(
        inputs({ userExtra: { ok: true, value: { num_outputs: text } } }),
        options,
      );
      expect(outcome.extra.num_outputs, text).toBe(1);
      expect(outcome.warnings.join(), text).toMatch(/num_outputs/);
    }
  });

  it("only warns about bad user JSON", () => {
    const outcome = computeCarbonFootprint(
      inputs({ userExtra: { ok: false, error: { kind: "invalid-json", message: "not JSON" } } }),
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
    expect(outcome.error).toEqual({
      kind: "no-model",
      message: "No model selected (NO_MODEL). Carbon footprint not computed.",
    });
  });

  it("fails with mode error for an unknown region or bad hardware figures, never throwing", () => {
    const region = computeCarbonFootprint(
      inputs({ userInput: { geo_location_region: "Atlantis", geo_location_continent: "Europe" } }),
      options,
    );
    expect(region).toMatchObject({ ok: false, extra: { mode: "error" } });
    expect(region.error).toEqual({
      kind: "unknown-location",
      message: expect.stringMatching(/^Failed to obtain carbon footprint information: .*Atlantis/),
    });
    expect(region.extra.error).toBe(region.error?.message);
    for (const hw of [
      { hw_description: "x", power_consumption: -1, latency: 1 },
      { hw_description: "x", power_consumption: 1, latency: Number.NaN },
    ]) {
      const outcome = computeCarbonFootprint(inputs({ hw }), options);
      expect(outcome).toMatchObject({ ok: false, carbonFootprintG: 0, extra: { mode: "error" } });
      expect(outcome.error?.kind).toBe("invalid-hw-resource");
      expect(outcome.extra.error).toBe(outcome.error?.message);
    }
  });

  it("answers a task whose figures overflow a double with mode error, not an Infinity footprint", () => {
    const outcome = computeCarbonFootprint(
      inputs({ hw: { hw_description: "x", power_consumption: 1e308, latency: 3600 } }),
      options,
    );
    expect(outcome).toMatchObject({ ok: false, carbonFootprintG: 0, extra: { mode: "error" } });
    expect(outcome.error).toEqual({
      kind: "result-out-of-range",
      message: expect.stringMatching(
        /^Failed to obtain carbon footprint information: result out of range/,
      ),
    });
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

const PREFIX = "Failed to obtain carbon footprint information: ";

/** The embedded lookup, counting its calls: a refused task must not reach it. */
function countingLookup(): { lookup: IntensityLookup; calls: () => number } {
  let calls = 0;
  const inner = embeddedIntensityLookup();
  return {
    lookup: (query) => {
      calls++;
      return inner(query);
    },
    calls: () => calls,
  };
}

function expectRefused(outcome: CarbonTaskOutcome, reason: string, restrains = ["bert-base"]) {
  expect(outcome).toMatchObject({
    ok: false,
    carbonFootprintG: 0,
    energyConsumptionKWh: 0,
    carbonIntensityGPerKWh: 0,
    error: { kind: "input-over-limit", message: `${PREFIX}${reason}` },
  });
  expect(outcome.extra).toEqual({
    num_outputs: 1,
    model_restrains: restrains,
    mode: "error",
    error: `${PREFIX}${reason}`,
  });
}

const userExtraOf = (json: string): UserExtra => {
  return readExtraData(new TextEncoder().encode(json));
};

describe("task input limits", () => {
  it("refuses a 100 KB region before looking anything up, naming the field and the limit", () => {
    const counting = countingLookup();
    const outcome = computeCarbonFootprint(
      inputs({
        userInput: { geo_location_region: "x".repeat(100_000), geo_location_continent: "Europe" },
        userExtra: { ok: true, value: { num_outputs: 3 } },
      }),
      { ...options, intensity: counting.lookup },
    );
    expectRefused(
      outcome,
      "UserInput.geo_location_region is 100000 characters long, over the limit of 256 (MAX_REGION_CHARS)",
    );
    expect(counting.calls()).toBe(0);
  });

  it("takes every string at its limit and refuses one character more", () => {
    const at = (n: number) => "a".repeat(n);
    const cases: [Partial<CarbonTaskInputs>, Partial<CarbonTaskInputs>, string, string[]][] = [
      [
        { model: { model: at(MAX_MODEL_NAME_CHARS), model_path: "m.onnx" } },
        { model: { model: at(MAX_MODEL_NAME_CHARS + 1), model_path: "m.onnx" } },
        "MLModel.model is 513 characters long, over the limit of 512 (MAX_MODEL_NAME_CHARS)",
        [],
      ],
      [
        { model: { model: "bert-base", model_path: at(MAX_MODEL_PATH_CHARS) } },
        { model: { model: "bert-base", model_path: at(MAX_MODEL_PATH_CHARS + 1) } },
        "MLModel.model_path is 4097 characters long, over the limit of 4096 (MAX_MODEL_PATH_CHARS)",
        ["bert-base"],
      ],
      [
        { userInput: { geo_location_region: "", geo_location_continent: at(MAX_CONTINENT_CHARS) } },
        {
          userInput: {
            geo_location_region: "",
            geo_location_continent: at(MAX_CONTINENT_CHARS + 1),
          },
        },
        "UserInput.geo_location_continent is 257 characters long, over the limit of 256 (MAX_CONTINENT_CHARS)",
        ["bert-base"],
      ],
      [
        { hw: { hw_description: at(MAX_HW_DESCRIPTION_CHARS), power_consumption: 1, latency: 1 } },
        {
          hw: {
            hw_description: at(MAX_HW_DESCRIPTION_CHARS + 1),
            power_consumption: 1,
            latency: 1,
          },
        },
        "HWResource.hw_description is 1025 characters long, over the limit of 1024 (MAX_HW_DESCRIPTION_CHARS)",
        ["bert-base"],
      ],
    ];
    for (const [within, over, reason, restrains] of cases) {
      const taken = computeCarbonFootprint(inputs(within), options);
      expect(taken.error?.message ?? "").not.toMatch(/over the limit/);
      expectRefused(computeCarbonFootprint(inputs(over), options), reason, restrains);
    }
    // A region at the limit is looked up (and unknown): the limit is not what refuses it.
    const region = computeCarbonFootprint(
      inputs({
        userInput: { geo_location_region: at(MAX_REGION_CHARS), geo_location_continent: "" },
      }),
      options,
    );
    expect(region.error?.message).toMatch(/unknown location/);
  });

  it("refuses extra_data nested 20,000 deep, keeping num_outputs and model_restrains", () => {
    const deep = `{"num_outputs":2,"model_restrains":[${"[".repeat(20_000)}${"]".repeat(20_000)}]}`;
    const counting = countingLookup();
    const outcome = computeCarbonFootprint(inputs({ userExtra: userExtraOf(deep) }), {
      ...options,
      intensity: counting.lookup,
    });
    expectRefused(
      outcome,
      "UserInput.extra_data nests arrays/objects deeper than the limit of 32 levels (at byte 66)",
    );
    expect(counting.calls()).toBe(0);
  });

  it("refuses extra_data over 64 KiB", () => {
    const big = JSON.stringify({ pad: "x".repeat(70_000) });
    expectRefused(
      computeCarbonFootprint(inputs({ userExtra: userExtraOf(big) }), options),
      "UserInput.extra_data is 70010 bytes, over the limit of 65536 bytes",
    );
  });

  it("refuses 60,000 model_restrains and a restriction longer than a model name", () => {
    const many = Array.from({ length: 60_000 }, (_, i) => `m${i}`);
    expectRefused(
      computeCarbonFootprint(
        inputs({ userExtra: { ok: true, value: { model_restrains: many } } }),
        options,
      ),
      "UserInput.extra_data.model_restrains has 60000 entries, over the limit of 1000 (MAX_MODEL_RESTRAINS)",
    );
    expectRefused(
      computeCarbonFootprint(
        inputs({
          userExtra: { ok: true, value: { model_restrains: ["t5", 7, "x".repeat(513)] } },
        }),
        options,
      ),
      "UserInput.extra_data.model_restrains[2] is 513 characters long, over the limit of 512 (MAX_MODEL_NAME_CHARS)",
    );
  });

  it("de-duplicates MAX_MODEL_RESTRAINS entries in first-seen order", () => {
    const restrains = Array.from({ length: MAX_MODEL_RESTRAINS }, (_, i) => `m${i % 300}`);
    restrains[5] = "bert-base";
    const outcome = computeCarbonFootprint(
      inputs({ userExtra: { ok: true, value: { model_restrains: restrains } } }),
      options,
    );
    expect(outcome.ok).toBe(true);
    const expected = ["bert-base", ...Array.from({ length: 300 }, (_, i) => `m${i}`)];
    // Index 5 is a repeat of the model; m5 is first seen at index 305, so it comes last.
    expected.splice(expected.indexOf("m5"), 1);
    expected.push("m5");
    expect(outcome.extra.model_restrains).toEqual(expected);
  });

  it("skips non-string restrictions with one bounded warning, however many there are", () => {
    const items = Array.from({ length: MAX_MODEL_RESTRAINS }, (_, i) =>
      i === 0 ? "t5" : i % 2 === 0 ? { deep: [i] } : i,
    );
    const outcome = computeCarbonFootprint(
      inputs({ userExtra: { ok: true, value: { num_outputs: 2, model_restrains: items } } }),
      options,
    );
    expect(outcome.ok).toBe(true);
    expect(outcome.warnings).toEqual([
      "user model_restrains: 999 entries are not a string (first: [1] 1); skipped",
    ]);
    expect(outcome.extra).toMatchObject({
      num_outputs: 2,
      model_restrains: ["bert-base", "t5"],
      warnings: outcome.warnings,
    });
  });

  it("shows a bad num_outputs by a short preview, never in full", () => {
    const outcome = computeCarbonFootprint(
      inputs({ userExtra: { ok: true, value: { num_outputs: "n".repeat(5_000) } } }),
      options,
    );
    expect(outcome.warnings).toEqual([
      `user num_outputs "${"n".repeat(40)}"... (5000 characters) is not a positive integer; 1 used`,
    ]);
    const huge = computeCarbonFootprint(
      inputs({ userExtra: { ok: true, value: { num_outputs: 1e300 } } }),
      options,
    );
    expect(huge.extra.num_outputs).toBe(1);
    expect(huge.warnings).toEqual(["user num_outputs 1e+300 is not a positive integer; 1 used"]);
  });
});

describe("overflow and undescribed hardware", () => {
  const finite = (outcome: CarbonTaskOutcome) =>
    [outcome.carbonFootprintG, outcome.energyConsumptionKWh, outcome.carbonIntensityGPerKWh].every(
      Number.isFinite,
    );

  it("reports power 1e200 W x latency 1e200 h as an energy overflow, not NaN", () => {
    const outcome = computeCarbonFootprint(
      inputs({ hw: { hw_description: "x", power_consumption: 1e200, latency: 1e200 } }),
      options,
    );
    expect(finite(outcome)).toBe(true);
    expect(outcome).toMatchObject({ ok: false, carbonFootprintG: 0 });
    expect(outcome.extra).toMatchObject({
      num_outputs: 1,
      mode: "error",
      error: `${PREFIX}result out of range: the energy for 1e+200 W over 3.6e+203 s at PUE 1 and 146.15 gCO2eq/kWh is beyond the largest number (about 1.8e308 J)`,
    });
  });

  it("reports a 1e308 g/kWh grid intensity as a carbon overflow", () => {
    const outcome = computeCarbonFootprint(
      inputs({ hw: { hw_description: "x", power_consumption: 1000, latency: 2 } }),
      { ...options, intensity: embeddedIntensityLookup(1e308) },
    );
    expect(finite(outcome)).toBe(true);
    expect(outcome.ok).toBe(false);
    expect(outcome.extra).toMatchObject({
      num_outputs: 1,
      error: `${PREFIX}result out of range: the carbon for 1000 W over 7200 s at PUE 1 and 1e+308 gCO2eq/kWh is beyond the largest number (about 1.8e308 gCO2eq)`,
    });
  });

  it("computes a task whose hw_description is empty or blank from its power and latency", () => {
    const described = computeCarbonFootprint(inputs(), options);
    for (const hw_description of ["", "   "]) {
      const outcome = computeCarbonFootprint(
        inputs({ hw: { hw_description, power_consumption: 100, latency: 0.01 } }),
        options,
      );
      expect(outcome.ok).toBe(true);
      expect(outcome.error).toBeUndefined();
      expect(outcome.energyConsumptionKWh).toBe(described.energyConsumptionKWh);
      expect(outcome.carbonFootprintG).toBe(described.carbonFootprintG);
    }
    expect(UNDESCRIBED_HARDWARE).toBe("hardware: not described");
  });
});
