import { err, failure, ok, type Result } from "@wattprint/result";
import { MAX_NAME_CHARS, quoteName } from "../text/quote-name.ts";
import { catalog, closestLabels } from "./catalog.ts";
import { type LocationError, type ResolvedLocation, ZONES_HINT } from "./location.ts";
import { nameKey } from "./normalize.ts";

/**
 * Turns what a user typed into a known location. Codes are tried before names so "ES" is
 * Spain and never a fuzzy match; names ignore case, accents and punctuation. An unknown
 * location is an error with suggestions: it never degrades to the world average.
 */
export function resolveLocation(query: string): Result<ResolvedLocation, LocationError> {
  const trimmed = query.trim();
  if (trimmed.length === 0) {
    return err(failure("empty-query", `empty location; ${ZONES_HINT}`, { query }));
  }
  if (query.length > MAX_NAME_CHARS) {
    const message = `unknown location ${quoteName(query)}: a name over ${MAX_NAME_CHARS} characters names no place (${ZONES_HINT})`;
    return err(failure("unknown-location", message, { query, suggestions: [] }));
  }
  const { byCode, byName, ambiguous } = catalog();
  const found = byCode.get(trimmed.toUpperCase());
  if (found !== undefined) return ok(found);
  const several = ambiguous.get(nameKey(trimmed));
  if (several !== undefined) {
    const { suggestions } = several;
    const message = `${quoteName(query)} ${several.why}; name one of: ${suggestions.join(", ")}`;
    return err(failure("ambiguous-location", message, { query, suggestions }));
  }
  const named = byName.get(nameKey(trimmed));
  if (named !== undefined) return ok(named);
  const suggestions = closestLabels(trimmed);
  const close = suggestions.length > 0 ? `; did you mean ${suggestions.join(", ")}?` : "";
  const message = `unknown location ${quoteName(query)}${close} (${ZONES_HINT})`;
  return err(failure("unknown-location", message, { query, suggestions }));
}
