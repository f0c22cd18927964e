import type { Carbon, CarbonIntensity, Duration, Energy, Power } from "@wattprint/core/units";
import * as z from "@wattprint/core/zod";
import { MAX_RECORD_VALUE } from "../parse/record-value.ts";

/**
 * The tracker's events, validated before anything is written: a NaN or a negative energy is
 * refused as `invalid-record` naming the field, and the log stays as it was.
 */
const finite = (what: string) =>
  z.number().check(z.refine(Number.isFinite, `${what} must be a finite number`));
const nonNegative = (what: string) =>
  finite(what).check(z.refine((v) => v >= 0, `${what} must be >= 0`));

const energy = z.object({ value: nonNegative("energy"), unit: z.enum(["J", "Wh", "kWh", "MWh"]) });
const carbon = z.object({
  value: nonNegative("CO2eq"),
  unit: z.enum(["gCO2eq", "kgCO2eq", "tCO2eq"]),
});
const duration = z.object({
  value: nonNegative("duration"),
  unit: z.enum(["ms", "s", "min", "h"]),
});
const power = z.object({ value: nonNegative("power"), unit: z.enum(["mW", "W", "kW"]) });
// Written as given (no conversion), so its limit is the schema's: the reader's record limit.
const intensity = z.object({
  value: nonNegative("intensity").check(
    z.refine((v) => v <= MAX_RECORD_VALUE, `intensity must be at most ${MAX_RECORD_VALUE}`),
  ),
  unit: z.literal("gCO2eq/kWh"),
});
const epochCount = z.int().check(z.nonnegative());
// The address ends a line; a line break inside it would start a record of its own.
const address = z.string().check(z.regex(/^[^\r\n]*$/, "the address may not contain a line break"));

export const epochInputSchema = z.object({
  duration,
  /** Per component (as named at start): one power, the powers of its devices (summed), or null. */
  power: z.record(
    z.string(),
    z.union([power, z.array(power).check(z.minLength(1), z.maxLength(256)), z.null()]),
  ),
});
export interface EpochInput {
  readonly duration: Duration;
  readonly power: Readonly<Record<string, Power | readonly Power[] | null>>;
}

export const predictionInputSchema = z.object({ epochs: epochCount, duration, energy, carbon });
export interface PredictionInput {
  readonly epochs: number;
  readonly duration: Duration;
  readonly energy: Energy;
  readonly carbon: Carbon;
}

export const intensityFetchedInputSchema = z.object({ intensity, address });
export interface IntensityFetchedInput {
  readonly intensity: CarbonIntensity;
  readonly address: string;
}

export const interruptedInputSchema = z.object({ plannedEpochs: z.int() });
export interface InterruptedInput {
  /** The epochs the run was meant to monitor (carbontracker writes -1 when unknown). */
  readonly plannedEpochs: number;
}

export const actualInputSchema = z.object({
  epochs: z.optional(z.nullable(epochCount)),
  duration,
  energy,
  carbon,
  averageIntensity: intensity,
  fetched: z._default(z.array(intensity).check(z.maxLength(100_000)), []),
  address: z._default(address, "Unknown"),
});
export interface ActualInput {
  /** Default: the epochs written; null: `Actual consumption:` with no count. */
  readonly epochs?: number | null;
  readonly duration: Duration;
  /** With PUE applied, as carbontracker's actual energy. */
  readonly energy: Energy;
  readonly carbon: Carbon;
  readonly averageIntensity: CarbonIntensity;
  /** Successful fetches during the run, for the intensities line (omitted when empty). */
  readonly fetched?: readonly CarbonIntensity[];
  readonly address?: string;
}
