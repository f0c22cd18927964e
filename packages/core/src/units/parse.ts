import { err, type Failure, failure, ok, type Result } from "@wattprint/result";
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

/** Unparsable text, or a number too large for a double (or for its unit in seconds). */
export interface UnitParseError extends Failure<"unparsable-quantity" | "quantity-out-of-range"> {
  readonly input: string;
}

export interface NumberParseError extends Failure<"not-a-number" | "out-of-range"> {
  readonly input: string;
}

/**
 * A number as people write it: 12, -3, 1.5, .5, 1e3, 2.5E-4. Deliberately narrower than
 * `Number()`, which also takes "0x10", "0b11", "0o7", "Infinity" and "" (as 0): a flag
 * that reads "0x10" as 16 W or an empty value as 0 hides a mistake instead of naming it.
 */
const DECIMAL = String.raw`[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?`;
const DECIMAL_ONLY = new RegExp(`^${DECIMAL}$`);
const NUMBER_WITH_UNIT = new RegExp(`^(${DECIMAL})\\s*([a-zA-Z]*)$`);
/** One "number unit" part of a duration, read where the previous part ended. */
const DURATION_PART = new RegExp(`(${DECIMAL})\\s*([a-zA-Z]*)\\s*`, "y");

/** The largest finite double, as error messages quote it. */
const MAX_NUMBER_TEXT = "about 1.8e308";

/**
 * Reads a decimal number (surrounding blanks ignored). Refuses the empty string, hex, octal,
 * binary, Infinity and NaN, and numbers beyond the range of a double ("1e400").
 */
export function parseDecimal(input: string): Result<number, NumberParseError> {
  const text = input.trim();
  if (!DECIMAL_ONLY.test(text)) {
    const message =
      text === ""
        ? "empty value; expected a number such as 12, 1.5 or 2e3"
        : `"${input}" is not a decimal number; expected e.g. 12, 1.5 or 2e3`;
    return err(failure("not-a-number", message, { input }));
  }
  const value = Number(text);
  if (!Number.isFinite(value)) {
    const message = `"${input}" is out of range (the largest number is ${MAX_NUMBER_TEXT})`;
    return err(failure("out-of-range", message, { input }));
  }
  // -0 prints as "0" but compares oddly (Object.is); nobody means it.
  return ok(value === 0 ? 0 : value);
}

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
  d: "d",
  day: "d",
  days: "d",
  w: "wk",
  wk: "wk",
  wks: "wk",
  week: "wk",
  weeks: "wk",
};
const POWER_ALIASES: Readonly<Record<string, PowerUnit>> = { mw: "mW", w: "W", kw: "kW" };
const ENERGY_ALIASES: Readonly<Record<string, EnergyUnit>> = {
  j: "J",
  wh: "Wh",
  kwh: "kWh",
  mwh: "MWh",
};

function unparsable(input: string, message: string): Result<never, UnitParseError> {
  return err(failure("unparsable-quantity", message, { input }));
}

function outOfRange(input: string, message: string): Result<never, UnitParseError> {
  return err(failure("quantity-out-of-range", message, { input }));
}

/**
 * Parses "3h", "90min", "120ms", "1.5 s", "1e3 s", "3d", "1w" and compound forms such as
 * "1h30m", "2d12h" or "2h 15min 10s". Days and weeks are 24 h and 7 x 24 h. A bare number is rejected: a duration without a unit is exactly the
 * ambiguity this API avoids. Any size is read as written as long as it is a finite number of
 * seconds (every estimate works in seconds): "1e300h" is 1e300 h, "1e305h" is out of range.
 */
export function parseDuration(input: string): Result<Duration, UnitParseError> {
  const text = input.trim();
  if (text === "") return unparsable(input, "empty duration; expected e.g. 3h, 90min, 120ms, 3d");
  const parts: { text: string; value: number; unit: string }[] = [];
  DURATION_PART.lastIndex = 0;
  while (DURATION_PART.lastIndex < text.length) {
    const match = DURATION_PART.exec(text);
    if (!match?.[1]) {
      return unparsable(
        input,
        `cannot read duration "${input}"; expected e.g. 3h, 90min, 120ms, 1h30m, 3d, 1w, 2d12h`,
      );
    }
    parts.push({ text: match[0].trim(), value: Number(match[1]), unit: match[2] ?? "" });
  }
  let totalSeconds = 0;
  let lastUnit: DurationUnit = "s";
  for (const part of parts) {
    if (part.unit === "")
      return unparsable(input, `"${part.text}" has no time unit; use ms, s, min, h, d or w`);
    const unit = DURATION_ALIASES[part.unit.toLowerCase()];
    if (!unit) {
      return unparsable(
        input,
        `"${part.unit}" in "${input}" is not a time unit; use ms, s, min, h, d or w`,
      );
    }
    if (part.value < 0) return unparsable(input, `duration must not be negative: "${input}"`);
    totalSeconds += convertDuration({ value: part.value, unit }, "s").value;
    lastUnit = unit;
  }
  if (!Number.isFinite(totalSeconds)) {
    return outOfRange(
      input,
      `duration "${input}" is out of range (at most ${MAX_NUMBER_TEXT} seconds)`,
    );
  }
  const single = parts.length === 1 ? parts[0] : undefined;
  // Kept in the unit it was written in: "90min" stays 90 min, not 5400 s converted back.
  if (single) return ok({ value: single.value, unit: lastUnit });
  return ok({ value: totalSeconds, unit: "s" });
}

function parseSimple<U extends string>(
  input: string,
  aliases: Readonly<Record<string, U>>,
  isUnit: (unit: string) => unit is U,
  what: string,
  example: string,
): Result<{ value: number; unit: U }, UnitParseError> {
  const match = NUMBER_WITH_UNIT.exec(input.trim());
  if (!match?.[1]) {
    return unparsable(input, `cannot read ${what} "${input}"; expected e.g. ${example}`);
  }
  const value = Number(match[1]);
  const written = match[2] ?? "";
  const unit = isUnit(written) ? written : aliases[written.toLowerCase()];
  if (!unit) {
    const known = [...new Set(Object.values(aliases))].join(", ");
    return unparsable(input, `"${input}" needs a ${what} unit (${known}); e.g. ${example}`);
  }
  if (!Number.isFinite(value)) {
    return outOfRange(input, `${what} "${input}" is out of range (at most ${MAX_NUMBER_TEXT})`);
  }
  if (value < 0) return unparsable(input, `${what} must not be negative: "${input}"`);
  return ok({ value, unit });
}

export function parsePower(input: string): Result<Power, UnitParseError> {
  return parseSimple(input, POWER_ALIASES, isPowerUnit, "power", "300W or 0.3kW");
}

export function parseEnergy(input: string): Result<Energy, UnitParseError> {
  return parseSimple(input, ENERGY_ALIASES, isEnergyUnit, "energy", "1.5kWh or 200Wh");
}
