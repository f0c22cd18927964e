/**
 * Matching key for names typed by people: accents, case, punctuation and spacing are
 * dropped, so "Côte d'Ivoire", "cote divoire" and "COTE D IVOIRE" share one key.
 */
export function nameKey(text: string): string {
  return text
    .trim()
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/&/g, "and")
    .replace(/^the\s+/, "")
    .replace(/[^a-z0-9]/g, "");
}
