import { expect } from "vitest";
import { z } from "zod";

/** What every table's source must hold: an id, a title saying what it gives, a URL, a year, a licence. */
export const sourceRefSchema = z
  .object({
    id: z.string().min(1),
    title: z.string().min(10),
    url: z.url(),
    year: z.number().int().min(2010).max(2026),
    licence: z.string().min(1),
  })
  .strict();

/**
 * A sourced table's checks: every source is well formed, every row names a known one, and
 * every source is used by some row (an unused source is a row that went missing).
 */
export function expectSourcedTable(
  sources: readonly { readonly id: string }[],
  rows: readonly { readonly sourceId: string }[],
  lookup: (id: string) => unknown,
): void {
  for (const s of sources) expect(sourceRefSchema.safeParse(s).success, s.id).toBe(true);
  for (const row of rows) expect(lookup(row.sourceId), row.sourceId).toBeDefined();
  const used = new Set(rows.map((r) => r.sourceId));
  for (const s of sources) expect(used.has(s.id), s.id).toBe(true);
}
