import { equivalents } from "@wattprint/core/equivalents";
import { gramsCO2eq, kilowattHours } from "@wattprint/core/units";
import { fixedDecimal, plainDecimal } from "./numbers.ts";
import { formatEpochDuration, formatHms } from "./time.ts";

/**
 * The text of every record the writer appends, byte for byte as carbontracker 2.4.3 writes
 * it (docs/carbontracker-logs.md §2-§3). Each function returns complete lines ending in
 * `\n`, stamped with one timestamp, so that one record is one `write`.
 */

/** The prefix of every output-log message (with its space). */
export const OUTPUT_PREFIX = "CarbonTracker: ";

/** carbontracker's only equivalent, and its unit string. */
export const CAR_KM_UNIT = "km travelled by car";

export interface ComponentDevices {
  /** Lower-case in power lines, upper-case in the components line: `gpu`, `cpu`. */
  readonly name: string;
  readonly devices: readonly string[];
}

export interface ConsumptionFigures {
  readonly durationS: number;
  readonly energyKWh: number;
  readonly co2eqG: number;
}

const line = (timestamp: string, message: string): string => `${timestamp} - ${message}\n`;

export function versionRecord(timestamp: string, version: string): string {
  // The version of the format, then who wrote it: carbontracker's report reads the version
  // with `carbontracker version ([\d\.]+)`, which the words after it leave alone.
  return line(timestamp, `carbontracker version ${version} (${WRITTEN_BY})`);
}

export function pueRecord(timestamp: string, pue: number, citation: string): string {
  return line(
    timestamp,
    `Only predicted and actual consumptions are multiplied by a PUE coefficient of ${plainDecimal(pue)} (${citation}).`,
  );
}

export function componentsMessage(components: readonly ComponentDevices[]): string {
  const parts = components.map(
    (c) => `${c.name.toUpperCase()} with device(s) ${c.devices.join(", ")}.`,
  );
  return `The following components were found: ${parts.join(" ")}`;
}

export function componentsRecord(
  timestamp: string,
  components: readonly ComponentDevices[],
  output: boolean,
): string {
  return line(timestamp, (output ? OUTPUT_PREFIX : "") + componentsMessage(components));
}

export function messageRecord(timestamp: string, message: string, output: boolean): string {
  return line(timestamp, (output ? OUTPUT_PREFIX : "") + message);
}

/** What the version line says of its writer: the format is carbontracker's, the log is not. */
export const WRITTEN_BY = "its log format, written by wattprint";

/** `Epoch n:`, `Duration:`, then one power line per component (`None`: no sample). */
export function epochRecord(
  timestamp: string,
  epoch: number,
  durationS: number,
  wattsByComponent: readonly (readonly [name: string, watts: number | null])[],
): string {
  let text =
    line(timestamp, `Epoch ${epoch}:`) +
    line(timestamp, `Duration: ${formatEpochDuration(durationS)}`);
  for (const [name, watts] of wattsByComponent) {
    text += line(
      timestamp,
      `Average power usage (W) for ${name.toLowerCase()}: ${watts === null ? "None" : plainDecimal(powerDigits(watts))}`,
    );
  }
  return text;
}

/** Significant digits of a power line: more than any meter resolves, fewer than a double has. */
export const POWER_SIGNIFICANT_DIGITS = 12;

/**
 * A mean power is energy over time, and its last binary digits are the division's noise
 * (240 W metered for 3 s is 239.99999999999997): cut to `POWER_SIGNIFICANT_DIGITS`, it
 * prints `240.0`, as carbontracker prints the same device.
 */
function powerDigits(watts: number): number {
  return Number.isFinite(watts) ? Number(watts.toPrecision(POWER_SIGNIFICANT_DIGITS)) : watts;
}

export function intensityFetchedRecord(
  timestamp: string,
  gPerKWh: number,
  address: string,
): string {
  return line(
    timestamp,
    `Carbon intensity fetched: ${fixedDecimal(gPerKWh, 2)} gCO2/kWh at ${address}`,
  );
}

export function interruptedRecord(timestamp: string, plannedEpochs: number): string {
  return line(
    timestamp,
    `Training was interrupted before all ${plannedEpochs} epochs were monitored.`,
  );
}

/** Python's `round(x, 2)` as it appears in a list repr: `143.3`, not `143.30`. */
const round2 = (value: number): string => plainDecimal(Math.round(value * 100) / 100);

export function intensitiesRecord(
  timestamp: string,
  intervalS: number,
  address: string,
  gPerKWh: readonly number[],
): string {
  return line(
    timestamp,
    `Carbon intensities (gCO2eq/kWh) fetched every ${intervalS} s at detected location: ${address}: [${gPerKWh.map(round2).join(", ")}]`,
  );
}

/** Ends in `. `: the trailing space is carbontracker's. */
export function averageIntensityRecord(
  timestamp: string,
  gPerKWh: number,
  output: boolean,
): string {
  return line(
    timestamp,
    `${output ? OUTPUT_PREFIX : ""}Average carbon intensity during training was ${fixedDecimal(gPerKWh, 2)} gCO2eq/kWh. `,
  );
}

/**
 * A consumption block of the output log: `CarbonTracker: ` (with its space) ending the
 * stamped line, the description on its own line, TAB-indented fields with a TAB after each
 * label, and the car equivalent when `interpretable`.
 */
export function consumptionRecord(
  timestamp: string,
  description: string,
  figures: ConsumptionFigures,
  decimals: number,
  interpretable: boolean,
): string {
  let text =
    `${timestamp} - ${OUTPUT_PREFIX}\n${description}\n` +
    `\tTime:\t${formatHms(figures.durationS)}\n` +
    `\tEnergy:\t${fixedDecimal(figures.energyKWh, decimals)} kWh\n` +
    `\tCO2eq:\t${fixedDecimal(figures.co2eqG, decimals)} g\n`;
  if (interpretable) {
    text += `\tThis is equivalent to:\n\t${fixedDecimal(carKm(figures.co2eqG, figures.energyKWh), decimals)} ${CAR_KM_UNIT}\n`;
  }
  return text;
}

/** `Predicted consumption for N epoch(s):`, `Actual consumption for N epoch(s):`, `Actual consumption:`. */
export function consumptionDescription(kind: "pred" | "actual", epochs: number | null): string {
  const what = kind === "pred" ? "Predicted" : "Actual";
  return epochs === null ? `${what} consumption:` : `${what} consumption for ${epochs} epoch(s):`;
}

/** Kilometres by an average new EU car (EEA 2024, 106.8 g/km), from the core's equivalents. */
export function carKm(co2eqG: number, energyKWh: number): number {
  const car = equivalents(gramsCO2eq(co2eqG), kilowattHours(energyKWh)).find(
    (e) => e.id === "car-km",
  );
  if (car === undefined) throw new Error("@wattprint/core lost its car-km equivalent");
  return car.value;
}
