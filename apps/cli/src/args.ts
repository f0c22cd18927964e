import { convertDuration, cutText, parseDuration } from "@wattprint/core";
import {
  type FlagSpec,
  MAX_QUOTED_VALUE_CHARS,
  type NumberRule,
  type ParsedFlags,
  parseFlags,
  parseNumberOption,
  quotedValue,
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

/** Characters of a typed value an error quotes: the shared option parser's bound. */
export const MAX_QUOTED_CHARS = MAX_QUOTED_VALUE_CHARS;

/** A typed value quoted in an error, as the shared option parser quotes one. */
export const quoted = quotedValue;

/**
 * The most a user's mistake prints. No usage message of ours comes near it; one quoting a
 * typed value whole (as the core's and the tracker's messages do) is cut to this.
 */
export const MAX_MESSAGE_CHARS = 1000;

/**
 * `message` with each "quoted" span cut as `quoted` cuts it, then the whole to
 * MAX_MESSAGE_CHARS: for messages written elsewhere (the core's `cannot read duration "..."`,
 * the tracker's options) that quote what was typed whole. A plain scan, no regex.
 */
export function boundMessage(message: string): string {
  let bounded = "";
  let at = 0;
  for (;;) {
    const open = message.indexOf('"', at);
    const close = open < 0 ? -1 : message.indexOf('"', open + 1);
    if (close < 0) break;
    bounded += `${message.slice(at, open)}${quoted(message.slice(open + 1, close))}`;
    at = close + 1;
  }
  return cutText(`${bounded}${message.slice(at)}`, MAX_MESSAGE_CHARS);
}

/**
 * `text` less one trailing `unit` ("10W", "10 w", "64GB" -> "10", "10", "64"), blanks
 * around it trimmed. No regex: `/\s*W$/` backtracks over every blank run, so a value of
 * 100,000 spaces took tens of seconds to refuse.
 */
export function stripUnit(text: string, unit: string): string {
  const trimmed = text.trim();
  const tail = trimmed.slice(-unit.length);
  return tail.toLowerCase() === unit.toLowerCase()
    ? trimmed.slice(0, -unit.length).trimEnd()
    : trimmed;
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
      `${command}: --${flag} interval must be between ${rule.words}, got ${quoted(raw)}`,
    );
  }
  return ms;
}
