import type { Provenance } from "../provenance.ts";
import * as z from "../zod.ts";

/**
 * A figure's source as every document writes it: the estimate report, the tracker's result,
 * the HTTP API. In a file of its own so that a bundle of the tracker (which cites sources but
 * builds no estimate report) leaves the report's schema out, and its construction at start.
 */
export const sourceSchema = z.strictObject({
  id: z.string(),
  title: z.string(),
  url: z.string(),
  /** Absent for a value the user supplied: it has no data year. */
  year: z.optional(z.int()),
  licence: z.optional(z.string()),
  method: z.string(),
  note: z.optional(z.string()),
});

export type SourceJson = z.infer<typeof sourceSchema>;

export function sourceOf(provenance: Provenance): SourceJson {
  const { source } = provenance;
  const { id, title, url, year, licence } = source;
  const { method, note } = provenance;
  // A user-supplied value has no year and cites no licence: the member is left out, not
  // written as undefined, so the object is what JSON.stringify and the schema see.
  if (year === undefined) {
    return note === undefined ? { id, title, url, method } : { id, title, url, method, note };
  }
  // One literal per combination of the optional members, in the schema's order, rather than
  // spreads of conditional objects: this runs for every row of every report, and the spreads
  // cost a fifth of the report.
  if (licence === undefined) {
    return note === undefined
      ? { id, title, url, year, method }
      : { id, title, url, year, method, note };
  }
  return note === undefined
    ? { id, title, url, year, licence, method }
    : { id, title, url, year, licence, method, note };
}
