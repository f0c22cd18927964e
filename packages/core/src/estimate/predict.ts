import { err, type Failure, failure, ok, type Result } from "@wattprint/result";
import {
  type Carbon,
  type CarbonIntensity,
  carbonOf,
  convertDuration,
  convertEnergy,
  type Duration,
  type Energy,
  kilowattHours,
  seconds,
} from "../units/quantity.ts";

export interface EpochMeasurement {
  readonly energy: Energy;
  readonly duration: Duration;
}

export interface PredictionInput {
  readonly measured: readonly EpochMeasurement[];
  readonly totalEpochs: number;
  /** Optional: with an intensity the prediction also states carbon. */
  readonly intensity?: CarbonIntensity;
}

export interface Prediction {
  readonly measuredEpochs: number;
  readonly totalEpochs: number;
  readonly meanEpochEnergy: Energy<"kWh">;
  readonly meanEpochDuration: Duration<"s">;
  readonly totalEnergy: Energy<"kWh">;
  readonly totalDuration: Duration<"s">;
  readonly remainingEnergy: Energy<"kWh">;
  readonly remainingDuration: Duration<"s">;
  readonly totalCarbon?: Carbon<"gCO2eq">;
  readonly method: string;
}

/** `field` names the bad input: `measured`, `totalEpochs`, or one epoch (`measured.2`, 0-based). */
export interface PredictionError extends Failure<"invalid-prediction-input"> {
  readonly field: string;
}

const invalid = (field: string, message: string): Result<never, PredictionError> =>
  err(failure("invalid-prediction-input", message, { field }));

/**
 * carbontracker's prediction: the total is the mean measured epoch scaled to all epochs.
 * Remaining figures count only the epochs not yet measured.
 */
export function predictTotal(input: PredictionInput): Result<Prediction, PredictionError> {
  const { measured, totalEpochs } = input;
  if (measured.length === 0) {
    return invalid("measured", "at least one measured epoch is needed");
  }
  if (!Number.isInteger(totalEpochs) || totalEpochs < measured.length) {
    return invalid(
      "totalEpochs",
      `total epochs (${totalEpochs}) must be a whole number >= measured epochs (${measured.length})`,
    );
  }
  let energyKWh = 0;
  let durationS = 0;
  for (const [index, epoch] of measured.entries()) {
    const kWh = convertEnergy(epoch.energy, "kWh").value;
    const s = convertDuration(epoch.duration, "s").value;
    if (!(kWh >= 0 && s >= 0 && Number.isFinite(kWh) && Number.isFinite(s))) {
      return invalid(
        `measured.${index}`,
        `epoch ${index + 1} has a negative or non-finite energy or duration`,
      );
    }
    energyKWh += kWh;
    durationS += s;
  }
  const meanKWh = energyKWh / measured.length;
  const meanS = durationS / measured.length;
  const remaining = totalEpochs - measured.length;
  const totalEnergy = kilowattHours(meanKWh * totalEpochs);
  return ok({
    measuredEpochs: measured.length,
    totalEpochs,
    meanEpochEnergy: kilowattHours(meanKWh),
    meanEpochDuration: seconds(meanS),
    totalEnergy,
    totalDuration: seconds(meanS * totalEpochs),
    remainingEnergy: kilowattHours(meanKWh * remaining),
    remainingDuration: seconds(meanS * remaining),
    ...(input.intensity ? { totalCarbon: carbonOf(totalEnergy, input.intensity) } : {}),
    method: `mean of ${measured.length} measured epoch(s) x ${totalEpochs} epochs`,
  });
}
