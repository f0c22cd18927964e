import type { Result } from "@wattprint/result";
import type { Provenance } from "../provenance.ts";
import type { PueValue } from "../pue.ts";
import type { Duration, Power } from "../units/quantity.ts";
import { type Estimate, type EstimateError, estimate, type IntensityInput } from "./estimate.ts";

export interface InferenceInput {
  /** Device power while serving, e.g. SustainML's `HWResource.power_consumption` in W. */
  readonly power: Power;
  readonly powerProvenance: Provenance;
  readonly hardwareName: string;
  /** Time one inference takes; the unit is explicit because upstream sends ms, s or h. */
  readonly latency: Duration;
  /** How many inferences; 1 gives the per-inference footprint. */
  readonly count?: number;
  readonly intensity: IntensityInput;
  readonly pue: PueValue;
}

/** Per-inference footprint: energy = power x latency (x count) x PUE. */
export function estimateInference(input: InferenceInput): Result<Estimate, EstimateError> {
  return estimate({
    components: [
      {
        name: input.hardwareName,
        kind: "accelerator",
        power: input.power,
        count: 1,
        provenance: input.powerProvenance,
      },
    ],
    work: { kind: "inferences", latency: input.latency, count: input.count ?? 1 },
    intensity: input.intensity,
    pue: input.pue,
  });
}
