/**
 * The `intensity` block of a prediction: carbontracker's predicted mix, described as what it
 * is. The block used to be the run's actual one with only its `gPerKWh` replaced by the mix,
 * so its values, source and method described a different figure (the mean of the values
 * fetched) than the one it carried, and the forecast appeared nowhere in it.
 */
import type { IntensityResult } from "./result.ts";

/** The predicted intensity counts `f` once more for each this many seconds predicted. */
export const FORECAST_WEIGHT_S = 900;

type Level = IntensityResult["level"];

/** `f` of the mix: the value standing for the predicted duration, and what it is. */
export interface ForecastValue {
  readonly gPerKWh: number;
  /** `live` for a provider's forecast or latest value; the embedded chain's level otherwise. */
  readonly level: Level;
  /** What `f` is, in words, e.g. "the mean of 2 forecast point(s) from X over the next 1 h". */
  readonly what: string;
}

/** The live values fetched so far: their sum and count (all of them), and those kept. */
export interface FetchedValues {
  readonly sum: number;
  readonly count: number;
  readonly kept: IntensityResult["values"];
}

/**
 * carbontracker's mix for a prediction of `durationS`: the values fetched so far, plus `f`
 * once and once more per `FORECAST_WEIGHT_S` of it. `base` is the run's block so far, whose
 * zone, location and source the prediction keeps; its `values` are the fetched ones followed
 * by `f` (at `at`), and its source's method gives the weights.
 */
export function predictedIntensity(
  base: IntensityResult,
  fetched: FetchedValues,
  f: ForecastValue,
  durationS: number,
  at: string,
): IntensityResult {
  const weight = 1 + Math.floor(durationS / FORECAST_WEIGHT_S);
  const gPerKWh = (fetched.sum + f.gPerKWh * weight) / (fetched.count + weight);
  const method = `carbontracker's predicted mix for ${Math.round(durationS)} s: (the sum of the ${fetched.count} value(s) fetched + f x ${weight}) / (${fetched.count} + ${weight}), where f = ${f.gPerKWh} gCO2eq/kWh is ${f.what} (the last of the values; counted once, and once more per ${FORECAST_WEIGHT_S} s predicted)`;
  const before = base.source.note === undefined ? "" : `; ${base.source.note}`;
  // Without a live value the run's block describes the embedded value, not values fetched.
  const about = fetched.count > 0 ? "the values fetched" : "the run's value";
  return {
    ...base,
    gPerKWh,
    level: f.level === "live" ? "live" : base.level,
    source: { ...base.source, method, note: `${about}: ${base.source.method}${before}` },
    values: [...fetched.kept, { at, gPerKWh: f.gPerKWh, level: f.level }],
  };
}
