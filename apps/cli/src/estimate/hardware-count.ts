import { type CountedHardware, readHardwareCount } from "@wattprint/core";
import { UsageError } from "../usage-error.ts";

export type { CountedHardware };

/**
 * How many of which hardware a `--hardware` item names: the core's reading (`4x A100`,
 * `A100 x4`, `A100 (x2)`), whose refusal is a usage error naming the flag.
 */
export function parseHardwareCount(input: string): CountedHardware {
  const read = readHardwareCount(input);
  if (read.ok) return read.value;
  throw new UsageError(`estimate: --hardware ${read.error.message}`);
}

/** The same reading for a check that must not throw (is this whole value one name?). */
export function tryParseHardwareCount(input: string): CountedHardware | undefined {
  const read = readHardwareCount(input);
  return read.ok ? read.value : undefined;
}
