import { opendirSync } from "node:fs";
import { join } from "node:path";
import { classifyLogFileName } from "../format/file-names.ts";

/** Entries read per subfolder looking for a log: a hint must not read a huge tree. */
export const LOG_SUBFOLDER_ENTRIES_READ = 10_000;
/** Subfolders looked into: past these, the answer says it stopped (`cut`). */
export const LOG_SUBFOLDERS_READ = 1_000;

export interface LogSubfolders {
  /** Names (not paths) of the subfolders holding a carbontracker log, in name order. */
  readonly names: readonly string[];
  /** True when `LOG_SUBFOLDERS_READ` entries were read and more were left unread. */
  readonly cut: boolean;
}

/** Whether `dir` holds a carbontracker log among its first entries; false when unreadable. */
function holdsLogs(dir: string): boolean {
  try {
    const handle = opendirSync(dir);
    try {
      for (let i = 0; i < LOG_SUBFOLDER_ENTRIES_READ; i++) {
        const entry = handle.readSync();
        if (entry === null) return false;
        if (entry.isFile() && classifyLogFileName(entry.name) !== undefined) return true;
      }
      return false;
    } finally {
      handle.closeSync();
    }
  } catch {
    return false;
  }
}

/**
 * The subfolders of `dir` (one level, not deeper) that hold carbontracker logs. The scan reads
 * one folder and never descends, as carbontracker's parser does; this tells a caller who named
 * the folder above the runs' folders where the logs are. Bounded: at most
 * `LOG_SUBFOLDERS_READ` entries of `dir` and `LOG_SUBFOLDER_ENTRIES_READ` of each subfolder
 * are read. An unreadable folder or subfolder holds none; this never throws.
 */
export function findLogSubfolders(dir: string): LogSubfolders {
  const names: string[] = [];
  let cut = false;
  try {
    const handle = opendirSync(dir);
    try {
      for (let i = 0; ; i++) {
        const entry = handle.readSync();
        if (entry === null) break;
        if (i === LOG_SUBFOLDERS_READ) {
          cut = true;
          break;
        }
        if (entry.isDirectory() && holdsLogs(join(dir, entry.name))) names.push(entry.name);
      }
    } finally {
      handle.closeSync();
    }
  } catch {
    // Unreadable (or gone): no subfolder is known to hold logs.
  }
  return { names: names.sort(), cut };
}
