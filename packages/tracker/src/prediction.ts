/**
 * carbontracker's prediction as arithmetic: the total for all planned epochs from the epochs
 * measured so far, and the figures of the predicted result. The tracker keeps what needs its
 * state: when to predict, awaiting the intensity forecast, the log record and the echo.
 */
import { kilowattHours, predictTotal, seconds } from "@wattprint/core";
import type { Figures } from "./build-result.ts";
import { type Ledger, scaleLedger, totalJ } from "./figures.ts";
import type { IntensityResult } from "./result.ts";

const J_PER_KWH = 3_600_000;

/** The core's prediction for all `epochs`, from `n` epochs measured into `run`, with `pue`. */
export function predictFromMean(run: Ledger, n: number, epochs: number, pue: number) {
  // The core's predictTotal on the mean epoch: the same arithmetic, without keeping every epoch.
  return predictTotal({
    measured: [
      {
        energy: kilowattHours((totalJ(run) / J_PER_KWH / n) * pue),
        duration: seconds(run.seconds / n),
      },
    ],
    totalEpochs: epochs,
  });
}

/** The predicted result's figures: the run's `n` epochs scaled to all `epochs`. */
export function predictionFigures(
  run: Ledger,
  n: number,
  epochs: number,
  durationS: number,
  intensity: IntensityResult,
): Omit<Figures, "devices" | "deviceState"> {
  const ledger = scaleLedger(run, epochs / n);
  return {
    kind: "predicted",
    status: "complete",
    ledger,
    inferenceScale: epochs / n,
    gPerKWh: intensity.gPerKWh,
    intensity,
    label: epochs,
    method: `mean of ${n} measured epoch(s) x ${epochs} epochs (carbontracker's prediction); intensity: carbontracker's mix of the values so far and the forecast for ${Math.round(durationS)} s (see intensity.source.method)`,
  };
}
