import { type ParseArgsConfig, parseArgs } from "node:util";
import { cutText } from "@wattprint/core";
import { parseDecimal } from "@wattprint/core/units";
import { unknownFlagMessage } from "./did-you-mean.ts";
import { UsageError } from "./usage-error.ts";

/** The environment as the apps read it (process.env, or a table in tests). */
export type Env = Readonly<Record<string, string | undefined>>;

export type FlagSpec = NonNullable<ParseArgsConfig["options"]>;
export type ParsedFlags<O extends FlagSpec> = ReturnType<
  typeof parseArgs<{ args: string[]; options: O; allowPositionals: true; strict: true }>
>;

/**
 * node:util's parseArgs with its multi-line TypeErrors turned into one-line usage errors, and
 * an empty value refused for every string flag: `--model ""` is a mistake to name, not a
 * request for the default. Positionals are returned for the caller to accept or refuse.
 */
export function parseFlags<O extends FlagSpec>(
  argv: readonly string[],
  options: O,
): ParsedFlags<O> {
  let parsed: ParsedFlags<O>;
  try {
    parsed = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const ambiguous = ambiguousValueMessage(message, argv, options);
    if (ambiguous !== undefined) throw new UsageError(ambiguous);
    // parseArgs explains over several lines; its first sentence is the one-line error.
    const line =
      message.split("\n")[0]?.replace(/\. To specify a positional.*$/, "") || "bad arguments";
    throw new UsageError(unknownFlagMessage(line, Object.keys(options)));
  }
  for (const [name, value] of Object.entries(parsed.values)) {
    for (const text of Array.isArray(value) ? value : [value]) {
      if (typeof text === "string" && text.trim() === "") {
        throw new UsageError(`--${name} expects a value, got ""`);
      }
    }
  }
  return parsed;
}

/**
 * parseArgs refuses a value that starts with a dash (`--watts -5`) as "argument is ambiguous",
 * and the line it gives first names neither the value nor the way out. This says both, using
 * the flag's long name: `--watts takes a value, and "-5" looks like an option: write
 * --watts=-5`.
 */
function ambiguousValueMessage(
  message: string,
  argv: readonly string[],
  options: FlagSpec,
): string | undefined {
  const flag = /^Option '(-[^' ]+)' argument is ambiguous/.exec(message)?.[1];
  if (flag === undefined) return undefined;
  // The occurrence parseArgs refused: the flag may come earlier with a plain value.
  const at = argv.findIndex((arg, i) => arg === flag && argv[i + 1]?.startsWith("-"));
  const value = at >= 0 ? argv[at + 1] : undefined;
  const long = flag.startsWith("--")
    ? flag
    : `--${Object.entries(options).find(([, spec]) => spec.short === flag.slice(1))?.[0] ?? flag.slice(1)}`;
  if (value === undefined || isFlag(value, options)) {
    return `${flag} expects a value${value === undefined ? "" : ` before ${value}`}`;
  }
  return `${flag} takes a value, and "${value}" looks like an option: write ${long}=${value}`;
}

/** Whether `text` is one of the flags `options` defines (`--json`, `--json=x`, `-j`). */
function isFlag(text: string, options: FlagSpec): boolean {
  if (text.startsWith("--")) return (text.slice(2).split("=")[0] ?? "") in options;
  return Object.values(options).some((spec) => spec.short === text.slice(1));
}

/** A setting's text and where it came from ("--domain" or "SUSTAINML_DOMAIN_ID"), for errors. */
export interface OptionText {
  readonly name: string;
  readonly text: string;
}

/**
 * The one rule for flags and environment variables: the flag wins; else the variable, if it
 * is set; else undefined (the caller's default). A variable that is set is read like a flag:
 * empty or bad, it is an error that names the variable, never a silent fallback.
 */
export function optionText(
  flag: string,
  flagText: string | undefined,
  env: Env,
  variable?: string,
): OptionText | undefined {
  if (flagText !== undefined) return { name: `--${flag}`, text: flagText };
  const fromEnv = variable === undefined ? undefined : env[variable];
  return variable !== undefined && fromEnv !== undefined
    ? { name: variable, text: fromEnv }
    : undefined;
}

/** What a numeric setting allows; `unit` only words the error ("a number > 0 (seconds)"). */
export interface NumberRule {
  readonly integer?: boolean;
  readonly min?: number;
  /** An exclusive lower bound, for settings where 0 means nothing useful. */
  readonly above?: number;
  readonly max?: number;
  readonly unit?: string;
}

export function describeNumberRule(rule: NumberRule): string {
  const bounds: string[] = [];
  if (rule.min !== undefined && rule.max !== undefined) {
    bounds.push(`${rule.min}..${rule.max}`);
  } else {
    if (rule.min !== undefined) bounds.push(`>= ${rule.min}`);
    if (rule.above !== undefined) bounds.push(`> ${rule.above}`);
    if (rule.max !== undefined) bounds.push(`<= ${rule.max}`);
  }
  const range = bounds.length > 0 ? ` ${bounds.join(" and ")}` : "";
  return `${rule.integer ? "an integer" : "a number"}${range}${rule.unit ? ` (${rule.unit})` : ""}`;
}

/**
 * Characters of a typed value an error quotes. A value may be a script's 100 KB; the start
 * says which value is meant, and the length note says why it was refused.
 */
export const MAX_QUOTED_VALUE_CHARS = 80;

/** A typed value quoted in an error: its first characters only, so a message stays one short line. */
export function quotedValue(text: string): string {
  return `"${cutText(text, MAX_QUOTED_VALUE_CHARS)}"`;
}

/**
 * Reads a number as people write it (parseDecimal: 12, 1.5, 2e3; no hex, Infinity or empty)
 * and checks it against `rule`. Every failure is one line naming the setting, the value and
 * what is allowed: `--domain expects an integer 0..232, got "300"`.
 */
export function parseNumberOption(option: OptionText, rule: NumberRule): number {
  const parsed = parseDecimal(option.text);
  const fail = (why = ""): never => {
    throw new UsageError(
      `${option.name} expects ${describeNumberRule(rule)}, got ${quotedValue(option.text)}${why}`,
    );
  };
  if (!parsed.ok) return fail(parsed.error.kind === "out-of-range" ? " (out of range)" : "");
  const value = parsed.value;
  if (rule.integer && !Number.isInteger(value)) fail();
  if (rule.min !== undefined && value < rule.min) fail();
  if (rule.above !== undefined && value <= rule.above) fail();
  if (rule.max !== undefined && value > rule.max) fail();
  return value;
}
