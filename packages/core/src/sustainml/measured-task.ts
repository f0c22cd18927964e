import type { JsonObject, JsonValue } from "@wattprint/messages";
import {
  admitTask,
  type CarbonTaskErrorKind,
  type CarbonTaskInputs,
  type CarbonTaskOptions,
  type CarbonTaskOutcome,
  computeCarbonFootprint,
  failedOutcome,
  gridCiSource,
  intensityJson,
  provenanceJson,
} from "./carbon-task.ts";
import { TASK_ERROR_PREFIX } from "./input-limits.ts";

/**
 * What a measurement window gave: the energy of the whole window and the forward passes run
 * in it. `detail` is the measurer's own account (devices, model hash, ...), copied into
 * `extra_data.measurement` as it is.
 */
export interface MeasuredWork {
  /** Joules over the window, every counted component. */
  readonly energyJ: number;
  readonly inferences: number;
  readonly windowS: number;
  readonly detail: JsonObject;
}

const JOULES_PER_KWH = 3.6e6;

export const MEASURED_FORMULA =
  "energy_kWh = window_energy_J / inferences / 3.6e6 x PUE; carbon_g = energy_kWh x intensity";

/**
 * The Carbontracker Node's `tracker` path: the footprint of one inference from a measured
 * window, energy_kWh = window_J / inferences / 3.6e6 × PUE and carbon_g = energy_kWh ×
 * intensity, with the intensity from the same lookup as the estimate path. Unlike the
 * reference node (§11.4), energy and carbon come from the same measurement, and the
 * inference count is the passes actually run, not the window divided by the HW node's
 * latency. When the HW inputs allow an estimate too, its figures sit beside the measured ones
 * in `extra_data.estimate`. Never throws.
 */
export function computeMeasuredFootprint(
  inputs: CarbonTaskInputs,
  work: MeasuredWork,
  options: CarbonTaskOptions,
): CarbonTaskOutcome {
  const admitted = admitTask(inputs);
  if (admitted.refusal !== undefined) return admitted.refusal;
  const { base, warnings } = admitted.merge;
  const failed = (kind: CarbonTaskErrorKind, why: string) =>
    failedOutcome(base, warnings, "error", kind, `${TASK_ERROR_PREFIX}${why}`);
  if (!Number.isFinite(work.energyJ) || work.energyJ < 0) {
    return failed("invalid-measurement", `measured energy ${work.energyJ} J is not usable`);
  }
  if (!Number.isSafeInteger(work.inferences) || work.inferences < 1) {
    return failed(
      "invalid-measurement",
      `the measurement window ran ${work.inferences} inferences; at least one is needed`,
    );
  }
  if (!Number.isFinite(work.windowS) || work.windowS <= 0) {
    return failed("invalid-measurement", `measurement window ${work.windowS} s is not usable`);
  }
  const intensity = options.intensity({
    region: inputs.userInput.geo_location_region,
    continent: inputs.userInput.geo_location_continent,
  });
  if (!intensity.ok) return failed(intensity.error.kind, intensity.error.message);

  const energyKWh = (work.energyJ / work.inferences / JOULES_PER_KWH) * options.pue.value;
  const intensityG = intensity.value.intensity.value;
  const carbonG = energyKWh * intensityG;
  // The estimate path refuses a figure past the largest double (estimate.ts, `outOfRange`);
  // this one published `Infinity` as a success (a huge window energy, or an intensity from a
  // lookup with no upper bound). The same refusal, naming the quantity that overflowed.
  const overflowed = !Number.isFinite(energyKWh)
    ? "energy"
    : !Number.isFinite(carbonG)
      ? "carbon"
      : undefined;
  if (overflowed !== undefined) {
    return failed(
      "result-out-of-range",
      `result out of range: the ${overflowed} of ${work.energyJ} J over ${work.inferences} ` +
        `inferences at PUE ${options.pue.value} and ${intensityG} gCO2eq/kWh is beyond the ` +
        `largest number (about 1.8e308 ${overflowed === "energy" ? "kWh" : "g"})`,
    );
  }
  const extra: Record<string, JsonValue> = {
    ...base,
    mode: "tracker",
    inferences: work.inferences,
    window_s: work.windowS,
    window_energy_j: work.energyJ,
    grid_ci_source: gridCiSource(intensity.value),
    pue: options.pue.value,
    intensity: intensityJson(intensity.value),
    pue_source: provenanceJson(options.pue.provenance),
    formula: MEASURED_FORMULA,
    measurement: work.detail,
  };
  const estimate = estimateBeside(inputs, options);
  if (estimate !== undefined) extra.estimate = estimate;
  if (warnings.length > 0) extra.warnings = [...warnings];
  return {
    ok: true,
    carbonFootprintG: carbonG,
    energyConsumptionKWh: energyKWh,
    carbonIntensityGPerKWh: intensityG,
    extra,
    warnings,
  };
}

/** The estimate path's figures, when the HW node sent a power and a latency above zero. */
function estimateBeside(
  inputs: CarbonTaskInputs,
  options: CarbonTaskOptions,
): JsonObject | undefined {
  const { power_consumption: powerW, latency } = inputs.hw;
  if (!(Number.isFinite(powerW) && powerW > 0 && Number.isFinite(latency) && latency > 0)) {
    return undefined;
  }
  const estimated = computeCarbonFootprint(inputs, options);
  if (!estimated.ok) return undefined;
  return {
    energy_consumption: estimated.energyConsumptionKWh,
    carbon_footprint: estimated.carbonFootprintG,
    power_w: powerW,
    latency,
    latency_unit: options.latencyUnit,
    formula: String(estimated.extra.formula),
  };
}
