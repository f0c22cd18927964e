/**
 * Number formats of carbontracker's logs. Both writers here produce plain decimals only:
 * carbontracker's own power regex stops at the first character outside `[0-9.]`, so a
 * `1.2e-05` it reads as 1.2. The reader accepts scientific notation anyway, because older
 * logs (and Python's `str(float)`) contain it.
 */

/**
 * A float as Python's `str()` prints it (shortest digits that read back to the same double,
 * `.0` on whole numbers) but never in scientific notation: `240.0`, `0.000012`.
 */
export function plainDecimal(value: number): string {
  if (!Number.isFinite(value)) return nonFinite(value);
  let text = String(value === 0 ? 0 : value);
  if (text.includes("e")) text = expandExponent(text);
  return text.includes(".") ? text : `${text}.0`;
}

/** NaN and the infinities as Python prints them: `BigInt` and `toFixed` have no digits for them. */
function nonFinite(value: number): string {
  return Number.isNaN(value) ? "nan" : value > 0 ? "inf" : "-inf";
}

/** `1.2e-5` -> `0.000012`, `1e+21` -> `1000000000000000000000`: same digits, no exponent. */
function expandExponent(text: string): string {
  const negative = text.startsWith("-");
  const [mantissa = "", exponentText = "0"] = (negative ? text.slice(1) : text).split("e");
  const exponent = Number(exponentText);
  const [whole = "", fraction = ""] = mantissa.split(".");
  const digits = whole + fraction;
  const point = whole.length + exponent;
  let plain: string;
  if (point <= 0) plain = `0.${"0".repeat(-point)}${digits}`;
  else if (point >= digits.length) plain = digits + "0".repeat(point - digits.length);
  else plain = `${digits.slice(0, point)}.${digits.slice(point)}`;
  return negative ? `-${plain}` : plain;
}

/**
 * `value` with exactly `decimals` digits after the point, as Python's `f"{value:.{p}f}"`
 * (the two differ only on exact binary ties, which Python rounds to even). `toFixed` turns
 * to exponent notation from 1e21 on; such a double is a whole number, printed digit by digit.
 */
export function fixedDecimal(value: number, decimals: number): string {
  if (!Number.isFinite(value)) return nonFinite(value);
  if (Math.abs(value) < 1e21) return value.toFixed(decimals);
  const whole = BigInt(value).toString();
  return decimals > 0 ? `${whole}.${"0".repeat(decimals)}` : whole;
}

// `\d+(?:\.\d*)?`, not `\d+\.?\d*`: with the dot optional the two digit runs can split a
// long run of digits in every way, and a token that then fails (`111...1x`) backtracks
// through all of them, quadratic in its length (seconds for a 60 kB line).
const NUMBER = /^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$/;

/**
 * Reads one number token the way Python's `float()` reads what carbontracker wrote: plain or
 * scientific decimals, `nan` and `inf`. Anything else (an empty string, `1,5`, `0x10`) is
 * `undefined`, so that the caller reports the line instead of reading a 0.
 */
export function parseNumberToken(token: string): number | undefined {
  if (NUMBER.test(token)) return Number(token);
  const lower = token.toLowerCase();
  if (lower === "nan" || lower === "-nan" || lower === "+nan") return Number.NaN;
  if (lower === "inf" || lower === "+inf" || lower === "infinity") return Number.POSITIVE_INFINITY;
  if (lower === "-inf" || lower === "-infinity") return Number.NEGATIVE_INFINITY;
  return undefined;
}

/** Python's `round()` to an integer: half to even on exact ties (2.5 -> 2), else nearest. */
export function roundHalfEven(value: number): number {
  const floor = Math.floor(value);
  const fraction = value - floor;
  if (fraction > 0.5) return floor + 1;
  if (fraction < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}
