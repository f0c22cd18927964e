/**
 * carbontracker stamps lines and names files in local time and appends a literal `Z` to the
 * file name; this writer uses UTC for both, so the `Z` is true. The shapes stay the same, so
 * every reader of carbontracker's logs still reads them.
 */
const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** `YYYY-MM-DD HH:MM:SS` in UTC: the start of every log line. */
export function lineTimestamp(date: Date): string {
  return (
    `${date.getUTCFullYear()}-${pad2(date.getUTCMonth() + 1)}-${pad2(date.getUTCDate())} ` +
    `${pad2(date.getUTCHours())}:${pad2(date.getUTCMinutes())}:${pad2(date.getUTCSeconds())}`
  );
}

/** `YYYY-MM-DDTHHMMSSZ` in UTC (no colons, so the name is valid on Windows too). */
export function fileTimestamp(date: Date): string {
  return (
    `${date.getUTCFullYear()}-${pad2(date.getUTCMonth() + 1)}-${pad2(date.getUTCDate())}T` +
    `${pad2(date.getUTCHours())}${pad2(date.getUTCMinutes())}${pad2(date.getUTCSeconds())}Z`
  );
}
