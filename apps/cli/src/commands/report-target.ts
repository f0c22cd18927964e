import { randomBytes } from "node:crypto";
import {
  accessSync,
  constants,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { basename, dirname, join } from "node:path";
import { classifyLogFileName } from "@wattprint/logs";
import { UsageError } from "../usage-error.ts";

const errorText = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);

/** `path`, its links followed; a path that does not exist yet stays as given. */
function resolved(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/**
 * Where `logs report --html OUT` will write, checked before the folder is read: the file was
 * opened with "w" first, so naming one of the input logs emptied it before it was read, and a
 * FIFO hung the command waiting for a reader. Now OUT, if it exists, must be a regular file; a
 * carbontracker log name inside the folder being read is refused; and the folder OUT goes in
 * must exist and be writable (a wrong path still fails at once). Returns the path to write,
 * links followed, so that a link to a file keeps being a link.
 */
export function checkReportTarget(out: string, logDir: string): string {
  const target = resolved(out);
  let exists = true;
  try {
    if (!statSync(target).isFile()) {
      throw new UsageError(
        `logs report: --html ${out} is not a regular file; name a file to write the report to`,
      );
    }
  } catch (error) {
    if (error instanceof UsageError) throw error;
    exists = false;
  }
  const folder = dirname(target);
  try {
    if (!statSync(folder).isDirectory()) throw new Error(`${folder} is not a directory`);
    accessSync(folder, constants.W_OK);
  } catch (error) {
    throw new UsageError(`logs report: cannot write ${out}: ${errorText(error)}`);
  }
  if (
    classifyLogFileName(basename(target)) !== undefined &&
    resolved(folder) === resolved(logDir)
  ) {
    throw new UsageError(
      `logs report: --html ${out} is a carbontracker log name in the folder being read${exists ? " (it would be overwritten)" : ""}; write the report elsewhere, e.g. report.html`,
    );
  }
  return target;
}

/**
 * Writes the page beside `target` and renames it into place: a reader of `target` sees the old
 * file or the whole new one, and a failed write leaves the old file as it was.
 */
export function writeReportFile(target: string, html: string): void {
  const temporary = join(
    dirname(target),
    `.${basename(target)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`,
  );
  try {
    // "wx": never through a file (or FIFO) that appeared under the temporary name.
    writeFileSync(temporary, html, { flag: "wx" });
    renameSync(temporary, target);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}
