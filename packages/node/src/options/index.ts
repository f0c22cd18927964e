/**
 * The `@wattprint/node/options` entry point: reading flags and environment variables, without
 * the node runtime and the RTPS stack behind the package's main entry. The CLI imports it at
 * start-up for every command, so `wattprint track -- true` stays within its start-up budget.
 */
export { didYouMean, suggestionSuffix } from "./did-you-mean.ts";
export { makeDirectory } from "./make-directory.ts";
export {
  describeNumberRule,
  type Env,
  type FlagSpec,
  MAX_QUOTED_VALUE_CHARS,
  type NumberRule,
  type OptionText,
  optionText,
  type ParsedFlags,
  parseFlags,
  parseNumberOption,
  quotedValue,
} from "./option-values.ts";
export { packageVersion } from "./package-version.ts";
export { UsageError } from "./usage-error.ts";
