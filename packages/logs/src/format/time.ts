import { roundHalfEven } from "./numbers.ts";

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

/**
 * The `Time:` field of a consumption record: `H:MM:SS`, seconds rounded to a whole number
 * (half to even, as Python's `round`), hours unbounded, `-` in front when negative.
 */
export function formatHms(seconds: number): string {
  const total = roundHalfEven(Math.abs(seconds));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return `${seconds < 0 && total > 0 ? "-" : ""}${h}:${pad2(m)}:${pad2(s)}`;
}

/**
 * The `Duration:` line of an epoch: `H:MM:SS.ss`, seconds as `%05.2f`. A value that rounds
 * up to 60.00 seconds carries into the minutes instead of printing `0:00:60.00`.
 */
export function formatEpochDuration(seconds: number): string {
  const sign = seconds < 0 ? "-" : "";
  const abs = Math.abs(seconds);
  let h = Math.floor(abs / 3600);
  let m = Math.floor((abs - h * 3600) / 60);
  let sText = (abs - h * 3600 - m * 60).toFixed(2);
  if (sText === "60.00") {
    sText = "0.00";
    m += 1;
    if (m === 60) {
      m = 0;
      h += 1;
    }
  }
  return `${sign}${h}:${pad2(m)}:${sText.length < 5 ? `0${sText}` : sText}`;
}

const isDigit = (code: number): boolean => code >= 48 && code <= 57;
const SECONDS = /^\d{1,2}(?:\.\d+)?$/;

/**
 * Reads `H:MM:SS` or `H:MM:SS.ss` (either field above) as seconds; undefined otherwise.
 * Hand-written: it runs on every epoch of every log of a folder.
 */
export function parseClock(text: string): number | undefined {
  let i = text.charCodeAt(0) === 45 ? 1 : 0;
  const negative = i === 1;
  let hours = 0;
  const hoursStart = i;
  while (i < text.length && isDigit(text.charCodeAt(i)))
    hours = hours * 10 + (text.charCodeAt(i++) - 48);
  if (i === hoursStart || i - hoursStart > 12 || text.charCodeAt(i) !== 58) return undefined;
  const m1 = text.charCodeAt(i + 1);
  const m2 = text.charCodeAt(i + 2);
  if (!isDigit(m1) || !isDigit(m2) || text.charCodeAt(i + 3) !== 58) return undefined;
  const rest = text.slice(i + 4);
  if (!SECONDS.test(rest)) return undefined;
  const seconds = hours * 3600 + ((m1 - 48) * 10 + (m2 - 48)) * 60 + Number(rest);
  return negative ? -seconds : seconds;
}
