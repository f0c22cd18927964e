/**
 * File names of a carbontracker run: `{prefix_}{pid}.{loggerId}_{date}_carbontracker.log`
 * (standard log), `..._carbontracker_output.log` (output log) and `..._carbontracker_err.log`
 * (error log). The part before `_carbontracker` is the run's stem; the two logs of one run
 * share it, and pairs are formed by stem, never by sorting two lists side by side.
 */
export type LogFileKind = "standard" | "output" | "error";

export interface LogFileName {
  readonly stem: string;
  readonly kind: LogFileKind;
}

// Anchored at both ends and with the dot escaped: `x_carbontracker.log.bak` and
// `x_carbontracker_outputXlog` are not logs.
const LOG_NAME = /^(.+)_carbontracker(_output|_err)?\.log$/;

/** The stem and kind of a log file name, or undefined when the name is not a log's. */
export function classifyLogFileName(name: string): LogFileName | undefined {
  const match = LOG_NAME.exec(name);
  if (match === null || match[1] === undefined) return undefined;
  const kind = match[2] === "_output" ? "output" : match[2] === "_err" ? "error" : "standard";
  return { stem: match[1], kind };
}

export const standardLogName = (stem: string): string => `${stem}_carbontracker.log`;
export const outputLogName = (stem: string): string => `${stem}_carbontracker_output.log`;

/** The stem of a new run: `[prefix_]pid.loggerId_date`. */
export function runStem(
  prefix: string,
  pid: number,
  loggerId: number,
  fileTimestamp: string,
): string {
  return `${prefix === "" ? "" : `${prefix}_`}${pid}.${loggerId}_${fileTimestamp}`;
}
