import { err, type Failure, failure, ok, type Result } from "@wattprint/result";
import type { Provenance } from "../provenance.ts";
import type { PueValue } from "../pue.ts";
import {
  type Carbon,
  carbonOf,
  convertDuration,
  convertEnergy,
  convertPower,
  type Duration,
  type Energy,
  energyOf,
  kilowattHours,
  type Power,
  seconds,
} from "../units/quantity.ts";
import type { EstimateInput, IntensityInput, PowerComponent, Work } from "./estimate-input.ts";
import { firstInvalidInput } from "./input-checks.ts";
import { type LeftOut, leftOut } from "./left-out.ts";

export type { EstimateInput, IntensityInput, PowerComponent, Work } from "./estimate-input.ts";

export interface ComponentEstimate {
  readonly name: string;
  readonly kind: PowerComponent["kind"] | "facility";
  readonly count: number;
  readonly power: Power<"W">;
  readonly energy: Energy<"kWh">;
  readonly carbon: Carbon<"gCO2eq">;
  readonly provenance: Provenance;
}

export interface Estimate {
  readonly work: Work;
  readonly duration: Duration<"s">;
  /** Energy drawn by the hardware itself. */
  readonly itEnergy: Energy<"kWh">;
  /** IT energy times PUE: what the grid delivers. */
  readonly energy: Energy<"kWh">;
  readonly carbon: Carbon<"gCO2eq">;
  readonly intensity: IntensityInput;
  readonly pue: PueValue;
  /** One row per component plus the facility overhead; rows add up to `energy` and `carbon`. */
  readonly breakdown: readonly ComponentEstimate[];
  readonly formula: string;
  /** The host parts an estimate of accelerators does not count, and how to add them. */
  readonly leftOut?: LeftOut;
}

/** A quantity the estimate computes; named when one of them overflows. */
export type EstimatedQuantity = "duration" | "power" | "energy" | "carbon";

export type EstimateError =
  /** A number of the input is invalid; `field` is its path, e.g. `components.0.count`. */
  | (Failure<"invalid-estimate-input"> & { readonly field: string })
  /** Every input was finite, but a product of them is not (past about 1.8e308). */
  | (Failure<"result-out-of-range"> & { readonly quantity: EstimatedQuantity });

const UNIT_OF: Readonly<Record<EstimatedQuantity, string>> = {
  duration: "s",
  power: "W",
  energy: "J",
  carbon: "gCO2eq",
};

const JOULES_PER_KWH = 3_600_000;

/**
 * The error for a total that overflowed, naming the inputs as numbers (the CLI adds the flags
 * they came from). Energy is checked in joules, the smallest unit anything converts it to.
 */
function outOfRange(
  quantity: EstimatedQuantity,
  input: EstimateInput,
): Result<never, EstimateError> {
  const powerW = input.components.reduce(
    (sum, c) => sum + convertPower(c.power, "W").value * c.count,
    0,
  );
  const durationS = workDuration(input.work).value;
  const message =
    `result out of range: the ${quantity} for ${powerW} W over ${durationS} s at PUE ` +
    `${input.pue.value} and ${input.intensity.intensity.value} gCO2eq/kWh is beyond the ` +
    `largest number (about 1.8e308 ${UNIT_OF[quantity]})`;
  return err(failure("result-out-of-range", message, { quantity }));
}

export function workDuration(work: Work): Duration<"s"> {
  if (work.kind === "duration") return convertDuration(work.duration, "s");
  return seconds(convertDuration(work.latency, "s").value * work.count);
}

/**
 * energy = sum(power x count x time) x PUE; carbon = energy x intensity.
 * Rows are computed per component so the breakdown sums exactly to the totals.
 * Finite inputs can still multiply to Infinity (1e200 W x 1e200 h), and Infinity x 0 (the
 * overhead at PUE 1) to NaN: the totals are checked, in the order they are computed, so the
 * error names the first quantity that overflowed. All terms are non-negative, so finite
 * totals mean finite rows.
 */
export function estimate(input: EstimateInput): Result<Estimate, EstimateError> {
  const invalid = firstInvalidInput(input);
  if (invalid !== undefined) {
    return err(failure("invalid-estimate-input", invalid.message, { field: invalid.field }));
  }
  const duration = workDuration(input.work);
  if (!Number.isFinite(duration.value)) return outOfRange("duration", input);
  const rows: ComponentEstimate[] = input.components.map((component) => {
    const powerW = convertPower(component.power, "W").value * component.count;
    const energy = convertEnergy(energyOf({ value: powerW, unit: "W" }, duration), "kWh");
    return {
      name: component.name,
      kind: component.kind,
      count: component.count,
      power: { value: powerW, unit: "W" },
      energy,
      carbon: carbonOf(energy, input.intensity.intensity),
      provenance: component.provenance,
    };
  });
  const itKWh = rows.reduce((sum, row) => sum + row.energy.value, 0);
  const itPowerW = rows.reduce((sum, row) => sum + row.power.value, 0);
  if (!Number.isFinite(itPowerW) || !Number.isFinite(itPowerW * input.pue.value)) {
    return outOfRange("power", input);
  }
  if (!Number.isFinite(itKWh * JOULES_PER_KWH)) return outOfRange("energy", input);
  const overhead = kilowattHours(itKWh * (input.pue.value - 1));
  const facilityPowerW = itPowerW * (input.pue.value - 1);
  rows.push({
    name: "facility overhead (PUE)",
    kind: "facility",
    count: 1,
    power: { value: facilityPowerW, unit: "W" },
    energy: overhead,
    carbon: carbonOf(overhead, input.intensity.intensity),
    provenance: input.pue.provenance,
  });
  const energy = kilowattHours(itKWh + overhead.value);
  if (!Number.isFinite(energy.value * JOULES_PER_KWH)) return outOfRange("energy", input);
  const carbon = carbonOf(energy, input.intensity.intensity);
  if (!Number.isFinite(carbon.value)) return outOfRange("carbon", input);
  const missing = leftOut(input.components);
  return ok({
    work: input.work,
    duration,
    itEnergy: kilowattHours(itKWh),
    energy,
    carbon,
    intensity: input.intensity,
    pue: input.pue,
    breakdown: rows,
    formula:
      "energy_kWh = sum(power_W x count) x duration_h / 1000 x PUE; carbon_g = energy_kWh x intensity_g/kWh",
    ...(missing !== undefined ? { leftOut: missing } : {}),
  });
}
