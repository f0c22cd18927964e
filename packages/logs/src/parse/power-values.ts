import { parseNumberToken } from "../format/numbers.ts";

/** More values than this on one power line is not a device list. */
export const MAX_VALUES_PER_LINE = 4096;

/**
 * The largest power read, in watts: no device comes near it, and it keeps a power times an
 * epoch's duration (at most 12 digits of hours) and any sum of those finite.
 */
export const MAX_POWER_W = 1e20;

const PLAIN = /^\d+(?:\.\d+)?$/;
// `[^()]*`, not `[^)]*`: an unclosed `np.float64(` would scan to the end of the line once per
// occurrence, quadratic in the line's length.
const NP_FLOAT = /np\.float(?:32|64)\(([^()]*)\)/g;

/** A power in watts as read: a finite number from 0 to MAX_POWER_W (NaN fails both tests). */
export const isPowerW = (n: number): boolean => n >= 0 && n <= MAX_POWER_W;

export type PowerValues = number[] | { readonly error: string };

/**
 * The value of an "Average power usage (W) for gpu:" line: a plain or scientific number
 * (`240.0`, `1.2e-05`), `None` (no sample in that epoch, read as 0 W as carbontracker does),
 * or an array as numpy or Python prints it (`[240.0 250.5]`, `[240.0, 250.5]`,
 * `[np.float64(240.0)]`, `[None]`), every value kept.
 */
export function parsePowerValues(text: string): PowerValues {
  // The common case first: one plain number, as carbontracker and this writer print it.
  if (PLAIN.test(text)) {
    const n = Number(text);
    if (isPowerW(n)) return [n];
    return { error: notAPower(text) };
  }
  const value = text.trim();
  if (value === "None") return [0];
  if (!value.startsWith("[")) {
    const n = parseNumberToken(value);
    return n !== undefined && isPowerW(n) ? [n] : { error: notAPower(value) };
  }
  if (!value.endsWith("]")) return { error: `the array "${excerpt(value)}" is not closed` };
  const tokens = value
    .slice(1, -1)
    .replace(NP_FLOAT, "$1")
    .split(/[\s,]+/)
    .filter((t) => t !== "");
  if (tokens.length === 0) return { error: "the array of powers is empty" };
  if (tokens.length > MAX_VALUES_PER_LINE) {
    return { error: `more than ${MAX_VALUES_PER_LINE} values on one power line` };
  }
  const values: number[] = [];
  for (const token of tokens) {
    if (token === "None") {
      values.push(0);
      continue;
    }
    const n = parseNumberToken(token);
    if (n === undefined || !isPowerW(n)) {
      return { error: `in the array, ${notAPower(token)}` };
    }
    values.push(n);
  }
  return values;
}

function notAPower(text: string): string {
  return `"${excerpt(text)}" is not a power in watts (a number from 0 to 1e20)`;
}

/** At most 60 characters of hostile text in a message. */
export function excerpt(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
