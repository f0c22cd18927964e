import { z } from "zod";

/**
 * What the parser returns, with carbontracker's key names and units. Every record read from
 * a file is checked against these schemas before it is returned, so a value that parses as
 * a number but cannot be one (a negative energy, a fractional epoch count) is a reported
 * problem rather than a wrong total. The types are inferred from them.
 */
const finiteNonNegative = z
  .number()
  .refine((v) => Number.isFinite(v) && v >= 0, "must be a finite number >= 0");

import { MAX_RECORD_VALUE } from "./record-value.ts";

export { MAX_RECORD_VALUE };

const recordFigure = z
  .number()
  .refine(
    (v) => Number.isFinite(v) && v >= 0 && v <= MAX_RECORD_VALUE,
    "must be a finite number from 0 to 1e20",
  );

export const consumptionRecordSchema = z.object({
  /**
   * From `... for N epoch(s):`; 1 for `Actual consumption:` (a one-epoch wrapped command).
   * Negative as written: carbontracker writes `for -1 epoch(s)` when stop() runs before the
   * first epoch.
   */
  epochs: z.number().int(),
  /** The `Time:` field, whole seconds (negative only if the clock went back). */
  "duration (s)": z.number().refine(Number.isFinite, "must be finite"),
  /** PUE included. */
  "energy (kWh)": recordFigure,
  /** null when the log says `nan` (no intensity was known). */
  "co2eq (g)": recordFigure.nullable(),
  /** `{ unit: value }` from "This is equivalent to:"; null when the record has none. */
  equivalents: z
    .record(
      z.string(),
      z
        .number()
        .refine(
          (v) => Number.isFinite(v) && Math.abs(v) <= MAX_RECORD_VALUE,
          "must be a finite number from -1e20 to 1e20",
        ),
    )
    .nullable(),
});
export type ConsumptionRecord = z.infer<typeof consumptionRecordSchema>;

const perEpochValues = z.array(z.array(finiteNonNegative));

export const componentMeasurementsSchema = z.object({
  /** Per epoch, the value(s) of the power line (several when the line held an array); no PUE. */
  "avg_power_usages (W)": perEpochValues.nullable(),
  /** Power x the epoch's duration, same shape; no PUE. */
  "avg_energy_usages (J)": perEpochValues.nullable(),
  "epoch_durations (s)": z.array(finiteNonNegative).nullable(),
  /** Trimmed, dots kept. */
  devices: z.array(z.string()),
});
export type ComponentMeasurements = z.infer<typeof componentMeasurementsSchema>;

export const componentsSchema = z.record(z.string(), componentMeasurementsSchema);
export type Components = z.infer<typeof componentsSchema>;

export const parsedLogPairSchema = z.object({
  output_filename: z.string(),
  standard_filename: z.string(),
  components: componentsSchema,
  early_stop: z.boolean(),
  actual: consumptionRecordSchema.nullable(),
  pred: consumptionRecordSchema.nullable(),
});
export type ParsedLogPair = z.infer<typeof parsedLogPairSchema>;

/** `[energy kWh, CO2eq g, equivalents]`: carbontracker's `aggregate_consumption` triple. */
export const aggregateTupleSchema = z.tuple([
  finiteNonNegative,
  finiteNonNegative,
  z.record(z.string(), z.number()),
]);
export type AggregateTuple = z.infer<typeof aggregateTupleSchema>;

/** What `wattprint logs parse --json` prints. */
export const parseJsonSchema = z.object({
  parse_all_logs: z.array(parsedLogPairSchema),
  aggregate_consumption: aggregateTupleSchema,
});
