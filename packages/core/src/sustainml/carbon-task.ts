import type {
  HWResourceImpl,
  JsonObject,
  JsonValue,
  MLModelImpl,
  UserInputImpl,
} from "@wattprint/messages";
import { type Failure, failure, type Result } from "@wattprint/result";
import type { EstimateError, IntensityInput } from "../estimate/estimate.ts";
import { dataYearOf } from "../estimate/estimate-input.ts";
import { estimateInference } from "../estimate/inference.ts";
import type { IntensityError } from "../intensity/grid-intensity.ts";
import type { Provenance } from "../provenance.ts";
import type { PueValue } from "../pue.ts";
import { convertEnergy, type DurationUnit, watts } from "../units/quantity.ts";
import {
  type ExtraMerge,
  type FootprintExtraBase,
  footprintExtraBase,
  refusedBase,
  type UserExtra,
} from "./extra-data.ts";
import { firstOversizeString, TASK_ERROR_PREFIX } from "./input-limits.ts";

/**
 * The unit of `HWResource.latency`. SustainML never fixed it: v0.1/v0.2 assumed ms, main
 * assumes hours, and the HW providers send seconds or hours (docs/sustainml-wire.md §12.2).
 */
export type LatencyUnit = Extract<DurationUnit, "h" | "s" | "ms">;
export const DEFAULT_LATENCY_UNIT: LatencyUnit = "h";

export interface IntensityQuery {
  readonly region: string;
  readonly continent: string;
}

/** The grid intensity for a task's region and continent, or why there is none. */
export type IntensityLookup = (
  query: IntensityQuery,
) => Result<IntensityInput, Failure<IntensityError["kind"]>>;

export interface CarbonTaskOptions {
  readonly latencyUnit: LatencyUnit;
  readonly pue: PueValue;
  /** Resolves the user's region/continent (or an override such as SUSTAINML_GRID_CI). */
  readonly intensity: IntensityLookup;
}

export interface CarbonTaskInputs {
  readonly model: Pick<MLModelImpl, "model" | "model_path">;
  readonly userInput: Pick<UserInputImpl, "geo_location_region" | "geo_location_continent">;
  /** The user input's `extra_data`, parsed by the caller (the bytes are a wire concern). */
  readonly userExtra: UserExtra;
  readonly hw: Pick<HWResourceImpl, "hw_description" | "power_consumption" | "latency">;
}

/**
 * Why a task has no footprint: an input over a size limit (`input-over-limit`), the model
 * NO_MODEL (`no-model`, the reference node's answer), a power or latency that is negative or
 * not finite (`invalid-hw-resource`), a measurement without energy or inferences
 * (`invalid-measurement`, see measured-task.ts), no grid intensity for the region, an estimate
 * error, or a fault in the code that handled the task (`internal-error`, `internalFailure`).
 */
export type CarbonTaskErrorKind =
  | "input-over-limit"
  | "internal-error"
  | "no-model"
  | "invalid-hw-resource"
  | "invalid-measurement"
  | IntensityError["kind"]
  | EstimateError["kind"];

/** `message` is the text published as the status error description and `extra_data.error`. */
export type CarbonTaskError = Failure<CarbonTaskErrorKind>;

export interface CarbonTaskOutcome {
  readonly ok: boolean;
  /** grams CO2eq */
  readonly carbonFootprintG: number;
  /** kWh */
  readonly energyConsumptionKWh: number;
  /** gCO2eq/kWh */
  readonly carbonIntensityGPerKWh: number;
  /** The CO2Footprint `extra_data` object, always with `num_outputs` and `model_restrains`. */
  readonly extra: JsonObject;
  /** Set when `ok` is false; its message is the status error description. */
  readonly error?: CarbonTaskError;
  readonly warnings: readonly string[];
}

/** The same few provenances every task (one per zone, one PUE): their JSON is built once. */
const provenanceJsonCache = new WeakMap<Provenance, JsonObject>();

export function provenanceJson(provenance: Provenance): JsonObject {
  let json = provenanceJsonCache.get(provenance);
  if (!json) {
    json = Object.freeze(buildProvenanceJson(provenance));
    provenanceJsonCache.set(provenance, json);
  }
  return json;
}

const intensityJsonCache = new WeakMap<IntensityInput, JsonObject>();

/** The `intensity` member of extra_data; lookups are cached per region, so is this. */
export function intensityJson(intensity: IntensityInput): JsonObject {
  let json = intensityJsonCache.get(intensity);
  if (!json) {
    const year = dataYearOf(intensity);
    json = Object.freeze({
      zone: intensity.zone,
      ...(intensity.zoneName !== undefined ? { zone_name: intensity.zoneName } : {}),
      ...(intensity.level !== undefined ? { level: intensity.level } : {}),
      ...(year !== undefined ? { year } : {}),
      source: provenanceJson(intensity.provenance),
    });
    intensityJsonCache.set(intensity, json);
  }
  return json;
}

function buildProvenanceJson(provenance: Provenance): JsonObject {
  const { source } = provenance;
  // A user-supplied value (SUSTAINML_GRID_CI) has no data year: the member is left out,
  // and the others keep their order.
  const json: Record<string, JsonValue> = {
    id: source.id,
    title: source.title,
    url: source.url,
    ...(source.year !== undefined ? { year: source.year } : {}),
    method: provenance.method,
  };
  if (source.licence !== undefined) json.licence = source.licence;
  if (provenance.note !== undefined) json.note = provenance.note;
  return json;
}

const NO_WARNINGS: readonly string[] = Object.freeze([]);

/** What the estimate names a device whose HW resource carries no description. */
export const UNDESCRIBED_HARDWARE = "hardware: not described";

function powerProvenance(hardwareName: string): Provenance {
  return {
    source: {
      id: "sustainml-hw-resource",
      title: "HWResource.power_consumption from the HW resources node",
      url: "",
      year: new Date().getUTCFullYear(),
    },
    method:
      hardwareName === UNDESCRIBED_HARDWARE
        ? `reported by the HW resources node; ${UNDESCRIBED_HARDWARE}`
        : `reported for ${hardwareName}`,
  };
}

/** Zeros and the reference node's message, with no input read beyond the model's name. */
function failedWithoutInputs(
  model: string,
  kind: CarbonTaskErrorKind,
  why: string,
): CarbonTaskOutcome {
  const message = `${TASK_ERROR_PREFIX}${why}`;
  return {
    ok: false,
    carbonFootprintG: 0,
    energyConsumptionKWh: 0,
    carbonIntensityGPerKWh: 0,
    extra: { ...refusedBase(model), mode: "error", error: message },
    error: failure(kind, message),
    warnings: NO_WARNINGS,
  };
}

/** A refusal before any work: the task's inputs are over a size limit (see input-limits.ts). */
function refused(model: string, why: string): CarbonTaskOutcome {
  return failedWithoutInputs(model, "input-over-limit", why);
}

/**
 * A task whose handling failed where nothing foresaw it (a bug, an adapter that threw): zeros
 * and the reference node's message, as its catch-all `except` publishes, so the orchestrator
 * still reads a JSON `extra_data` with `num_outputs` and `model_restrains`.
 */
export function internalFailure(model: string, why: string): CarbonTaskOutcome {
  return failedWithoutInputs(model, "internal-error", why);
}

/**
 * A task's `extra_data` base, or its refusal when an input is over a size limit (checked
 * before anything is done with them). One shape either way: this runs on every task.
 */
export function admitTask(inputs: CarbonTaskInputs): {
  readonly merge: ExtraMerge;
  readonly refusal: CarbonTaskOutcome | undefined;
} {
  const oversize = firstOversizeString(inputs);
  if (oversize !== undefined) {
    return { merge: NOT_ADMITTED, refusal: refused(inputs.model.model, oversize) };
  }
  const merge = extraBase(inputs.model.model, inputs.userExtra);
  return {
    merge,
    refusal: merge.refused !== undefined ? refused(inputs.model.model, merge.refused) : undefined,
  };
}

const NOT_ADMITTED: ExtraMerge = Object.freeze({
  base: Object.freeze({ num_outputs: 1, model_restrains: [] }),
  warnings: NO_WARNINGS,
});

/** A task that failed after its inputs were taken: zeros, the mode and the reason. */
export function failedOutcome(
  base: FootprintExtraBase,
  warnings: readonly string[],
  mode: string,
  kind: CarbonTaskErrorKind,
  message: string,
): CarbonTaskOutcome {
  return {
    ok: false,
    carbonFootprintG: 0,
    energyConsumptionKWh: 0,
    carbonIntensityGPerKWh: 0,
    extra: { ...base, mode, error: message },
    error: failure(kind, message),
    warnings,
  };
}

/**
 * The Carbontracker Node's task: footprint of one inference of `model` on `hw`.
 * energy_kWh = power_W x latency_h / 1000 x PUE (estimateFormula for other latency units);
 * carbon_g = energy_kWh x intensity_g/kWh.
 * Never throws: every failure is an outcome with `mode: "error"` and the reason. Inputs over
 * a size limit are refused before anything is done with them.
 */
export function computeCarbonFootprint(
  inputs: CarbonTaskInputs,
  options: CarbonTaskOptions,
): CarbonTaskOutcome {
  const admitted = admitTask(inputs);
  if (admitted.refusal !== undefined) return admitted.refusal;
  const { base, warnings } = admitted.merge;
  const failed = (mode: string, kind: CarbonTaskErrorKind, message: string) =>
    failedOutcome(base, warnings, mode, kind, message);

  if (inputs.model.model.trim().toUpperCase() === "NO_MODEL") {
    const message = "No model selected (NO_MODEL). Carbon footprint not computed.";
    return failed("no_model", "no-model", message);
  }
  const { power_consumption: powerW, latency } = inputs.hw;
  if (!Number.isFinite(powerW) || powerW < 0 || !Number.isFinite(latency) || latency < 0) {
    return failed(
      "error",
      "invalid-hw-resource",
      `${TASK_ERROR_PREFIX}HW resource power_consumption (${powerW} W) and latency (${latency} ${options.latencyUnit}) must be finite and non-negative`,
    );
  }
  const intensity = options.intensity({
    region: inputs.userInput.geo_location_region,
    continent: inputs.userInput.geo_location_continent,
  });
  if (!intensity.ok) {
    return failed("error", intensity.error.kind, `${TASK_ERROR_PREFIX}${intensity.error.message}`);
  }
  // The description only labels the estimate: the power comes from power_consumption, so an
  // empty one must not fail the task. It says so rather than inventing a name.
  const description = inputs.hw.hw_description.trim();
  const hardwareName = description === "" ? UNDESCRIBED_HARDWARE : description;
  const result = estimateInference({
    power: watts(powerW),
    powerProvenance: powerProvenance(hardwareName),
    hardwareName,
    latency: { value: latency, unit: options.latencyUnit },
    intensity: intensity.value,
    pue: options.pue,
  });
  if (!result.ok) {
    return failed("error", result.error.kind, `${TASK_ERROR_PREFIX}${result.error.message}`);
  }

  const energyKWh = convertEnergy(result.value.energy, "kWh").value;
  const intensityValue = intensity.value;
  const mode = inputs.model.model_path.toLowerCase().endsWith(".onnx") ? "onnx_hw_only" : "hw_only";
  return {
    ok: true,
    carbonFootprintG: result.value.carbon.value,
    energyConsumptionKWh: energyKWh,
    carbonIntensityGPerKWh: intensityValue.intensity.value,
    extra: successExtra(base, warnings, mode, intensityValue, options),
    warnings,
  };
}

/**
 * The last task's extra_data parts, reused while the next task has the same model, user
 * extra (the same parsed object), intensity and settings: nothing in extra_data is per task,
 * and a burst of one problem's tasks would otherwise rebuild (and re-serialize) it each time.
 * The objects are frozen because outcomes share them.
 */
let lastBase:
  | {
      readonly model: string;
      readonly userExtra: UserExtra;
      readonly merge: ExtraMerge;
    }
  | undefined;
let lastExtra:
  | {
      readonly base: FootprintExtraBase;
      readonly mode: string;
      readonly intensity: IntensityInput;
      readonly options: CarbonTaskOptions;
      readonly extra: JsonObject;
    }
  | undefined;

function extraBase(model: string, userExtra: UserExtra): ExtraMerge {
  if (lastBase?.model === model && lastBase.userExtra === userExtra) return lastBase.merge;
  const merge = footprintExtraBase(model, userExtra);
  lastBase = { model, userExtra, merge };
  return merge;
}

/** `extra_data.grid_ci_source`: `env` for an override (the reference node's word), else where from. */
export function gridCiSource(intensity: IntensityInput): string {
  return intensity.level === "override" ? "env" : intensity.level === "live" ? "live" : "embedded";
}

/**
 * What the latency is divided by to turn W x latency into kWh: 1000 W per kW, times 3600 s
 * per hour for seconds and 3.6e6 ms per hour for milliseconds.
 */
const KWH_DIVISOR_TEXT: Readonly<Record<LatencyUnit, string>> = {
  h: "1000",
  s: "3.6e6",
  ms: "3.6e9",
};

const formulaIn = (latencyUnit: LatencyUnit): string =>
  `energy_kWh = power_W x latency_${latencyUnit} / ${KWH_DIVISOR_TEXT[latencyUnit]} x PUE; ` +
  "carbon_g = energy_kWh x intensity";

/** Built once per unit: a task's extra_data is on the bus node's per-task path. */
const FORMULA_TEXT: Readonly<Record<LatencyUnit, string>> = {
  h: formulaIn("h"),
  s: formulaIn("s"),
  ms: formulaIn("ms"),
};

/** `extra_data.formula` in the unit the latency was read in, so the text matches the numbers. */
export function estimateFormula(latencyUnit: LatencyUnit): string {
  return FORMULA_TEXT[latencyUnit];
}

function successExtra(
  base: FootprintExtraBase,
  warnings: readonly string[],
  mode: string,
  intensity: IntensityInput,
  options: CarbonTaskOptions,
): JsonObject {
  const last = lastExtra;
  if (
    last?.base === base &&
    last.mode === mode &&
    last.intensity === intensity &&
    last.options.pue === options.pue &&
    last.options.latencyUnit === options.latencyUnit
  ) {
    return last.extra;
  }
  const extra: Record<string, JsonValue> = {
    ...base,
    mode,
    grid_ci_source: gridCiSource(intensity),
    latency_unit: options.latencyUnit,
    pue: options.pue.value,
    intensity: intensityJson(intensity),
    pue_source: provenanceJson(options.pue.provenance),
    formula: estimateFormula(options.latencyUnit),
  };
  if (warnings.length > 0) extra.warnings = [...warnings];
  Object.freeze(extra);
  lastExtra = { base, mode, intensity, options, extra };
  return extra;
}
