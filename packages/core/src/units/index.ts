/**
 * The `@wattprint/core/units` entry point: reading numbers as people write them, and the
 * workspace's one did-you-mean rule, without the tables, schemas and zod behind the package's
 * main entry. `@wattprint/node/options` imports it, so that `wattprint --help` and every flag
 * parse stay within the start-up budget (issue 13).
 */
export { type Candidate, type ClosestOptions, closest } from "../text/closest.ts";
export { type NumberParseError, parseDecimal } from "./parse.ts";
