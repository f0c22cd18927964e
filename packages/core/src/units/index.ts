/**
 * The `@wattprint/core/units` entry point: quantities with their units in their types and
 * their conversions, reading numbers as people write them and writing them for people
 * (`formatNumber`, the one way wattprint shows a figure), and the workspace's one did-you-mean
 * rule, and the time value of a Date from any realm (`dateTimeMs`), without the tables, schemas
 * and zod behind the package's main entry.
 * `@wattprint/node/options` imports it, so that `wattprint --help` and every flag parse stay
 * within the start-up budget (issue 13), and `@wattprint/logs` for its quantities.
 */
export { type Candidate, type ClosestOptions, closest } from "../text/closest.ts";
export { dateTimeMs } from "../time/date-time-ms.ts";
export {
  DEFAULT_SIGNIFICANT_DIGITS,
  formatNumber,
  formatQuantity,
  readableUnit,
} from "./format.ts";
export { type NumberParseError, parseDecimal } from "./parse.ts";
export * from "./quantity.ts";
