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

const CLOCK = /^(-?)(\d+):(\d{2}):(\d{1,2}(?:\.\d+)?)$/;

/** Reads `H:MM:SS` or `H:MM:SS.ss` (either field above) as seconds; undefined otherwise. */
export function parseClock(text: string): number | undefined {
  const match = CLOCK.exec(text);
  if (match === null) return undefined;
  const seconds = Number(match[2]) * 3600 + Number(match[3]) * 60 + Number(match[4]);
  return match[1] === "-" ? -seconds : seconds;
}
