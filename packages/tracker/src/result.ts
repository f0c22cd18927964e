import { sourceSchema } from "@wattprint/core";
import * as z from "@wattprint/core/zod";

/**
 * The typed result of a tracked run (or of a prediction), as `stop()`, `epochEnd()` and
 * `measure()` return it. Plain JSON data: `JSON.stringify` then `trackerResultSchema.parse`
 * gives the same object back, which is how the HTTP service stores it.
 *
 * Units are in the names. Component and device energies are IT energy, as metered (no PUE);
 * `energy.totalKWh` and `co2G` include the PUE, where carbontracker applies it.
 */

export const TRACKER_RESULT_SCHEMA_ID = "wattprint.tracker/v1";

const nonNegative = z.number().check(z.gte(0));
const count = z.number().check(z.int(), z.gte(0));
const isoUtc = z.iso.datetime({ offset: false });

/** IT energy (as metered) and total energy (× PUE), each in J and kWh. */
export const energyFiguresSchema = z.strictObject({
  itJ: nonNegative,
  itKWh: nonNegative,
  totalJ: nonNegative,
  totalKWh: nonNegative,
});
export type EnergyFigures = z.infer<typeof energyFiguresSchema>;

export const deviceResultSchema = z.strictObject({
  /** Stable on one machine: `rapl:intel-rapl:0`, `nvml:GPU-…`, `sim_gpu:0`, `model:cpu`. */
  id: z.string(),
  name: z.string(),
  /** The power package's component: `cpu`, `dram`, `gpu`, `psys`, `machine`. */
  kind: z.enum(["cpu", "dram", "gpu", "psys", "machine"]),
  reader: z.string(),
  /** `measured` by the hardware, `modelled` from a rated power and the load, or `simulated`. */
  basis: z.enum(["measured", "modelled", "simulated"]),
  confidence: z.enum(["measured", "high", "low", "simulated"]),
  energyJ: nonNegative,
  energyKWh: nonNegative,
  /** Mean over the measured time; null when no time was measured. */
  meanPowerW: z.nullable(nonNegative),
  /** True when wraps may have been missed: the energy is at least this. */
  lowerBound: z.boolean(),
  /** Seconds of the measured time whose energy could not be counted. */
  uncountedS: nonNegative,
  /** Assumptions of a model, MIG attribution, the simulated device's description. */
  notes: z.array(z.string()),
  /** Where modelled figures came from; empty for measured devices. */
  sources: z.array(sourceSchema),
});
export type DeviceResult = z.infer<typeof deviceResultSchema>;

export const componentResultSchema = z.strictObject({
  /** carbontracker's component: `gpu`, or `cpu` (which includes DRAM, as RAPL's handler does). */
  component: z.enum(["gpu", "cpu"]),
  /** The sum over the component's devices (carbontracker averaged them). */
  energyJ: nonNegative,
  energyKWh: nonNegative,
  meanPowerW: z.nullable(nonNegative),
  basis: z.enum(["measured", "modelled", "simulated", "mixed"]),
  devices: z.array(deviceResultSchema),
});
export type ComponentResult = z.infer<typeof componentResultSchema>;

export const intensityValueSchema = z.strictObject({
  at: isoUtc,
  gPerKWh: nonNegative,
  level: z.enum(["override", "live", "zone", "country", "continent", "world"]),
});

export const intensityResultSchema = z.strictObject({
  /** The intensity the CO2 was computed with: the mean of the values below. */
  gPerKWh: nonNegative,
  zone: z.string(),
  zoneName: z.string(),
  /** The level of the latest value: `live` when a provider answered, else the embedded chain's. */
  level: z.enum(["override", "live", "zone", "country", "continent", "world"]),
  /** The year the data describes; absent for a user-supplied intensity, which has none. */
  year: z.optional(z.number().check(z.int())),
  /** Where the location came from. */
  locationFrom: z.enum(["option", "env", "none"]),
  source: sourceSchema,
  /** The values averaged, oldest first (at most 10,000 kept; `valuesDropped` counts the rest). */
  values: z.array(intensityValueSchema),
  valuesDropped: count,
});
export type IntensityResult = z.infer<typeof intensityResultSchema>;

export const equivalentResultSchema = z.strictObject({
  id: z.string(),
  value: nonNegative,
  unit: z.string(),
  description: z.string(),
  basis: z.string(),
  // The core's source without `method` and `note`: an equivalent's source is a publication.
  source: z.omit(sourceSchema, { method: true, note: true }),
});

export const perInferenceSchema = z.strictObject({
  energy: energyFiguresSchema,
  co2G: nonNegative,
  durationS: nonNegative,
});
export type PerInference = z.infer<typeof perInferenceSchema>;

export const taskResultSchema = z.strictObject({
  name: z.string(),
  startedAt: isoUtc,
  endedAt: isoUtc,
  durationS: nonNegative,
  energy: energyFiguresSchema,
  co2G: nonNegative,
  inferences: count,
  perInference: z.nullable(perInferenceSchema),
  components: z.array(componentResultSchema),
});
export type TaskResult = z.infer<typeof taskResultSchema>;

export const warningResultSchema = z.strictObject({
  kind: z.enum(["sampling", "intensity", "logs", "ignored-error", "notice"]),
  message: z.string(),
  at: isoUtc,
});

export const trackerResultSchema = z.strictObject({
  schema: z.literal(TRACKER_RESULT_SCHEMA_ID),
  /** `actual`: what was measured; `predicted`: carbontracker's prediction for all epochs. */
  kind: z.enum(["actual", "predicted"]),
  /**
   * `complete`: every planned epoch, or a `start()`/`stop()` run; `early-stop`: `stop()`
   * before the planned epochs; `failed`: tracking failed under `ignoreErrors` (see warnings).
   */
  status: z.enum(["complete", "early-stop", "failed"]),
  wattprintVersion: z.string(),
  startedAt: isoUtc,
  endedAt: isoUtc,
  /** Measured time: the sum of the epochs (carbontracker's), or start to stop without epochs. */
  durationS: nonNegative,
  /** From construction or `start()` to `stop()`. */
  wallS: nonNegative,
  epochs: z.strictObject({
    completed: count,
    /** The `epochs` option; null when not given. */
    planned: z.nullable(count),
    /** The N of `… consumption for N epoch(s):`; null for `Actual consumption:`. */
    label: z.nullable(count),
  }),
  energy: energyFiguresSchema,
  pue: z.strictObject({
    value: z.number().check(z.gte(1)),
    applied: z.boolean(),
    source: sourceSchema,
  }),
  components: z.array(componentResultSchema),
  /** The basis of all devices together (`mixed` when they differ). */
  basis: z.enum(["measured", "modelled", "simulated", "mixed"]),
  intensity: intensityResultSchema,
  co2G: nonNegative,
  equivalents: z.array(equivalentResultSchema),
  /** The first 1,000 tasks; `tasksDropped` counts the rest (their energy is in the run's). */
  tasks: z.array(taskResultSchema),
  tasksDropped: z._default(count, 0),
  /**
   * The inferences counted; in a prediction, the count predicted for all epochs (the counted
   * ones × epochs / epochs measured, rounded), as its energy is.
   */
  inferences: count,
  /** The run's energy and CO2 divided by `inferences`; null when none were counted. */
  perInference: z.nullable(perInferenceSchema),
  /** How the figures were computed, e.g. "mean of 2 measured epoch(s) x 5 epochs". */
  method: z.string(),
  warnings: z.array(warningResultSchema),
  warningsDropped: count,
  logs: z.nullable(z.strictObject({ standard: z.string(), output: z.string() })),
});

export type TrackerResult = z.infer<typeof trackerResultSchema>;
