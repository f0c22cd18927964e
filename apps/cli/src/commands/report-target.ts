import { realpathSync, statSync } from "node:fs";
import { basename, dirname } from "node:path";
import { classifyLogFileName } from "@wattprint/logs";
import { folderProblem } from "../replace-file.ts";
import { UsageError } from "../usage-error.ts";

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
  const problem = folderProblem(folder);
  if (problem !== undefined) {
    throw new UsageError(`logs report: cannot write ${out}: its folder ${folder} ${problem}`);
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
