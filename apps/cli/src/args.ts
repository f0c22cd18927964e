import {
  type FlagSpec,
  type NumberRule,
  type ParsedFlags,
  parseFlags,
  parseNumberOption,
} from "@wattprint/node";
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
