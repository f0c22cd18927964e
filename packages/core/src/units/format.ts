import { plainDecimal } from "./plain-decimal.ts";
import {
  type CarbonUnit,
  convertCarbon,
  convertDuration,
  convertEnergy,
  convertPower,
  type DurationUnit,
  type EnergyUnit,
  isDurationUnit,
  isEnergyUnit,
  isPowerUnit,
  type PowerUnit,
  type Quantity,
} from "./quantity.ts";

/**
 * Significant digits shown unless a caller asks for others. An estimate's inputs (a rated
 * power, a grid's annual average) are not known to better than a few per cent, so a fourth
 * digit would claim precision the figure does not have.
 */
export const DEFAULT_SIGNIFICANT_DIGITS = 3;

/** Beyond these magnitudes grouped digits stop being readable; exponent notation takes over. */
const LARGEST_PLAIN = 1e15;
const SMALLEST_PLAIN = 1e-4;

/**
 * A number rounded to significant digits, not decimals (footprints span from micrograms per
 * inference to tonnes per training run, and fixed decimals hide one end), with thousands
 * grouped by commas: `262,919` at 6 digits, `263,000` at 3, `0.0452`, `1.23e-7`.
 *
 * The promise, tested: at most `significantDigits` significant digits are shown, and the text
 * with its commas removed reads back as a number within half a unit of the last digit shown
 * of `value`. Trailing zeros after the point are dropped (`1.5`, not `1.50`). Zero is `0`;
 * NaN and infinities print as JavaScript writes them.
 */
export function formatNumber(
  value: number,
  significantDigits = DEFAULT_SIGNIFICANT_DIGITS,
): string {
  if (!Number.isInteger(significantDigits) || significantDigits < 1 || significantDigits > 21) {
    throw new RangeError(`significantDigits must be an integer 1..21, got ${significantDigits}`);
  }
  if (value === 0) return "0";
  if (!Number.isFinite(value)) return String(value);
  const size = Math.abs(value);
  if (size >= LARGEST_PLAIN || size < SMALLEST_PLAIN) {
    // toExponential keeps trailing zeros ("1.50e+3"); drop them as the plain form does.
    return value.toExponential(significantDigits - 1).replace(/\.?0+e/, "e");
  }
  return plainDecimal(value, significantDigits);
}

/** The units a dimension is shown in, smallest first; the largest that keeps the value >= 1 wins. */
const ENERGY_LADDER: readonly EnergyUnit[] = ["Wh", "kWh", "MWh"];
const CARBON_LADDER: readonly CarbonUnit[] = ["gCO2eq", "kgCO2eq", "tCO2eq"];
const POWER_LADDER: readonly PowerUnit[] = ["W", "kW"];
const DURATION_LADDER: readonly DurationUnit[] = ["ms", "s", "min", "h", "d"];
const CARBON_UNITS: readonly string[] = CARBON_LADDER;

function pick<U extends string>(
  ladder: readonly U[],
  convert: (to: U) => number,
  significantDigits: number,
): { value: number; unit: U } {
  for (let i = ladder.length - 1; i > 0; i--) {
    const unit = ladder[i] as U;
    const value = convert(unit);
    // Compared after rounding, so 999.96 Wh shows as 1 kWh rather than "1,000 Wh".
    if (Math.abs(Number(value.toPrecision(significantDigits))) >= 1) return { value, unit };
  }
  const unit = ladder[0] as U;
  return { value: convert(unit), unit };
}

/**
 * A quantity in the unit that suits its size: energy in Wh, kWh or MWh; carbon in g, kg or t
 * CO2eq; power in W or kW; durations in ms, s, min, h or d. Other units (intensity) are kept.
 * The number follows formatNumber's promise in the unit shown.
 */
export function formatQuantity(
  quantity: Quantity<string>,
  significantDigits = DEFAULT_SIGNIFICANT_DIGITS,
): string {
  const shown = readableUnit(quantity, significantDigits);
  return `${formatNumber(shown.value, significantDigits)} ${shown.unit}`;
}

/** The value and unit formatQuantity shows, before the number is rounded. */
export function readableUnit(
  quantity: Quantity<string>,
  significantDigits = DEFAULT_SIGNIFICANT_DIGITS,
): Quantity<string> {
  const { value, unit } = quantity;
  if (!Number.isFinite(value) || value === 0) return quantity;
  if (isEnergyUnit(unit)) {
    return pick(ENERGY_LADDER, (to) => convertEnergy({ value, unit }, to).value, significantDigits);
  }
  if (CARBON_UNITS.includes(unit)) {
    const carbon = { value, unit: unit as CarbonUnit };
    return pick(CARBON_LADDER, (to) => convertCarbon(carbon, to).value, significantDigits);
  }
  if (isPowerUnit(unit)) {
    return pick(POWER_LADDER, (to) => convertPower({ value, unit }, to).value, significantDigits);
  }
  if (isDurationUnit(unit)) {
    return pick(
      DURATION_LADDER,
      (to) => convertDuration({ value, unit }, to).value,
      significantDigits,
    );
  }
  return quantity;
}
