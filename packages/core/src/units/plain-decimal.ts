/**
 * A finite, non-zero number below 1e21 in magnitude, rounded to `significantDigits` and written
 * as a plain decimal with thousands grouped by commas: what `Intl.NumberFormat("en-US",
 * { maximumSignificantDigits, useGrouping: true })` writes, without ICU.
 *
 * Why not ICU: building the first `Intl.NumberFormat` loads ICU's locale data, 20 to 35 ms of
 * CPU on the development VM, the largest single cost of `wattprint track -- true`'s start-up
 * (issue 13 gives it 150 ms in all).
 *
 * Rounding works on the digits JavaScript prints for the number (its shortest round-trip
 * form), half away from zero, as ICU does: 1.005 to three digits is 1.01 although the double
 * nearest 1.005 lies just below it. A test holds it equal to `Intl.NumberFormat` on random
 * numbers of every size in its range, for 1 to 15 digits, wherever 15 digits hold the number.
 * Where the printed form of a double has 16 or 17 digits, ICU first cuts it to fewer digits
 * than JavaScript prints (it writes 0.9999999999999994 as "1" even at 15 digits) and this
 * keeps JavaScript's digits.
 */
export function plainDecimal(value: number, significantDigits: number): string {
  const shortest = String(Math.abs(value));
  if (shortest.includes("e"))
    throw new RangeError(`plainDecimal takes 1e-6 <= |value| < 1e21, got ${value}`);
  const point = shortest.indexOf(".");
  const whole = point < 0 ? shortest : shortest.slice(0, point);
  const fraction = point < 0 ? "" : shortest.slice(point + 1);
  // All the digits with no point, and where the point sits in them; then drop leading zeros.
  let digits = whole + fraction;
  let pointAt = whole.length;
  const firstNonZero = digits.search(/[1-9]/);
  digits = digits.slice(firstNonZero);
  pointAt -= firstNonZero;
  if (digits.length > significantDigits) {
    const roundUp = digits.charCodeAt(significantDigits) >= 53; // "5"
    digits = digits.slice(0, significantDigits);
    if (roundUp) {
      const carried = incremented(digits);
      // 999 -> 1000: one digit more, so the point moves one place right.
      if (carried.length > digits.length) pointAt++;
      digits = carried.slice(0, significantDigits);
    }
  }
  digits = digits.replace(/0+$/, "");
  let integer: string;
  let decimals: string;
  if (pointAt <= 0) {
    integer = "0";
    decimals = "0".repeat(-pointAt) + digits;
  } else if (pointAt >= digits.length) {
    integer = digits + "0".repeat(pointAt - digits.length);
    decimals = "";
  } else {
    integer = digits.slice(0, pointAt);
    decimals = digits.slice(pointAt);
  }
  const sign = value < 0 ? "-" : "";
  return decimals === "" ? sign + grouped(integer) : `${sign + grouped(integer)}.${decimals}`;
}

/** A string of decimal digits plus one: "129" -> "130", "999" -> "1000". */
function incremented(digits: string): string {
  let i = digits.length - 1;
  while (i >= 0 && digits[i] === "9") i--;
  if (i < 0) return `1${"0".repeat(digits.length)}`;
  return digits.slice(0, i) + String(Number(digits[i]) + 1) + "0".repeat(digits.length - 1 - i);
}

/** "1234567" -> "1,234,567". */
function grouped(integer: string): string {
  let out = "";
  for (let end = integer.length; end > 0; end -= 3) {
    const start = Math.max(0, end - 3);
    out = out === "" ? integer.slice(start, end) : `${integer.slice(start, end)},${out}`;
  }
  return out;
}
