import { MAX_POWER_W } from "../parse/power-values.ts";
import { MAX_RECORD_VALUE } from "../parse/record-value.ts";

/**
 * The longest duration written: hours take at most 12 digits, the most the reader takes
 * (`format/time.ts`), so a longer one would write a log that no parser reads back.
 */
export const MAX_WRITTEN_DURATION_S = 999_999_999_999 * 3600;

/**
 * What a record may hold once its figures are converted to the units written (W, s, kWh, g)
 * and a component's devices are summed: the limits the reader holds them to. A value inside
 * the event schema's own unit can pass them after conversion (1e307 kW is infinite in W), and
 * the writer used to print `inf`, `NaN` or figures its own reader refused.
 */
export const WRITTEN_LIMITS = {
  powerW: MAX_POWER_W,
  durationS: MAX_WRITTEN_DURATION_S,
  energyKWh: MAX_RECORD_VALUE,
  co2eqG: MAX_RECORD_VALUE,
} as const;

export type WrittenFigure = keyof typeof WRITTEN_LIMITS;

const UNITS: Readonly<Record<WrittenFigure, string>> = {
  powerW: "W",
  durationS: "s",
  energyKWh: "kWh",
  co2eqG: "g",
};

/**
 * Why `value` cannot be written as `figure`, or undefined when it can. NaN fails too: every
 * comparison with it is false.
 */
export function unwritable(figure: WrittenFigure, value: number): string | undefined {
  const max = WRITTEN_LIMITS[figure];
  if (value >= 0 && value <= max) return undefined;
  return `is ${value} ${UNITS[figure]} as written, outside 0 to ${max} ${UNITS[figure]}, which a log can hold and be read back`;
}
