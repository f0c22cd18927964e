import type { Failure } from "@wattprint/result";

/**
 * Why a file of a log folder was skipped. Every skip is counted under its reason and listed
 * with the file's path (see `LogScan.introspect()`); the rest of the folder is still parsed.
 */
export type SkipReason =
  /** A standard log without its output log, or the reverse (same stem). */
  | "unpaired"
  /** The file vanished between listing the folder and reading it. */
  | "missing"
  | "empty"
  /** It holds a NUL byte. */
  | "binary"
  /** Its last line has no line break, or its last record stops before its last field. */
  | "truncated"
  /** A line that should hold a number or a time does not; or a record in the middle is cut short. */
  | "malformed"
  /** An epoch in the middle lacks its duration or a component's power line. */
  | "mismatched-epochs"
  | "too-large"
  | "line-too-long"
  | "too-many-epochs"
  /** Its power lines hold more values than `maxPowerValues` (one log's memory is bounded by it). */
  | "too-many-values"
  /** Opening or reading it failed (permissions, a directory named like a log). */
  | "unreadable";

export const SKIP_REASONS: readonly SkipReason[] = [
  "unpaired",
  "missing",
  "empty",
  "binary",
  "truncated",
  "malformed",
  "mismatched-epochs",
  "too-large",
  "line-too-long",
  "too-many-epochs",
  "too-many-values",
  "unreadable",
];

/** A skipped file: `{ kind, message, path, line? }`, the message naming the file and what was wrong. */
export type FileProblem = Failure<SkipReason> & { readonly path: string; readonly line?: number };
