import { err, type Failure, failure, ok, type Result } from "@wattprint/result";
import { boundedMemo } from "../text/bounded-memo.ts";
import { closest } from "../text/closest.ts";
import { compareNames } from "../text/compare-names.ts";
import { cutText } from "../text/cut-text.ts";
import { MAX_NAME_CHARS, quoteName } from "../text/quote-name.ts";
import { hardwareProfiles } from "./data/catalogue.ts";
import {
  type NameTokens,
  normaliseName,
  tokenise,
  tokensOfNormalised,
  type VariantConflict,
} from "./normalise.ts";
import type { HardwareProfile } from "./profile.ts";
import { readVariantLetters } from "./variant-letters.ts";

/**
 * Name -> profile. Order of trust: the literal spelling, then the normalised spelling, then
 * token scoring. Token scoring only accepts a candidate whose model tokens contain the
 * query's or are contained by it, so "A100" never drifts to "A10" and "6248" never to "6248R".
 */
export type MatchConfidence = "exact" | "normalised" | "fuzzy";

export interface HardwareMatch {
  readonly profile: HardwareProfile;
  readonly confidence: MatchConfidence;
  /** Why this row was chosen when the query did not name it fully. */
  readonly note?: string;
}

/**
 * Why a name gave no profile: nothing left after normalising (`empty-query`), no row close
 * enough (`unknown-hardware`), or rows that fit equally well but differ in power
 * (`ambiguous-hardware`: a family name, or an Arm core design shared by several chips).
 */
export type HardwareLookupErrorKind = "empty-query" | "unknown-hardware" | "ambiguous-hardware";

export interface HardwareLookupError extends Failure<HardwareLookupErrorKind> {
  readonly query: string;
  /** Up to five display names to offer the user: the nearest names, or the tied rows. */
  readonly suggestions: readonly string[];
}

/**
 * How to look names up, for messages that found none. These hints are the CLI's words, whose
 * users read most of these messages; a surface without the CLI (the HTTP server) replaces each
 * exported hint with its own.
 */
export const HARDWARE_HINT = "run `wattprint hardware <query>` to search";
/** Where machine presets are listed, for a name that is a whole system. */
export const MACHINES_HINT = "`wattprint hardware machines` lists the presets";

const MAX_SUGGESTIONS = 5;
/**
 * Hardware names whose answers are kept (a few hundred bytes each): the distinct names, and
 * the longest name kept (the table's longest is 38 characters; a longer query is looked up
 * every time, so that a request's megabyte-long name is not held).
 */
export const REMEMBERED_LOOKUPS = { entries: 512, keyChars: 128 } as const;

interface Entry {
  readonly profile: HardwareProfile;
  readonly modelTokenSets: readonly (readonly string[])[];
  readonly haystack: string;
}

interface Index {
  readonly literal: ReadonlyMap<string, HardwareProfile>;
  readonly normalised: ReadonlyMap<string, HardwareProfile>;
  readonly entries: readonly Entry[];
  /** Every model token of every spelling, to read a variant letter written apart. */
  readonly rowTokens: ReadonlySet<string>;
  /** Every spelling's model tokens, joined by spaces: whether a row has a sibling. */
  readonly rowModels: ReadonlySet<string>;
}

let index: Index | undefined;

function buildIndex(): Index {
  const literal = new Map<string, HardwareProfile>();
  const normalised = new Map<string, HardwareProfile>();
  const rowTokens = new Set<string>();
  const rowModels = new Set<string>();
  const entries = hardwareProfiles.map((profile): Entry => {
    const spellings = [profile.name, ...profile.aliases];
    const modelTokenSets: (readonly string[])[] = [];
    for (const spelling of spellings) {
      literal.set(spelling.trim().toLowerCase(), profile);
      const name = normaliseName(spelling);
      normalised.set(name, profile);
      const { model } = tokensOfNormalised(name);
      modelTokenSets.push(model);
      rowModels.add(model.join(" "));
      for (const token of model) rowTokens.add(token);
    }
    const haystack = [
      ...spellings,
      profile.vendor,
      profile.kind,
      profile.family,
      profile.microarchitecture ?? "",
    ]
      .join(" ")
      .toLowerCase();
    return { profile, modelTokenSets, haystack };
  });
  return { literal, normalised, entries, rowTokens, rowModels };
}

function getIndex(): Index {
  index ??= buildIndex();
  return index;
}

const hasDigit = (token: string): boolean => /\d/.test(token);

/**
 * Words that name a different, usually lower-power part of the same number: an
 * "RTX 4090 Laptop GPU" must not fall back to the 450 W desktop card, nor "M4 Pro" to "M4".
 */
const QUALIFIERS = new Set(["laptop", "mobile", "max", "maxq", "ti", "super", "pro", "ultra"]);

/**
 * 10 per shared model token; extra query words cost 1 (they may be noise we do not know),
 * missing candidate words cost 3 (the query is less specific than the row). A qualifier
 * counts both ways: the query's must be in the row, and a row whose qualifier the query lacks
 * is not reached by containment when the table has the part without it, or "RTX 3060 8GB"
 * (the 12GB row ruled out) became the 3060 Ti. A qualified row with no such sibling is still
 * reached: "155H" is only ever a Core Ultra 7 155H.
 */
function modelScore(candidate: readonly string[], query: readonly string[]): number | undefined {
  if (query.some((t) => QUALIFIERS.has(t) && !candidate.includes(t))) return undefined;
  const shared = candidate.filter((t) => query.includes(t)).length;
  if (shared === candidate.length && shared > 0) return 10 * shared - (query.length - shared);
  if (shared === query.length && query.some(hasDigit)) {
    if (hasUnqualifiedSibling(candidate, query)) return undefined;
    return 10 * shared - 3 * (candidate.length - shared);
  }
  return undefined;
}

/** Whether the table holds the row's part without the qualifiers the query leaves out. */
function hasUnqualifiedSibling(candidate: readonly string[], query: readonly string[]): boolean {
  const unsaid = (t: string): boolean => QUALIFIERS.has(t) && !query.includes(t);
  if (!candidate.some(unsaid)) return false;
  const sibling = candidate.filter((t) => !unsaid(t)).join(" ");
  return sibling !== "" && getIndex().rowModels.has(sibling);
}

/**
 * A bare number that is the row's memory size and none of its model words ("A100 SXM 80",
 * "H100 80") read as that size in GB: without this it was one more unknown word, both
 * A100 SXM4 rows tied, and the 40 GB card was chosen with a note that the name was vague.
 */
function withMemoryWord(entry: Entry, query: NameTokens): NameTokens {
  const memoryGB = entry.profile.memoryGB;
  if (query.memoryGB !== undefined || memoryGB === undefined) return query;
  const word = String(memoryGB);
  if (!query.model.includes(word)) return query;
  if (entry.modelTokenSets.some((tokens) => tokens.includes(word))) return query;
  return { ...query, model: query.model.filter((t) => t !== word), memoryGB };
}

/** A stated form factor or memory size that contradicts the row rules the row out. */
function scoreEntry(entry: Entry, stated: NameTokens): number | undefined {
  const { profile } = entry;
  const query = withMemoryWord(entry, stated);
  if (query.formFactor !== undefined && profile.formFactor !== undefined) {
    if (query.formFactor !== profile.formFactor) return undefined;
  }
  if (query.memoryGB !== undefined && profile.memoryGB !== undefined) {
    if (query.memoryGB !== profile.memoryGB) return undefined;
  }
  let best: number | undefined;
  for (const tokens of entry.modelTokenSets) {
    const score = modelScore(tokens, query.model);
    if (score !== undefined && (best === undefined || score > best)) best = score;
  }
  if (best === undefined) return undefined;
  if (query.formFactor !== undefined && profile.formFactor === query.formFactor) best += 4;
  if (query.memoryGB !== undefined && profile.memoryGB === query.memoryGB) best += 4;
  return best;
}

interface Scored {
  readonly profile: HardwareProfile;
  readonly score: number;
  /** The index entry scored: its model words tell which of the query's words it read. */
  readonly entry: Entry;
}

function rank(query: NameTokens): readonly Scored[] {
  const scored: Scored[] = [];
  for (const entry of getIndex().entries) {
    const score = scoreEntry(entry, query);
    if (score !== undefined) scored.push({ profile: entry.profile, score, entry });
  }
  return scored.sort(
    (a, b) =>
      b.score - a.score ||
      (b.profile.preference ?? 0) - (a.profile.preference ?? 0) ||
      compareNames(a.profile.name, b.profile.name),
  );
}

const describe = (p: HardwareProfile): string => `${p.name} (${p.tdpW} W)`;

/** Names to suggest for a query that matched nothing: the workspace's one rule (text/closest.ts). */
function nearestNames(normalisedQuery: string): readonly string[] {
  const key = normalisedQuery.replace(/ /g, "");
  return closest(
    key,
    // The family too ("a100"): a short query is closer to it than to a full variant name.
    getIndex().entries.flatMap((e) => [
      { key: normaliseName(e.profile.name).replace(/ /g, ""), label: e.profile.name },
      { key: e.profile.family, label: e.profile.name },
    ]),
    // Past about two thirds of the query rewritten, a name is no longer what was meant.
    {
      limit: MAX_SUGGESTIONS,
      maxQueryChars: 64,
      maxDistance: Math.max(2, Math.ceil((key.length * 2) / 3)),
    },
  );
}

function lookupError(
  kind: HardwareLookupErrorKind,
  query: string,
  message: string,
  suggestions: readonly string[],
): Result<HardwareMatch, HardwareLookupError> {
  return err(failure(kind, message, { query, suggestions: suggestions.slice(0, MAX_SUGGESTIONS) }));
}

/** At most MAX_SUGGESTIONS names, saying how many more there are. */
function listed(names: readonly string[]): string {
  const shown = names.slice(0, MAX_SUGGESTIONS).join(", ");
  return names.length > MAX_SUGGESTIONS
    ? `${shown} and ${names.length - MAX_SUGGESTIONS} more`
    : shown;
}

export interface FindHardwareOptions {
  /**
   * Whether an unknown name gets "did you mean" suggestions (default true). A caller that
   * only needs to know that the name is unknown (the power model, which then assumes a
   * generic CPU) passes false: ranking every table name costs 15-30 ms of CPU on first use,
   * on the start-up path of `wattprint track` (issue 13).
   */
  readonly suggest?: boolean;
}

/** Resolves a device name as the OS or a driver reports it to one power profile. */
export function findHardware(
  query: string,
  options: FindHardwareOptions = {},
): Result<HardwareMatch, HardwareLookupError> {
  // Without suggestions an unknown name's answer differs: it is never kept.
  return options.suggest === false ? lookUp(query, false) : rememberedLookups(query);
}

/**
 * The tables never change in a process, so an answer holds for as long as it is kept; a
 * service resolves the same few names request after request (a fifth of an estimate's time
 * went into normalising them). Answers are frozen by type (readonly), never copied.
 */
const rememberedLookups = boundedMemo(REMEMBERED_LOOKUPS, (query) => lookUp(query, true));

function lookUp(query: string, suggest: boolean): Result<HardwareMatch, HardwareLookupError> {
  if (query.length > MAX_NAME_CHARS) {
    const message =
      `unknown hardware ${quoteName(query)}: a name over ${MAX_NAME_CHARS} characters names ` +
      `no device (${HARDWARE_HINT})`;
    return lookupError("unknown-hardware", query, message, []);
  }
  const system = SYSTEM_WORD.exec(query);
  if (system !== null) return systemName(query, system[0], suggest);
  const { literal, normalised, rowTokens } = getIndex();
  // A name as the table spells it needs no normalising (eight regular expressions): the
  // common case of a name picked from `wattprint hardware`, a form or an earlier answer.
  const literalHit = literal.get(query.trim().toLowerCase());
  if (literalHit !== undefined) return ok({ profile: literalHit, confidence: "exact" });
  const written = normaliseName(query);
  if (written.length === 0) {
    const message =
      query.trim() === ""
        ? `empty hardware name; ${HARDWARE_HINT}`
        : `hardware name ${quoteName(query)} has no model in it (only vendor marks or words such as CPU); ${HARDWARE_HINT}`;
    return lookupError("empty-query", query, message, []);
  }
  const letters = readVariantLetters(written, rowTokens);
  const normalisedQuery = letters.text;
  const joinedNote = letters.joined
    ? { note: `read ${quoteName(written)} as ${quoteName(normalisedQuery)}` }
    : {};

  const normalisedHit = normalised.get(normalisedQuery);
  if (normalisedHit !== undefined) {
    return ok({ profile: normalisedHit, confidence: "normalised", ...joinedNote });
  }

  const tokens = tokensOfNormalised(normalisedQuery);
  if (tokens.conflict !== undefined) return conflicting(query, tokens.conflict);
  const ranked = rank(tokens);
  const top = ranked[0];
  if (top === undefined) return unmatched(query, normalisedQuery, tokens, suggest);

  const tied = ranked.filter((s) => s.score === top.score);
  if (letters.unread !== undefined) return unreadLetter(query, letters.unread, tied);
  const families = new Set(tied.map((s) => s.profile.family));
  if (families.size > 1 && !tied.every((s) => s.profile.tdpW === top.profile.tdpW)) {
    // "H100 A100" tied both models' rows, and the preference for the commonest A100 then
    // chose it with a note about variants: two products named at once is no variant choice.
    const names = tied.map((s) => s.profile.name);
    const message =
      `ambiguous hardware ${quoteName(query)}: it names more than one model ` +
      `(${[...families].join(", ")}) with different power; name one of ${listed(names)} ` +
      `(${HARDWARE_HINT})`;
    return lookupError("ambiguous-hardware", query, message, names);
  }
  const ignored = ignoredWords(top.entry, tokens);
  if (tied.length === 1) {
    return ok({
      profile: top.profile,
      confidence: "fuzzy",
      note: `matched ${quoteName(normalisedQuery)} to ${top.profile.name} by name tokens${ignored}`,
    });
  }
  const topPreference = top.profile.preference ?? 0;
  const preferred = tied.filter((s) => (s.profile.preference ?? 0) === topPreference);
  const samePower = preferred.every((s) => s.profile.tdpW === top.profile.tdpW);
  if (preferred.length === 1 || samePower) {
    const others = tied.filter((s) => s.profile !== top.profile).map((s) => describe(s.profile));
    return ok({
      profile: top.profile,
      confidence: "fuzzy",
      note:
        `${quoteName(query)} does not say which variant; chose ${describe(top.profile)}, ` +
        `${preferred.length === 1 ? "the most common one" : "same power as the others"} ` +
        `(also possible: ${others.join(", ")})${ignored}`,
    });
  }
  const names = tied.map((s) => s.profile.name);
  const message =
    `ambiguous hardware ${quoteName(query)}: it fits several rows with different power; ` +
    `name one of ${listed(names)} (${HARDWARE_HINT})`;
  return lookupError("ambiguous-hardware", query, message, names);
}

/**
 * The query's model words that are no word of the chosen row ("A100 banana", "RTX 4090
 * Laptop"), as a clause for the match's note: the match stood on the other words, and the
 * user sees what was not read rather than a full-power card with nothing said.
 */
/** How much of the ignored words a note quotes: the note already quotes the name (80). */
const IGNORED_WORDS_CHARS = 40;

function ignoredWords(entry: Entry, query: NameTokens): string {
  const { profile } = entry;
  const own = new Set(entry.modelTokenSets.flat());
  const memoryWord = profile.memoryGB === undefined ? undefined : String(profile.memoryGB);
  const ignored = query.model.filter((word) => !own.has(word) && word !== memoryWord);
  return ignored.length === 0
    ? ""
    : `; ${ignored.length === 1 ? "a word" : "words"} not in its name ignored: "${cutText(ignored.join(" "), IGNORED_WORDS_CHARS)}"`;
}

/** NVIDIA's names for systems of several accelerators: DGX machines, HGX baseboards. */
const SYSTEM_WORD = /\b[dh]gx\b/i;

/**
 * "DGX H100" is eight H100s with their host, not one device: read as the accelerator alone
 * (the word was dropped as noise), it was estimated as one GPU, 15 times too low.
 */
function systemName(
  query: string,
  word: string,
  suggest: boolean,
): Result<HardwareMatch, HardwareLookupError> {
  const accelerator = lookUp(query.replace(SYSTEM_WORD, " "), suggest);
  const named = accelerator.ok ? accelerator.value.profile.name : undefined;
  const message =
    `hardware ${quoteName(query)} names a system of several accelerators ` +
    `(${word.toUpperCase()}), not one device: give it as a machine (${MACHINES_HINT}), ` +
    "or name the accelerator with a count" +
    (named === undefined ? "" : ` ("N x ${named}")`);
  return lookupError("ambiguous-hardware", query, message, named === undefined ? [] : [named]);
}

/** No row fits: a core design shared by chips, a variant the table lacks, or an unknown name. */
function unmatched(
  query: string,
  normalisedQuery: string,
  tokens: NameTokens,
  suggest: boolean,
): Result<HardwareMatch, HardwareLookupError> {
  const cores = hardwareProfiles.filter(
    (p) =>
      p.microarchitecture !== undefined && normaliseName(p.microarchitecture) === normalisedQuery,
  );
  if (cores.length > 0) {
    const names = cores.map((p) => p.name);
    const message =
      `ambiguous hardware ${quoteName(query)}: ${cores[0]?.microarchitecture} is a CPU core ` +
      "design used by several chips with different power; name the chip (the cloud instance " +
      `type tells which), e.g. ${listed(names)}`;
    return lookupError("ambiguous-hardware", query, message, names);
  }
  const variantMissing = rowsWithoutVariant(tokens);
  if (variantMissing.length > 0) {
    const stated = [
      tokens.memoryGB === undefined ? undefined : `${tokens.memoryGB} GB`,
      tokens.formFactor,
    ].filter((word) => word !== undefined);
    const names = variantMissing.map((p) => p.name);
    const message =
      `unknown hardware ${quoteName(query)}: no row of that model has ${stated.join(" and ")}; ` +
      `the table has ${listed(variantMissing.map(describeVariant))} (${HARDWARE_HINT})`;
    return lookupError("unknown-hardware", query, message, names);
  }
  const nearest = suggest ? nearestNames(normalisedQuery) : [];
  const close = nearest.length > 0 ? `; did you mean ${nearest.join(", ")}?` : "";
  const message = `unknown hardware ${quoteName(query)}${close} (${HARDWARE_HINT})`;
  return lookupError("unknown-hardware", query, message, nearest);
}

/**
 * The rows the model tokens alone fit when a stated memory size or form factor ruled them all
 * out: "RTX 3060 8GB" names a card the table lacks, and its sibling is not it.
 */
function rowsWithoutVariant(tokens: NameTokens): readonly HardwareProfile[] {
  if (tokens.memoryGB === undefined && tokens.formFactor === undefined) return [];
  return rank({ model: tokens.model }).map((s) => s.profile);
}

const describeVariant = (p: HardwareProfile): string => {
  const variant = [p.memoryGB === undefined ? undefined : `${p.memoryGB} GB`, p.formFactor];
  return `${p.name} (${[...variant.filter((word) => word !== undefined), `${p.tdpW} W`].join(", ")})`;
};

/**
 * A letter after the model number that completes no row ("RTX 4090 D"): it may name a part
 * with other power, so the rows that fit without it are offered, not chosen.
 */
function unreadLetter(
  query: string,
  [number, letter]: readonly [string, string],
  tied: readonly Scored[],
): Result<HardwareMatch, HardwareLookupError> {
  const names = tied.map((s) => s.profile.name);
  const message =
    `ambiguous hardware ${quoteName(query)}: "${letter}" after ${quoteName(number)} may name a ` +
    `variant the table does not hold; if it is ${listed(tied.map((s) => describe(s.profile)))}, ` +
    `name it (${HARDWARE_HINT})`;
  return lookupError("ambiguous-hardware", query, message, names);
}

/**
 * A name that states two variants: the best row for each reading is offered, and none chosen
 * (keeping the last word, as the lookup once did, read "A100 SXM4 40GB PCIe" as the PCIe card).
 */
function conflicting(
  query: string,
  conflict: VariantConflict,
): Result<HardwareMatch, HardwareLookupError> {
  const names = [...new Set(conflict.readings.flatMap((reading) => rank(reading).slice(0, 1)))].map(
    (s) => s.profile.name,
  );
  const [first, second] = conflict.written;
  const offered = names.length > 0 ? `, e.g. ${names.join(" or ")}` : "";
  const message =
    `ambiguous hardware ${quoteName(query)}: it names two ${conflict.what}s, ${first} and ${second}; ` +
    `name one${offered} (${HARDWARE_HINT})`;
  return lookupError("ambiguous-hardware", query, message, names);
}

/**
 * Profiles for a listing such as `wattprint hardware [query]`: every query word must occur
 * in the row's names, vendor, kind or core design; a blank query lists everything, one with
 * no Latin letter or digit nothing.
 */
export function searchHardware(
  query: string,
  limit = Number.POSITIVE_INFINITY,
): readonly HardwareProfile[] {
  const words = wordsOf(query);
  const { entries } = getIndex();
  if (query.trim() === "") return entries.slice(0, limit).map((e) => e.profile);
  // Non-blank yet no word ("中国", "!!!"): it names no row, so it lists none, not every one.
  if (words.length === 0) return [];
  const tokens = tokenise(query);
  const having = (wanted: readonly string[]) =>
    entries
      .filter((e) => wanted.every((w) => e.haystack.includes(w)))
      .map((e) => ({ profile: e.profile, score: scoreEntry(e, tokens) ?? 0 }))
      .sort((a, b) => b.score - a.score || compareNames(a.profile.name, b.profile.name))
      .slice(0, limit)
      .map((s) => s.profile);
  const found = having(words);
  if (found.length > 0) return found;
  // A name as a driver or the OS reports it ("Intel(R) Xeon(R) Platinum 8480+", "Tesla
  // V100-SXM2-16GB") has words no row has ("r", "tesla"): it found nothing, while estimates
  // resolved it. Its normalised words, then the row it resolves to, are searched instead.
  const normalisedWords = wordsOf(normaliseName(query));
  const again = normalisedWords.length > 0 ? having(normalisedWords) : [];
  if (again.length > 0) return again;
  const resolved = findHardware(query, { suggest: false });
  return resolved.ok && limit > 0 ? [resolved.value.profile] : [];
}

function wordsOf(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 0);
}
