import { err, type Failure, failure, ok, type Result } from "@wattprint/result";
import { type Duration, seconds } from "./quantity.ts";

/** Why two instants make no span: one is not a date, or they are the wrong way round. */
export type TimeSpanError =
  | (Failure<"unparsable-date"> & { readonly field: "from" | "to"; readonly input: string })
  | (Failure<"reversed-span" | "empty-span"> & { readonly from: string; readonly to: string });

export interface TimeSpan {
  /** ISO 8601 instants in UTC, as the span was read. */
  readonly from: string;
  readonly to: string;
  readonly duration: Duration<"s">;
}

/**
 * ISO 8601 calendar dates and times as people type them: `2026-03-01`, `2026-03-01T08:00`,
 * `2026-03-01 08:00:30`, `2026-03-01T08:00Z`, `2026-03-01T08:00+01:00`. Stricter than
 * `Date.parse`, which also takes "March 1" or "3/1/2026" and reads them in the machine's own
 * time zone, so the same command would give different spans on different machines.
 */
const ISO_INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?)?(Z|[+-]\d{2}:\d{2})?$/i;

const EXAMPLE = "e.g. 2026-03-01 or 2026-03-01T08:00Z";

/**
 * Reads an instant. A date or time without an offset is UTC, and says so in the docs: the
 * alternative, the machine's local zone, makes a command's answer depend on where it runs.
 */
export function parseInstant(input: string): Result<Date, string> {
  const match = ISO_INSTANT.exec(input.trim());
  if (!match) return err(`"${input}" is not an ISO 8601 date or time; ${EXAMPLE}`);
  const [, y, mo, d, h = "0", mi = "0", s = "0", ms = "0", zone] = match;
  const parts = [y, mo, d, h, mi, s].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const [year, month, day, hour, minute, second] = parts;
  // Not Date.UTC: it reads years 0-99 as 1900-1999, so "0050-01-01" became 1950 and
  // "0000-02-29" (a leap day) was called a date that does not exist. setUTCFullYear takes the
  // year as written.
  const check = new Date(0);
  check.setUTCFullYear(year, month - 1, day);
  check.setUTCHours(hour, minute, second, Number(ms.padEnd(3, "0")));
  const utc = check.getTime();
  // The setters roll 2026-02-30 over into March; a date that does not round-trip does not exist.
  if (
    check.getUTCFullYear() !== year ||
    check.getUTCMonth() !== month - 1 ||
    check.getUTCDate() !== day ||
    hour > 23 ||
    minute > 59 ||
    second > 59
  ) {
    return err(`"${input}" is not a date or time that exists; ${EXAMPLE}`);
  }
  let offsetMinutes = 0;
  if (zone !== undefined && zone.toUpperCase() !== "Z") {
    const sign = zone.startsWith("-") ? -1 : 1;
    const [oh, om] = zone.slice(1).split(":").map(Number) as [number, number];
    if (oh > 23 || om > 59) return err(`"${input}" has an impossible UTC offset; ${EXAMPLE}`);
    offsetMinutes = sign * (oh * 60 + om);
  }
  return ok(new Date(utc - offsetMinutes * 60_000));
}

/** The span between two instants, `from` strictly before `to`. */
export function parseTimeSpan(from: string, to: string): Result<TimeSpan, TimeSpanError> {
  const start = parseInstant(from);
  if (!start.ok)
    return err(failure("unparsable-date", start.error, { field: "from", input: from }));
  const end = parseInstant(to);
  if (!end.ok) return err(failure("unparsable-date", end.error, { field: "to", input: to }));
  const span = { from: start.value.toISOString(), to: end.value.toISOString() };
  const lengthMs = end.value.getTime() - start.value.getTime();
  if (lengthMs < 0) {
    const message = `the span ends (${span.to}) before it starts (${span.from}); swap from and to`;
    return err(failure("reversed-span", message, span));
  }
  if (lengthMs === 0) {
    return err(
      failure("empty-span", `the span starts and ends at ${span.from}; it lasts no time`, span),
    );
  }
  return ok({ ...span, duration: seconds(lengthMs / 1000) });
}
