import { parseArgs } from "node:util";
import type { FlagSpec } from "@wattprint/node";
import { UsageError } from "./usage-error.ts";

/**
 * node:util's parseArgs keeps the last of a flag given twice; a command line that says
 * `--location FR --location PL` almost never means "PL". A flag declared `multiple` collects
 * every value; any other flag given twice is refused, naming it. Runs after the strict parse,
 * so every token here is a declared option.
 */
export function refuseRepeatedFlags(argv: readonly string[], options: FlagSpec): void {
  const { tokens } = parseArgs({
    args: [...argv],
    options,
    allowPositionals: true,
    strict: false,
    tokens: true,
  });
  const seen = new Set<string>();
  for (const token of tokens) {
    if (token.kind !== "option" || options[token.name]?.multiple) continue;
    if (seen.has(token.name)) {
      throw new UsageError(`--${token.name} was given more than once; give it once`);
    }
    seen.add(token.name);
  }
}
