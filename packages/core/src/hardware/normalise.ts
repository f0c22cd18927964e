import type { FormFactor } from "./profile.ts";

/** Intel's generation words as /proc/cpuinfo writes them: "13th Gen", "12th Generation". */
const GENERATION_WORDS = String.raw`\d+(st|nd|rd|th)\s+gen(eration)?\b`;
const LEADING_GENERATION = new RegExp(`^${GENERATION_WORDS}`, "i");

/**
 * Whether a name starts with Intel's generation prefix ("13th Gen Intel(R) Core(TM) i9-13900K"):
 * its number is part of the name as the OS reports it, never a count of devices.
 */
export const startsWithGeneration = (name: string): boolean => LEADING_GENERATION.test(name);

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
  new RegExp(String.raw`\b${GENERATION_WORDS}`, "g"),
];

/**
 * Vendor and marketing words that appear in some reports of a device and not in others.
 * Not "quadro": the Quadro RTX 6000 (Turing) is another card than the RTX 6000 Ada, and
 * dropping the word matched the one to the other.
 */
const NOISE_WORDS = new Set([
  "nvidia",
  "tesla",
  "geforce",
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
  // NFKC folds full-width and other compatibility forms ("\uff21\uff11\uff10\uff10" -> "A100"),
  // which the ASCII filter below would otherwise drop whole. It also writes the trade mark
  // sign as "TM", glued to the word before it ("Core\u2122" -> "CoreTM"), so that sign goes first.
  let text = raw
    .replace(/\u2122/g, " ")
    .normalize("NFKC")
    .toLowerCase();
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
  /** Set when the name states two different form factors or memory sizes. */
  readonly conflict?: VariantConflict;
}

/**
 * A name that states two different variants ("A100 SXM4 40GB PCIe", "A100 40GB 80GB"). Either
 * word may be the slip, so which row was meant is a guess: the lookup refuses it, naming both.
 */
export interface VariantConflict {
  readonly what: "form factor" | "memory size";
  /** The two words as normalised, in the order written ("sxm4", "pcie"). */
  readonly written: readonly [string, string];
  /** The name read with the first word, and with the second (the other variant as stated). */
  readonly readings: readonly [NameTokens, NameTokens];
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
  // A Set, not model.includes: a long pasted name made the dedup quadratic (128 kB, 2.4 s).
  const seen = new Set<string>();
  const formFactor = new StatedVariant<FormFactor>();
  const memory = new StatedVariant<number>();
  for (const token of normalised.split(" ")) {
    if (token.length === 0) continue;
    const ff = FORM_FACTOR_TOKENS[token];
    const gb = MEMORY_TOKEN.exec(token)?.[1];
    if (ff !== undefined) formFactor.state(ff, token);
    else if (gb !== undefined) memory.state(Number(gb), token);
    else if (!seen.has(token)) {
      seen.add(token);
      model.push(token);
    }
  }
  const tokens: NameTokens = {
    model,
    ...(formFactor.first === undefined ? {} : { formFactor: formFactor.first.value }),
    ...(memory.first === undefined ? {} : { memoryGB: memory.first.value }),
  };
  const conflict =
    formFactor.conflict("form factor", tokens, (value) => ({ ...tokens, formFactor: value })) ??
    memory.conflict("memory size", tokens, (value) => ({ ...tokens, memoryGB: value }));
  return conflict === undefined ? tokens : { ...tokens, conflict };
}

/**
 * One kind of variant as a name states it: the first value is kept; a different second one
 * is remembered, not obeyed, so the lookup can refuse the name naming both.
 */
class StatedVariant<T> {
  first: { readonly value: T; readonly word: string } | undefined;
  private clash: { readonly value: T; readonly word: string } | undefined;

  state(value: T, word: string): void {
    if (this.first === undefined) this.first = { value, word };
    else if (value !== this.first.value) this.clash ??= { value, word };
  }

  conflict(
    what: VariantConflict["what"],
    tokens: NameTokens,
    withClash: (value: T) => NameTokens,
  ): VariantConflict | undefined {
    if (this.first === undefined || this.clash === undefined) return undefined;
    return {
      what,
      written: [this.first.word, this.clash.word],
      readings: [tokens, withClash(this.clash.value)],
    };
  }
}
