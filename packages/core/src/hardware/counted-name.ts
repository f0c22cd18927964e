import { type Failure, failure, type Result } from "@wattprint/result";
import { boundedMemo } from "../text/bounded-memo.ts";
import { quoteName } from "../text/quote-name.ts";
import { findHardware, REMEMBERED_LOOKUPS } from "./lookup.ts";
import { startsWithGeneration } from "./normalise.ts";

/** One hardware value as typed: the name to look up, and how many of it the value says. */
export interface CountedHardware {
  /** The value as given, trimmed. */
  readonly raw: string;
  readonly name: string;
  readonly count: number;
}

/** A value written with a count this reading does not take ("2.5x H100", "3 H100", "H100x2"). */
export type HardwareCountError = Failure<"invalid-hardware-count"> & {
  /** The value as given, trimmed. */
  readonly value: string;
  /** What is wrong, without the value: "has a count that is not a whole number". */
  readonly why: string;
};

const COUNT_FORMS = '"N x NAME" (e.g. "3x H100") or "NAME xN" (e.g. "H100 x3")';

/**
 * A count before the name: "4x A100", "4 x A100", "4×A100", "4*A100". Some names start so
 * (AMD's "7800X3D"): a value the table knows whole, by its first word, is a name.
 */
const LEADING = /^(\d+)\s*[x×*]\s*(\S.*)$/i;
/**
 * A count after the name, as its own word: "A100 x4", "A100 ×4", "A100 x 4". The word before
 * the x must end in a blank, so "RTX 3060" and "Jetson TX2" stay names.
 */
const TRAILING = /^(.*\S)\s+[x×*]\s*(\d+)$/i;
/**
 * A count in brackets after the name: "A100 (x2)", "A100 (2x)", "A100 (×2)". No model name
 * ends so; the lookup dropped the brackets and counted one.
 */
const BRACKETED = /^(.*\S)\s*\(\s*(?:[x×*]\s*(\d+)|(\d+)\s*[x×*])\s*\)$/i;
/** Something written as a count that is not a whole number: "2.5x H100", "1e3x", "-2x", "H100 x2.5". */
const LEADING_NUMBER_COUNT = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?\s*[x×*]/i;
const TRAILING_NUMBER_COUNT = /\s[x×*]\s*[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
/** A value that starts with a number ("3 H100", "3090 Ti") or ends in x and digits ("H100x2"). */
const STARTS_WITH_NUMBER = /^[+-]?\.?\d/;
/** One or two digits alone: a count, never a hardware name ("4090 x3" is 3 × RTX 4090, not 4090 × "3"). */
const SMALL_NUMBER = /^\d{1,2}$/;
const ENDS_WITH_X_DIGITS = /x\d+$/i;

type HardwareLookup = ReturnType<typeof findHardware>;

const WORDS = (text: string): string[] =>
  text
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word !== "");

/**
 * Whether `word` is a word of the hardware a value resolved to (`match`): "3090 Ti" starts with 3090, the
 * RTX 3090 Ti's own number, while "3 H100" starts with 3, no word of any H100's name.
 */
function partOfName(match: HardwareLookup, word: string): boolean {
  if (!match.ok) return false;
  const { profile } = match.value;
  return [profile.name, ...(profile.aliases ?? [])].some((name) => WORDS(name).includes(word));
}

/** Thrown inside `readHardwareCount` only, and caught there: one exit for every refusal. */
class Refusal {
  constructor(readonly why: string) {}
}

function refuse(why: string): never {
  throw new Refusal(why);
}

function counted(raw: string, digits: string, name: string): CountedHardware {
  const count = Number(digits);
  if (!Number.isSafeInteger(count) || count < 1) {
    refuse(`has count ${digits}, not a whole number 1..${Number.MAX_SAFE_INTEGER}`);
  }
  return { raw, name: name.trim(), count };
}

/**
 * How many of which hardware a `--hardware` item names. A count the reading does not take
 * is refused rather than passed to the fuzzy lookup, which ignored it and counted one: "3
 * H100" is refused (a bare leading number is also how model numbers start, "3090 Ti"), as are
 * "2.5x H100", "1e3x H100" and "H100x2". A number that is the start or end of the hardware's
 * own name ("3090", "3090 Ti", "Jetson TX2") is the name.
 */
function readCount(input: string): CountedHardware {
  const raw = input.trim();
  if (SMALL_NUMBER.test(raw)) refuse("is a number alone, not a hardware name");
  const bracketed = BRACKETED.exec(raw);
  if (bracketed?.[1] !== undefined && !SMALL_NUMBER.test(bracketed[1])) {
    return counted(raw, bracketed[2] ?? bracketed[3] ?? "", bracketed[1]);
  }
  // The whole value's lookup, made once and only when a number at either end needs it.
  let whole: HardwareLookup | undefined;
  const lookUpWhole = (): HardwareLookup => {
    whole ??= findHardware(raw);
    return whole;
  };
  const first = WORDS(raw)[0];
  /** The value is a name the table knows, starting with that name's own first word ("7950X"). */
  const wholeName = (): boolean => first !== undefined && partOfName(lookUpWhole(), first);
  const trailing = TRAILING.exec(raw);
  const leading = LEADING.exec(raw);
  // Each reading, unless its name would be one or two digits (then it is the count).
  const after =
    trailing?.[1] !== undefined && trailing[2] !== undefined && !SMALL_NUMBER.test(trailing[1])
      ? { digits: trailing[2], name: trailing[1] }
      : undefined;
  const before =
    leading?.[1] !== undefined && leading[2] !== undefined && !SMALL_NUMBER.test(leading[2].trim())
      ? { digits: leading[1], name: leading[2] }
      : undefined;
  if (after !== undefined && before !== undefined) {
    // "4090 x 3090": a count of either and a name of the other.
    const afterMatch = findHardware(after.name);
    const beforeMatch = findHardware(before.name);
    if (afterMatch.ok && beforeMatch.ok) {
      refuse(
        `reads as ${before.digits} × ${beforeMatch.value.profile.name} or ${after.digits} × ${afterMatch.value.profile.name}`,
      );
    }
    const reading = afterMatch.ok ? after : before;
    return counted(raw, reading.digits, reading.name);
  }
  if (after !== undefined) return counted(raw, after.digits, after.name);
  if (leading !== null) {
    if (wholeName()) return { raw, name: raw, count: 1 };
    if (before !== undefined) return counted(raw, before.digits, before.name);
    refuse("has a count but no hardware name");
  }
  if ((LEADING_NUMBER_COUNT.test(raw) && !wholeName()) || TRAILING_NUMBER_COUNT.test(raw)) {
    refuse("has a count that is not a whole number");
  }
  if (
    STARTS_WITH_NUMBER.test(raw) &&
    !startsWithGeneration(raw) &&
    first !== undefined &&
    !partOfName(lookUpWhole(), first)
  ) {
    // A number before a name the table knows ("3 H100", "3 4090") was meant as a count. An
    // unknown model number ("4090 Ti") is left to the lookup, whose refusal suggests names.
    const rest = raw.replace(/^[+-]?[\d.]+(e[+-]?\d+)?\s*/i, "");
    if (lookUpWhole().ok || (rest !== "" && findHardware(rest).ok)) {
      refuse(`starts with ${quoteName(first)}, which is not part of the hardware's name`);
    }
  }
  const last = WORDS(raw).at(-1);
  if (ENDS_WITH_X_DIGITS.test(raw) && last !== undefined && !partOfName(lookUpWhole(), last)) {
    refuse(
      `ends in ${quoteName(last.slice(last.search(/x\d+$/)))}, which is not part of a hardware name`,
    );
  }
  return { raw, name: raw, count: 1 };
}

/**
 * How many of which hardware a value names: "4x A100", "4 x A100", "A100 x4", "A100 (x2)"
 * are 4, 4, 4 and 2 A100s; a value with no count is one. A count the reading does not take is
 * refused rather than passed to the fuzzy lookup, which ignores it and counts one: "3 H100"
 * (a bare leading number is also how model numbers start, "3090 Ti"), "2.5x H100",
 * "1e3x H100", "H100x2". A number that is the start or end of the hardware's own name ("3090",
 * "3090 Ti", "Jetson TX2", AMD's "7800X3D") is the name. The CLI's `--hardware` and the
 * estimate's hardware names (`estimateFootprint`, `POST /v1/estimate`) both read counts so.
 */
export function readHardwareCount(input: string): Result<CountedHardware, HardwareCountError> {
  return rememberedReadings(input.trim());
}

/**
 * Readings of the values a service sees request after request (a fifth of an estimate's
 * time went into these patterns and words), with the hardware lookup's limits. Answers are
 * frozen by type (readonly), never copied.
 */
const rememberedReadings = boundedMemo(REMEMBERED_LOOKUPS, readTrimmed);

function readTrimmed(raw: string): Result<CountedHardware, HardwareCountError> {
  try {
    return { ok: true, value: readCount(raw) };
  } catch (error) {
    if (!(error instanceof Refusal)) throw error;
    const message = `${quoteName(raw)} ${error.why}; write a count as ${COUNT_FORMS}`;
    return {
      ok: false,
      error: failure("invalid-hardware-count", message, { value: raw, why: error.why }),
    };
  }
}
