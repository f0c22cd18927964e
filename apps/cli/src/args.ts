import { type ParseArgsConfig, parseArgs } from "node:util";
import { UsageError } from "./usage-error.ts";

type Options = NonNullable<ParseArgsConfig["options"]>;
type Parsed<O extends Options> = ReturnType<
  typeof parseArgs<{ args: string[]; options: O; allowPositionals: true; strict: true }>
>;

/**
 * node:util's parseArgs with its TypeErrors turned into one-line usage errors that name the
 * command, so `wattprint estimate --wats 3` says what is wrong instead of printing a stack.
 */
export function parseCommandArgs<O extends Options>(
  command: string,
  argv: readonly string[],
  options: O,
): Parsed<O> {
  try {
    return parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // parseArgs explains over several lines; the first sentence is the one-line error we want.
    const firstSentence =
      message.split("\n")[0]?.replace(/\. To specify a positional.*$/, "") ?? message;
    throw new UsageError(`${command}: ${firstSentence}`);
  }
}

export function parseNumberFlag(
  command: string,
  flag: string,
  raw: string | undefined,
  check: { min?: number; max?: number; integer?: boolean } = {},
): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw.trim());
  if (raw.trim() === "" || !Number.isFinite(value)) {
    throw new UsageError(`${command}: --${flag} expects a number, got "${raw}"`);
  }
  if (check.integer && !Number.isInteger(value)) {
    throw new UsageError(`${command}: --${flag} expects a whole number, got "${raw}"`);
  }
  if (check.min !== undefined && value < check.min) {
    throw new UsageError(`${command}: --${flag} must be at least ${check.min}, got "${raw}"`);
  }
  if (check.max !== undefined && value > check.max) {
    throw new UsageError(`${command}: --${flag} must be at most ${check.max}, got "${raw}"`);
  }
  return value;
}
