import { convertDuration, parseDuration } from "@wattprint/core";
import {
  type FlagSpec,
  type NumberRule,
  type ParsedFlags,
  parseFlags,
  parseNumberOption,
} from "@wattprint/node/options";
import { refuseRepeatedFlags } from "./flag-repeats.ts";
import { UsageError } from "./usage-error.ts";

/**
 * Runs `read`, naming `command` in the one line of any usage error it throws, so
 * `wattprint estimate --wats 3` says which command refused what.
 */
export function inCommand<T>(command: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof UsageError) throw new UsageError(`${command}: ${error.message}`);
    throw error;
  }
}

/**
 * The shared flag parser (one-line errors, empty values refused, a single-valued flag given
 * twice refused), naming the command.
 */
export function parseCommandArgs<O extends FlagSpec>(
  command: string,
  argv: readonly string[],
  options: O,
): ParsedFlags<O> {
  return inCommand(command, () => {
    const parsed = parseFlags(argv, options);
    refuseRepeatedFlags(argv, options);
    return parsed;
  });
}

/** A numeric flag read by the shared rule (decimal, exponent allowed; no hex, Infinity or ""). */
export function parseNumberFlag(
  command: string,
  flag: string,
  raw: string | undefined,
  rule: NumberRule = {},
): number | undefined {
  if (raw === undefined) return undefined;
  return inCommand(command, () => parseNumberOption({ name: `--${flag}`, text: raw }, rule));
}

/** A bare number of seconds as the shared number rule reads it: decimal, an exponent allowed. */
const DECIMAL_SECONDS = /^\s*[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?\s*$/i;

/** The bounds of an interval flag, in milliseconds, and how to word them in an error. */
export interface IntervalRule {
  readonly minMs: number;
  readonly maxMs: number;
  /** e.g. "100ms and 1h". */
  readonly words: string;
}

/**
 * An interval flag: a duration (`2s`, `500ms`, `1m30s`) or a bare number of seconds (`2`,
 * `0.5`), within `rule`. Errors name the command and the flag.
 */
export function parseIntervalFlag(
  command: string,
  flag: string,
  raw: string,
  rule: IntervalRule,
): number {
  let ms: number;
  // Decimal only: Number() also reads "0x10", "0b11" and "0o7", which would be 16, 3 and 7 s.
  if (DECIMAL_SECONDS.test(raw)) {
    ms = Number(raw) * 1000;
  } else {
    const parsed = parseDuration(raw);
    if (!parsed.ok)
      throw new UsageError(
        `${command}: --${flag} takes an interval such as 2s or 500ms; ${parsed.error.message}`,
      );
    ms = convertDuration(parsed.value, "ms").value;
  }
  if (!(ms >= rule.minMs && ms <= rule.maxMs)) {
    throw new UsageError(
      `${command}: --${flag} interval must be between ${rule.words}, got "${raw}"`,
    );
  }
  return ms;
}
