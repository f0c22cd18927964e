import type { FormFactor } from "./profile.ts";

/**
 * Hardware names arrive as `nvidia-smi`, `/proc/cpuinfo` or `lscpu` print them, full of
 * trademarks, clock speeds and vendor prefixes. Both the table and the query go through the
 * same normalisation, so a row only needs its name plus the spellings that differ in substance.
 */

/** Fragments that never identify a product: trademarks, clocks, core counts, APU suffixes. */
const NOISE_PATTERNS: readonly RegExp[] = [
  // ® and ™ written as escapes: one non-ASCII character in the CLI's 890 kB `track` bundle
  // made Node decode and V8 parse all of it as a two-byte string (about 4 ms more at start).
  /\((r|tm|c)\)|\u00ae|\u2122/g,
  /\bcpu\s*@\s*[\d.]+\s*[gm]hz\b/g,
  /@\s*[\d.]+\s*[gm]hz\b/g,
  /\b\d+-core\s+processor\b/g,
  /\bwith\s+radeon(\s+\w+)?\s+graphics\b/g,
  /\b\d+(st|nd|rd|th)\s+gen(eration)?\b/g,
];

/** Vendor and marketing words that appear in some reports of a device and not in others. */
const NOISE_WORDS = new Set([
  "nvidia",
  "tesla",
  "geforce",
  "quadro",
  "intel",
  "amd",
  "apple",
  "aws",
  "amazon",
  "google",
  "cloud",
  "ampere",
  "habana",
  "processor",
  "cpu",
  "gpu",
  "hgx",
  "dgx",
  "corporation",
]);

const FORM_FACTOR_TOKENS: Readonly<Record<string, FormFactor>> = {
  pcie: "pcie",
  sxm: "sxm",
  sxm2: "sxm",
  sxm3: "sxm",
  sxm4: "sxm",
  sxm5: "sxm",
  sxm6: "sxm",
  nvl: "nvl",
  oam: "oam",
};

const MEMORY_TOKEN = /^(\d+)gb$/;

/** Lower-cased, noise-free, single-spaced form used for exact and token comparison. */
export function normaliseName(raw: string): string {
  let text = raw.toLowerCase();
  for (const pattern of NOISE_PATTERNS) text = text.replace(pattern, " ");
  text = text.replace(/[^a-z0-9]+/g, " ");
  // "80 GB" and "80GB" must compare equal; nvidia-smi uses both.
  text = text.replace(/\b(\d+)\s+gb\b/g, "$1gb");
  return text
    .split(" ")
    .filter((word) => word.length > 0 && !NOISE_WORDS.has(word))
    .join(" ");
}

/** A name split into what identifies the product and what picks a board variant. */
export interface NameTokens {
  readonly model: readonly string[];
  readonly formFactor?: FormFactor;
  readonly memoryGB?: number;
}

export function tokenise(raw: string): NameTokens {
  return tokensOfNormalised(normaliseName(raw));
}

/**
 * `tokenise` of a name already through `normaliseName`: the index normalises each of the
 * table's spellings once for both of its maps (twice was a third of building it, which the
 * first lookup of `wattprint track` pays).
 */
export function tokensOfNormalised(normalised: string): NameTokens {
  const model: string[] = [];
  let formFactor: FormFactor | undefined;
  let memoryGB: number | undefined;
  for (const token of normalised.split(" ")) {
    if (token.length === 0) continue;
    const ff = FORM_FACTOR_TOKENS[token];
    const memory = MEMORY_TOKEN.exec(token);
    if (ff !== undefined) formFactor = ff;
    else if (memory?.[1] !== undefined) memoryGB = Number(memory[1]);
    else if (!model.includes(token)) model.push(token);
  }
  return {
    model,
    ...(formFactor === undefined ? {} : { formFactor }),
    ...(memoryGB === undefined ? {} : { memoryGB }),
  };
}
