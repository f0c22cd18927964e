import { err, ok, type Result } from "../result.ts";
import {
  convertDuration,
  type Duration,
  type DurationUnit,
  type Energy,
  type EnergyUnit,
  isEnergyUnit,
  isPowerUnit,
  type Power,
  type PowerUnit,
} from "./quantity.ts";

export interface UnitParseError {
  readonly kind: "unparsable-quantity";
  readonly input: string;
  readonly message: string;
}

const NUMBER_WITH_UNIT = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?)\s*([a-zA-Z]*)$/;

/** Spellings people type, mapped to the canonical unit symbols. */
const DURATION_ALIASES: Readonly<Record<string, DurationUnit>> = {
  ms: "ms",
  msec: "ms",
  millisecond: "ms",
  milliseconds: "ms",
  s: "s",
  sec: "s",
  secs: "s",
  second: "s",
  seconds: "s",
  m: "min",
  min: "min",
  mins: "min",
  minute: "min",
  minutes: "min",
  h: "h",
  hr: "h",
  hrs: "h",
  hour: "h",
  hours: "h",
};
const POWER_ALIASES: Readonly<Record<string, PowerUnit>> = { mw: "mW", w: "W", kw: "kW" };
const ENERGY_ALIASES: Readonly<Record<string, EnergyUnit>> = {
  j: "J",
  wh: "Wh",
  kwh: "kWh",
  mwh: "MWh",
};

function failure(input: string, message: string): Result<never, UnitParseError> {
  return err({ kind: "unparsable-quantity", input, message });
}

function splitNumber(input: string): { value: number; unit: string } | undefined {
  const match = NUMBER_WITH_UNIT.exec(input.trim());
  if (!match?.[1]) return undefined;
  const value = Number(match[1]);
  return Number.isFinite(value) ? { value, unit: match[2] ?? "" } : undefined;
}

/**
 * Parses "3h", "90min", "120ms", "1.5 s" and compound forms such as "1h30m" or "2h 15min 10s".
 * A bare number is rejected: a duration without a unit is exactly the ambiguity this API avoids.
 */
export function parseDuration(input: string): Result<Duration, UnitParseError> {
  const text = input.trim();
  if (text === "") return failure(input, "empty duration; expected e.g. 3h, 90min, 120ms");
  const parts = text.match(/[+-]?(?:\d+(?:\.\d*)?|\.\d+)\s*[a-zA-Z]*/g);
  if (!parts || parts.join("").replace(/\s/g, "") !== text.replace(/\s/g, "")) {
    return failure(input, `cannot read duration "${input}"; expected e.g. 3h, 90min, 120ms, 1h30m`);
  }
  let totalSeconds = 0;
  let singleUnit: DurationUnit | undefined;
  for (const part of parts) {
    const split = splitNumber(part);
    const unit = split ? DURATION_ALIASES[split.unit.toLowerCase()] : undefined;
    if (!split || !unit) {
      return failure(input, `"${part.trim()}" has no time unit; use ms, s, min or h`);
    }
    if (split.value < 0) return failure(input, `duration must not be negative: "${input}"`);
    totalSeconds += convertDuration({ value: split.value, unit }, "s").value;
    singleUnit = parts.length === 1 ? unit : undefined;
  }
  if (singleUnit) return ok(convertDuration({ value: totalSeconds, unit: "s" }, singleUnit));
  return ok({ value: totalSeconds, unit: "s" });
}

function parseSimple<U extends string>(
  input: string,
  aliases: Readonly<Record<string, U>>,
  isUnit: (unit: string) => unit is U,
  what: string,
  example: string,
): Result<{ value: number; unit: U }, UnitParseError> {
  const split = splitNumber(input);
  if (!split) return failure(input, `cannot read ${what} "${input}"; expected e.g. ${example}`);
  const unit = isUnit(split.unit) ? split.unit : aliases[split.unit.toLowerCase()];
  if (!unit) {
    const known = [...new Set(Object.values(aliases))].join(", ");
    return failure(input, `"${input}" needs a ${what} unit (${known}); e.g. ${example}`);
  }
  if (split.value < 0) return failure(input, `${what} must not be negative: "${input}"`);
  return ok({ value: split.value, unit });
}

export function parsePower(input: string): Result<Power, UnitParseError> {
  return parseSimple(input, POWER_ALIASES, isPowerUnit, "power", "300W or 0.3kW");
}

export function parseEnergy(input: string): Result<Energy, UnitParseError> {
  return parseSimple(input, ENERGY_ALIASES, isEnergyUnit, "energy", "1.5kWh or 200Wh");
}
