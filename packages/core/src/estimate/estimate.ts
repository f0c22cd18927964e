import type { Provenance } from "../provenance.ts";
import type { PueValue } from "../pue.ts";
import { err, ok, type Result } from "../result.ts";
import {
  type Carbon,
  type CarbonIntensity,
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
import { firstInvalidInput } from "./input-checks.ts";

/** One kind of part drawing power while the work runs (already scaled by its utilisation). */
export interface PowerComponent {
  readonly name: string;
  readonly kind: "cpu" | "gpu" | "accelerator" | "memory" | "other";
  readonly power: Power;
  readonly count: number;
  readonly provenance: Provenance;
}

export type Work =
  | { readonly kind: "duration"; readonly duration: Duration }
  | { readonly kind: "inferences"; readonly latency: Duration; readonly count: number };

/** Structural: any resolved grid intensity (embedded, live or user-given) fits. */
export interface IntensityInput {
  readonly zone: string;
  readonly zoneName?: string;
  /** How the zone was resolved: override, live, zone, country, continent or world. */
  readonly level?: string;
  readonly year?: number;
  readonly intensity: CarbonIntensity;
  readonly provenance: Provenance;
}

export interface EstimateInput {
  readonly components: readonly PowerComponent[];
  readonly work: Work;
  readonly intensity: IntensityInput;
  readonly pue: PueValue;
}

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
}

export interface EstimateError {
  /** A bad input value, or valid inputs whose product is beyond the range of a double. */
  readonly kind: "invalid-estimate-input" | "result-out-of-range";
  readonly message: string;
}

const JOULES_PER_KWH = 3_600_000;

/**
 * Finite inputs can still multiply past the largest double (1e308 W for an hour): the totals
 * then read Infinity or NaN, which no report can carry. Every row is a non-negative share of
 * a total, so checking the totals covers the rows too: a task pays five comparisons and no
 * allocation. Energy is checked in joules, the smallest unit anything converts it to.
 */
function overflowOf(
  durationS: number,
  itPowerW: number,
  facilityPowerW: number,
  energyKWh: number,
  carbonG: number,
  input: EstimateInput,
): string | undefined {
  if (
    Number.isFinite(durationS) &&
    Number.isFinite(itPowerW) &&
    Number.isFinite(facilityPowerW) &&
    Number.isFinite(energyKWh * JOULES_PER_KWH) &&
    Number.isFinite(carbonG)
  ) {
    return undefined;
  }
  return (
    `result out of range: ${itPowerW} W for ${durationS} s at PUE ${input.pue.value} and ` +
    `${input.intensity.intensity.value} gCO2eq/kWh is beyond the largest number (about 1.8e308)`
  );
}

export function workDuration(work: Work): Duration<"s"> {
  if (work.kind === "duration") return convertDuration(work.duration, "s");
  return seconds(convertDuration(work.latency, "s").value * work.count);
}

/**
 * energy = sum(power x count x time) x PUE; carbon = energy x intensity.
 * Rows are computed per component so the breakdown sums exactly to the totals.
 */
export function estimate(input: EstimateInput): Result<Estimate, EstimateError> {
  const invalid = firstInvalidInput(input);
  if (invalid !== undefined) return err({ kind: "invalid-estimate-input", message: invalid });
  const duration = workDuration(input.work);
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
  const carbon = carbonOf(energy, input.intensity.intensity);
  const overflow = overflowOf(
    duration.value,
    itPowerW,
    facilityPowerW,
    energy.value,
    carbon.value,
    input,
  );
  if (overflow !== undefined) return err({ kind: "result-out-of-range", message: overflow });
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
  });
}
