import * as z from "../zod.ts";

// ISO 8601 date and time, to the minute or finer: "2026-11-28T23:00Z" (the UK API's form),
// "2026-11-28T23:05:00" (Energi Data Service's, UTC without a zone).
const DATE_TIME = String.raw`\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?`;
const ZONE = String.raw`(?:Z|[+-]\d{2}:\d{2})`;
const ZONED = new RegExp(`^${DATE_TIME}${ZONE}$`);
const ZONE_OPTIONAL = new RegExp(`^${DATE_TIME}${ZONE}?$`);
const ENDS_IN_ZONE = new RegExp(`${ZONE}$`);

/** Text with no zone is UTC here: the providers that write it say so (`Minutes5UTC`). */
const asUtc = (text: string): string => (ENDS_IN_ZONE.test(text) ? text : `${text}Z`);
const isDateTime = (text: string): boolean => !Number.isNaN(Date.parse(asUtc(text)));

/**
 * A provider's timestamp checked at the boundary. `Date.parse` alone took "1" and "bogus 2"
 * as dates in 2001, which then dated the intensity and its provenance.
 */
export const zonedTimestampSchema = z
  .string()
  .check(
    z.regex(
      ZONED,
      "expected an ISO 8601 date and time with Z or an offset, e.g. 2026-11-28T23:00Z",
    ),
    z.refine(isDateTime, "not a calendar date and time"),
  );
export const utcTimestampSchema = z
  .string()
  .check(
    z.regex(ZONE_OPTIONAL, "expected an ISO 8601 date and time in UTC, e.g. 2026-11-28T23:05:00"),
    z.refine(isDateTime, "not a calendar date and time"),
  );

/** The full ISO instant of a timestamp checked by one of the schemas above. */
export const isoInstant = (text: string): string => new Date(Date.parse(asUtc(text))).toISOString();
