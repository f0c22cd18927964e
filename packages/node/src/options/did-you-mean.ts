import { closest } from "@wattprint/core/units";

/**
 * The names a mistyped word may have meant, by the workspace's one fuzzy rule (core's
 * `closest`): at most three, none further than a third of the word rewritten (at least two
 * edits), so `--wats` finds `--watts` and `--x` finds nothing.
 */
export function didYouMean(typed: string, names: Iterable<string>): string[] {
  const candidates = [...names].map((name) => ({ key: name, label: name }));
  return closest(typed, candidates, {
    limit: 3,
    maxQueryChars: 64,
    maxDistance: Math.max(2, Math.ceil(typed.length / 3)),
  });
}

/** `; did you mean --watts?` (or `--a or --b`), empty when nothing is close. */
export function suggestionSuffix(suggestions: readonly string[]): string {
  if (suggestions.length === 0) return "";
  const last = suggestions.at(-1);
  const list =
    suggestions.length === 1 ? last : `${suggestions.slice(0, -1).join(", ")} or ${last}`;
  return `; did you mean ${list}?`;
}

/** parseArgs' unknown-option error, with the flags of `known` it was probably meant as. */
export function unknownFlagMessage(message: string, known: readonly string[]): string {
  const typed = /Unknown option '(-{1,2}[^']+)'/.exec(message)?.[1];
  if (typed === undefined || !typed.startsWith("--")) return message;
  const flags = didYouMean(typed.slice(2), known).map((name) => `--${name}`);
  return `${message}${suggestionSuffix(flags)}`;
}
