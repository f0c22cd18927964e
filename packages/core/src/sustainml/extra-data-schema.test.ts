import { co2ExtraDataSchema, readExtraData, writeExtraData } from "@wattprint/messages";
import { ok } from "@wattprint/result";
import { describe, expect, it } from "vitest";
import { resolvePue } from "../pue.ts";
import {
  type CarbonTaskInputs,
  type CarbonTaskOutcome,
  computeCarbonFootprint,
  type IntensityLookup,
} from "./carbon-task.ts";
import { embeddedIntensityLookup } from "./intensity-lookup.ts";
import { computeMeasuredFootprint } from "./measured-task.ts";

const pueOne = resolvePue("local");
if (!pueOne.ok) throw new Error("local PUE");
const embedded = embeddedIntensityLookup();
const options = { latencyUnit: "h" as const, pue: pueOne.value, intensity: embedded };

/** The embedded answer relabelled as a live provider's, as the live resolver labels its own. */
const live: IntensityLookup = (query) => {
  const found = embedded(query);
  return found.ok ? ok({ ...found.value, level: "live" }) : found;
};

function inputs(overrides: Partial<CarbonTaskInputs> = {}): CarbonTaskInputs {
  return {
    model: { model: "gpt2", model_path: "hub/gpt2" },
    userInput: { geo_location_region: "Spain", geo_location_continent: "Europe" },
    userExtra: { ok: true, value: { num_outputs: 2 } },
    hw: { hw_description: "PIM_AI_1chip", power_consumption: 100, latency: 0.01 },
    ...overrides,
  };
}

const work = { energyJ: 36, inferences: 1000, windowS: 1.2, detail: { devices: [] } };

/** extra_data as it reaches a peer: written to bytes and read back, then checked. */
function onTheWire(outcome: CarbonTaskOutcome) {
  const read = readExtraData(writeExtraData(outcome.extra));
  if (!read.ok) throw new Error(read.error.message);
  return co2ExtraDataSchema.safeParse(read.value);
}

describe("co2ExtraDataSchema against the core's own extra_data", () => {
  it.each([
    ["hw_only", "embedded", computeCarbonFootprint(inputs(), options)],
    [
      "onnx_hw_only",
      "embedded",
      computeCarbonFootprint(inputs({ model: { model: "m", model_path: "m.onnx" } }), options),
    ],
    [
      "hw_only",
      "env",
      computeCarbonFootprint(inputs(), { ...options, intensity: embeddedIntensityLookup(300) }),
    ],
    ["hw_only", "live", computeCarbonFootprint(inputs(), { ...options, intensity: live })],
    ["tracker", "embedded", computeMeasuredFootprint(inputs(), work, options)],
    ["tracker", "live", computeMeasuredFootprint(inputs(), work, { ...options, intensity: live })],
    [
      "no_model",
      undefined,
      computeCarbonFootprint(inputs({ model: { model: "NO_MODEL", model_path: "" } }), options),
    ],
    [
      "error",
      undefined,
      computeCarbonFootprint(
        inputs({ userInput: { geo_location_region: "Atlantis", geo_location_continent: "" } }),
        options,
      ),
    ],
  ])("passes a %s task with grid_ci_source %s", (mode, source, outcome) => {
    expect(outcome.extra.mode).toBe(mode);
    expect(outcome.extra.grid_ci_source).toBe(source);
    expect(onTheWire(outcome).error?.issues).toBeUndefined();
  });
});
