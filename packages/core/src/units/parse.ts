import { err, type Failure, failure, ok, type Result } from "@wattprint/result";
import {
  convertDuration,
  type Duration,
  type DurationUnit,
  type Energy,
  type EnergyUnit,
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
  // A number below the smallest double ("1e-400") became 0 and meant "not set" wherever 0
  // does (a grid intensity of 0): a value written as non-zero never reads as zero.
  if (value === 0 && NONZERO_DIGIT.test(text.replace(EXPONENT, ""))) {
    const message = `"${input}" is out of range (the smallest number above 0 is ${MIN_NUMBER_TEXT})`;
    return err(failure("out-of-range", message, { input }));
  }
  // -0 prints as "0" but compares oddly (Object.is); nobody means it.
  return ok(value === 0 ? 0 : value);
}

const NONZERO_DIGIT = /[1-9]/;
const EXPONENT = /[eE].*$/;
/** The smallest positive double (subnormal), as error messages quote it. */
const MIN_NUMBER_TEXT = "about 4.9e-324";

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
/**
 * How a unit may be written. Case carries meaning in SI symbols ("mW" is a milliwatt, "MW" a
 * megawatt, 10^9 apart), so exact symbols are read first and as written; a spelling in another
 * case is read only where no prefix hangs on it ("KWH" can only be kWh), and one that could be
 * either prefix ("mwh", "MWH") is refused, naming both readings, rather than guessed.
 */
interface UnitSpellings<U extends string> {
  /** Exact, case-sensitive symbols; `scale` takes a symbol the type lacks into one it has. */
  readonly exact: Readonly<
    Record<string, { readonly unit: U; readonly scale?: (v: number) => number }>
  >;
  /** Lower-cased spellings that read the same whatever their case. */
  readonly anyCase: Readonly<Record<string, U>>;
  /** Lower-cased spellings whose reading depends on case: the two exact symbols and names. */
  readonly ambiguous: Readonly<Record<string, readonly [string, string]>>;
}

const POWER_SPELLINGS: UnitSpellings<PowerUnit> = {
  exact: {
    mW: { unit: "mW" },
    W: { unit: "W" },
    kW: { unit: "kW" },
    // The power type stops at kW; a megawatt is read exactly as 1000 kW (an integer product).
    MW: { unit: "kW", scale: (v) => v * 1_000 },
  },
  anyCase: { w: "W", kw: "kW" },
  ambiguous: { mw: ["mW (milliwatts)", "MW (megawatts)"] },
};
const ENERGY_SPELLINGS: UnitSpellings<EnergyUnit> = {
  exact: {
    J: { unit: "J" },
    Wh: { unit: "Wh" },
    kWh: { unit: "kWh" },
    MWh: { unit: "MWh" },
    // The energy type starts at Wh; a division by 1000 is the nearest double to the true value.
    mWh: { unit: "Wh", scale: (v) => v / 1_000 },
  },
  anyCase: { j: "J", wh: "Wh", kwh: "kWh" },
  ambiguous: { mwh: ["mWh (milliwatt-hours)", "MWh (megawatt-hours)"] },
};

function unparsable(input: string, message: string): Result<never, UnitParseError> {
  return err(failure("unparsable-quantity", message, { input }));
}

function outOfRange(input: string, message: string): Result<never, UnitParseError> {
  return err(failure("quantity-out-of-range", message, { input }));
}

/** Duration units from the largest down: a compound duration names each at most once, in this order. */
const DURATION_ORDER: readonly DurationUnit[] = ["wk", "d", "h", "min", "s", "ms"];

/** A nonzero digit before any exponent: the number written is not zero, whatever it reads as. */
const NONZERO_MANTISSA = /^[+-]?[0.]*[1-9]/;

/**
 * Parses "3h", "90min", "120ms", "1.5 s", "1e3 s", "3d", "1w" and compound forms such as
 * "1h30m", "2d12h" or "2h 15min 10s". Days and weeks are 24 h and 7 x 24 h. A bare number is
 * rejected: a duration without a unit is exactly the ambiguity this API avoids. A compound names
 * each unit once, largest first ("1h 1h" and "30m1h" are refused: both read as typing slips, not
 * as sums). Any size is read as written as long as it is a finite, nonzero number of seconds
 * (every estimate works in seconds): "1e300h" is 1e300 h, "1e305h" is out of range, "0h" and
 * "1e-400h" (which a double rounds to 0) are refused, as an empty --from/--to span is.
 */
export function parseDuration(input: string): Result<Duration, UnitParseError> {
  const text = input.trim();
  if (text === "") return unparsable(input, "empty duration; expected e.g. 3h, 90min, 120ms, 3d");
  const parts: { text: string; number: string; value: number; unit: string }[] = [];
  DURATION_PART.lastIndex = 0;
  while (DURATION_PART.lastIndex < text.length) {
    const match = DURATION_PART.exec(text);
    if (!match?.[1]) {
      return unparsable(
        input,
        `cannot read duration "${input}"; expected e.g. 3h, 90min, 120ms, 1h30m, 3d, 1w, 2d12h`,
      );
    }
    parts.push({
      text: match[0].trim(),
      number: match[1],
      value: Number(match[1]),
      unit: match[2] ?? "",
    });
  }
  let totalSeconds = 0;
  let lastUnit: DurationUnit = "s";
  let previous: { text: string; unit: DurationUnit } | undefined;
  for (const part of parts) {
    if (part.unit === "")
      return unparsable(input, `"${part.text}" has no time unit; use ms, s, min, h, d or w`);
    // Lower-cased below so "3H" and "90MIN" read, but a capital M alone is the month symbol
    // ("1M" is a month, not a minute): refused rather than read 43,200 times too short.
    if (part.unit === "M") {
      return unparsable(
        input,
        `"M" in "${input}" is not minutes (m or min); months and years are refused, give hours or days (e.g. 30d)`,
      );
    }
    const unit = DURATION_ALIASES[part.unit.toLowerCase()];
    if (!unit) {
      return unparsable(
        input,
        `"${part.unit}" in "${input}" is not a time unit; use ms, s, min, h, d or w`,
      );
    }
    if (part.value < 0) return unparsable(input, `duration must not be negative: "${input}"`);
    if (part.value === 0 && NONZERO_MANTISSA.test(part.number)) {
      return outOfRange(
        input,
        `${parts.length === 1 ? "duration" : `"${part.text}" in`} "${input}" is too small to represent (it rounds to 0 ${unit})`,
      );
    }
    if (previous) {
      if (previous.unit === unit) {
        return unparsable(
          input,
          `"${previous.text}" and "${part.text}" in "${input}" name the same unit twice; write each unit once`,
        );
      }
      if (DURATION_ORDER.indexOf(previous.unit) > DURATION_ORDER.indexOf(unit)) {
        return unparsable(
          input,
          `"${part.text}" comes after "${previous.text}" in "${input}"; write the larger unit first, e.g. 1h30m`,
        );
      }
    }
    totalSeconds += convertDuration({ value: part.value, unit }, "s").value;
    lastUnit = unit;
    previous = { text: part.text, unit };
  }
  if (!Number.isFinite(totalSeconds)) {
    return outOfRange(
      input,
      `duration "${input}" is out of range (at most ${MAX_NUMBER_TEXT} seconds)`,
    );
  }
  if (totalSeconds === 0) {
    if (parts.every((part) => part.value === 0)) {
      return unparsable(
        input,
        `duration "${input}" is zero; an estimate needs a duration above zero`,
      );
    }
    // Each part was nonzero, yet the sum in seconds vanished ("1e-323ms" is below the least double).
    return outOfRange(
      input,
      `duration "${input}" is too small to represent (it rounds to 0 seconds)`,
    );
  }
  const single = parts.length === 1 ? parts[0] : undefined;
  // Kept in the unit it was written in: "90min" stays 90 min, not 5400 s converted back.
  if (single) return ok({ value: single.value, unit: lastUnit });
  return ok({ value: totalSeconds, unit: "s" });
}

function parseSimple<U extends string>(
  input: string,
  spellings: UnitSpellings<U>,
  what: string,
  example: string,
): Result<{ value: number; unit: U }, UnitParseError> {
  const match = NUMBER_WITH_UNIT.exec(input.trim());
  if (!match?.[1]) {
    return unparsable(input, `cannot read ${what} "${input}"; expected e.g. ${example}`);
  }
  const written = match[2] ?? "";
  const exact = Object.hasOwn(spellings.exact, written) ? spellings.exact[written] : undefined;
  const folded = written.toLowerCase();
  const readings = Object.hasOwn(spellings.ambiguous, folded)
    ? spellings.ambiguous[folded]
    : undefined;
  if (!exact && readings) {
    return unparsable(
      input,
      `"${written}" in "${input}" could be ${readings[0]} or ${readings[1]}; write one of those exactly, in that case`,
    );
  }
  const unit =
    exact?.unit ??
    (Object.hasOwn(spellings.anyCase, folded) ? spellings.anyCase[folded] : undefined);
  if (!unit) {
    const known = Object.keys(spellings.exact).join(", ");
    return unparsable(input, `"${input}" needs a ${what} unit (${known}); e.g. ${example}`);
  }
  const number = Number(match[1]);
  const value = exact?.scale ? exact.scale(number) : number;
  if (!Number.isFinite(value)) {
    return outOfRange(input, `${what} "${input}" is out of range (at most ${MAX_NUMBER_TEXT})`);
  }
  if (value < 0) return unparsable(input, `${what} must not be negative: "${input}"`);
  return ok({ value, unit });
}

/**
 * Reads "300W", "0.3kW", "500mW", "5MW" (as 5000 kW). SI symbols are case-sensitive: "mW" is
 * milliwatts and "MW" megawatts; other cases of "w" and "kw" are read, "mw" and "Mw" refused.
 */
export function parsePower(input: string): Result<Power, UnitParseError> {
  return parseSimple(input, POWER_SPELLINGS, "power", "300W or 0.3kW");
}

/**
 * Reads "1.5kWh", "200Wh", "3600J", "2MWh", "5mWh" (as 0.005 Wh). SI symbols are case-sensitive:
 * "MWh" is megawatt-hours and "mWh" milliwatt-hours; other cases of "j", "wh" and "kwh" are read,
 * "mwh", "MWH" and the like refused.
 */
export function parseEnergy(input: string): Result<Energy, UnitParseError> {
  return parseSimple(input, ENERGY_SPELLINGS, "energy", "1.5kWh or 200Wh");
}
