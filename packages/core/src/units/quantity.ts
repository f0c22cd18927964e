/**
 * Quantities carry their unit in the type: a `Quantity<"Wh">` is not assignable to a
 * `Quantity<"kWh">`, so mixing units is a compile error instead of a silent factor of 1000.
 * Conversions go through the tables below, never through ad-hoc arithmetic at call sites.
 */
export interface Quantity<U extends string> {
  readonly value: number;
  readonly unit: U;
}

export type EnergyUnit = "J" | "Wh" | "kWh" | "MWh";
export type PowerUnit = "mW" | "W" | "kW";
export type DurationUnit = "ms" | "s" | "min" | "h" | "d" | "wk";
export type CarbonUnit = "gCO2eq" | "kgCO2eq" | "tCO2eq";
export type IntensityUnit = "gCO2eq/kWh";

export type Energy<U extends EnergyUnit = EnergyUnit> = Quantity<U>;
export type Power<U extends PowerUnit = PowerUnit> = Quantity<U>;
export type Duration<U extends DurationUnit = DurationUnit> = Quantity<U>;
export type Carbon<U extends CarbonUnit = CarbonUnit> = Quantity<U>;
export type CarbonIntensity = Quantity<IntensityUnit>;

/** Size of one unit in the dimension's base unit (J, W, s, g). */
const ENERGY_IN_JOULES: Readonly<Record<EnergyUnit, number>> = {
  J: 1,
  Wh: 3_600,
  kWh: 3_600_000,
  MWh: 3_600_000_000,
};
const POWER_IN_WATTS: Readonly<Record<PowerUnit, number>> = { mW: 1e-3, W: 1, kW: 1e3 };
const DURATION_IN_SECONDS: Readonly<Record<DurationUnit, number>> = {
  ms: 1e-3,
  s: 1,
  min: 60,
  h: 3_600,
  // Calendar days and weeks of 24 h: a job's wall-clock length, not civil days across a DST change.
  d: 86_400,
  wk: 604_800,
};
const CARBON_IN_GRAMS: Readonly<Record<CarbonUnit, number>> = {
  gCO2eq: 1,
  kgCO2eq: 1e3,
  tCO2eq: 1e6,
};

function quantity<U extends string>(value: number, unit: U): Quantity<U> {
  return { value, unit };
}

export const joules = (value: number): Energy<"J"> => quantity(value, "J");
export const wattHours = (value: number): Energy<"Wh"> => quantity(value, "Wh");
export const kilowattHours = (value: number): Energy<"kWh"> => quantity(value, "kWh");
export const watts = (value: number): Power<"W"> => quantity(value, "W");
export const milliwatts = (value: number): Power<"mW"> => quantity(value, "mW");
export const milliseconds = (value: number): Duration<"ms"> => quantity(value, "ms");
export const seconds = (value: number): Duration<"s"> => quantity(value, "s");
export const hours = (value: number): Duration<"h"> => quantity(value, "h");
export const gramsCO2eq = (value: number): Carbon<"gCO2eq"> => quantity(value, "gCO2eq");
export const gramsPerKWh = (value: number): CarbonIntensity => quantity(value, "gCO2eq/kWh");

export function convertEnergy<T extends EnergyUnit>(energy: Energy, to: T): Energy<T> {
  return quantity((energy.value * ENERGY_IN_JOULES[energy.unit]) / ENERGY_IN_JOULES[to], to);
}
export function convertPower<T extends PowerUnit>(power: Power, to: T): Power<T> {
  return quantity((power.value * POWER_IN_WATTS[power.unit]) / POWER_IN_WATTS[to], to);
}
export function convertDuration<T extends DurationUnit>(duration: Duration, to: T): Duration<T> {
  return quantity(
    (duration.value * DURATION_IN_SECONDS[duration.unit]) / DURATION_IN_SECONDS[to],
    to,
  );
}
export function convertCarbon<T extends CarbonUnit>(carbon: Carbon, to: T): Carbon<T> {
  return quantity((carbon.value * CARBON_IN_GRAMS[carbon.unit]) / CARBON_IN_GRAMS[to], to);
}

export const isEnergyUnit = (unit: string): unit is EnergyUnit =>
  Object.hasOwn(ENERGY_IN_JOULES, unit);
export const isPowerUnit = (unit: string): unit is PowerUnit => Object.hasOwn(POWER_IN_WATTS, unit);
export const isDurationUnit = (unit: string): unit is DurationUnit =>
  Object.hasOwn(DURATION_IN_SECONDS, unit);

/** Energy drawn by a constant power over a duration. */
export function energyOf(power: Power, duration: Duration): Energy<"J"> {
  return joules(convertPower(power, "W").value * convertDuration(duration, "s").value);
}

/** Mean power over a duration; a zero duration has no defined power and yields 0 W. */
export function meanPower(energy: Energy, duration: Duration): Power<"W"> {
  const durationS = convertDuration(duration, "s").value;
  return watts(durationS > 0 ? convertEnergy(energy, "J").value / durationS : 0);
}

export function carbonOf(energy: Energy, intensity: CarbonIntensity): Carbon<"gCO2eq"> {
  return gramsCO2eq(convertEnergy(energy, "kWh").value * intensity.value);
}

export function sumEnergy(parts: readonly Energy[]): Energy<"J"> {
  return joules(parts.reduce((total, part) => total + convertEnergy(part, "J").value, 0));
}

export function scaleEnergy<U extends EnergyUnit>(energy: Energy<U>, factor: number): Energy<U> {
  return quantity(energy.value * factor, energy.unit);
}
