/**
 * A variant letter written as its own word ("L40 S", "Xeon Gold 6248 R", "RTX 4090 D") names
 * a different part from the number alone, usually one that draws more (L40S 350 W against the
 * L40's 300 W). Token scoring would drop the letter as an unknown extra word and answer the
 * lower-power part, so the letter is read here, before scoring.
 */
export interface VariantLetters {
  /** The normalised name with each letter that completes a row's token joined to it. */
  readonly text: string;
  /** Whether a letter was joined ("l40 s" -> "l40s"). */
  readonly joined: boolean;
  /**
   * The first letter that follows a number and completes no row's token, with that number
   * (["4090", "d"]): the name may be a variant the table does not hold.
   */
  readonly unread?: readonly [string, string];
}

const LETTERS = /^[a-z]{1,2}$/;
const hasDigit = (word: string): boolean => /\d/.test(word);

/**
 * `normalised` is a name through `normaliseName`; `rowTokens` holds every model token of the
 * table. A letter that is itself a row's token ("ti", "nx") is a known word, never unread.
 */
export function readVariantLetters(
  normalised: string,
  rowTokens: ReadonlySet<string>,
): VariantLetters {
  const words: string[] = [];
  let joined = false;
  let unread: readonly [string, string] | undefined;
  for (const word of normalised.split(" ")) {
    const previous = words.at(-1);
    if (previous !== undefined && hasDigit(previous) && LETTERS.test(word)) {
      if (rowTokens.has(previous + word)) {
        words[words.length - 1] = previous + word;
        joined = true;
        continue;
      }
      if (!rowTokens.has(word)) unread ??= [previous, word];
    }
    words.push(word);
  }
  return { text: words.join(" "), joined, ...(unread === undefined ? {} : { unread }) };
}
