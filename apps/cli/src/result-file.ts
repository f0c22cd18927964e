/**
 * A result written to a file a script named (`track --json-file PATH`): checked before the
 * command runs, so a mistake costs no run, and replaced whole at the end, so a reader never
 * sees half a document and the command's own output can never run into it.
 */
import { lstatSync, type Stats } from "node:fs";
import { dirname } from "node:path";
import { quoted } from "./args.ts";
import { folderProblem, replaceFile } from "./replace-file.ts";
import { UsageError } from "./usage-error.ts";

/** What a path holds, in words, for one that is not a regular file. */
function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return "a directory";
  if (stats.isSymbolicLink()) return "a symbolic link";
  if (stats.isFIFO()) return "a named pipe";
  if (stats.isSocket()) return "a socket";
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return "a device";
  return "not a regular file";
}

function lstatOrNull(path: string): Stats | null {
  try {
    return lstatSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
}

/**
 * Refuses (a usage error naming `flag`) a target that exists and is not a regular file (the
 * rename would replace a link rather than write through it, or fail on a directory), or
 * whose folder is missing or not writable (the temp file goes there).
 */
export function checkResultFileTarget(flag: string, path: string): void {
  const existing = lstatOrNull(path);
  if (existing !== null && !existing.isFile()) {
    throw new UsageError(
      `${flag} ${quoted(path)} is ${kindOf(existing)}; give a regular file or a new name`,
    );
  }
  const folder = dirname(path);
  const problem = folderProblem(folder);
  if (problem !== undefined) {
    throw new UsageError(`${flag} ${quoted(path)}: its folder ${quoted(folder)} ${problem}`);
  }
}

/**
 * Writes `text` over `path` whole (see `replaceFile`). The target is checked again first, as
 * it may have changed while the command ran.
 */
export async function writeResultFile(flag: string, path: string, text: string): Promise<void> {
  checkResultFileTarget(flag, path);
  await replaceFile(path, text);
}
