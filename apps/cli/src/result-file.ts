/**
 * A result written to a file a script named (`track --json-file PATH`): checked before the
 * command runs, so a mistake costs no run, and replaced whole at the end, so a reader never
 * sees half a document and the command's own output can never run into it.
 */
import { randomBytes } from "node:crypto";
import { accessSync, constants, lstatSync, type Stats, statSync } from "node:fs";
import { open, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { quoted } from "./args.ts";
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
  const folderStats = (() => {
    try {
      return statSync(folder);
    } catch {
      return null;
    }
  })();
  if (folderStats === null || !folderStats.isDirectory()) {
    throw new UsageError(`${flag} ${quoted(path)}: its folder ${quoted(folder)} does not exist`);
  }
  try {
    accessSync(folder, constants.W_OK);
  } catch {
    throw new UsageError(`${flag} ${quoted(path)}: its folder ${quoted(folder)} is not writable`);
  }
}

/**
 * Writes `text` to a new file beside `path`, flushed, then renames it over `path`: readers see
 * the old file or the new one, never a part. The target is checked again first, as it may
 * have changed while the command ran.
 */
export async function writeResultFile(flag: string, path: string, text: string): Promise<void> {
  checkResultFileTarget(flag, path);
  // Hidden, and unique per process and call, so two runs sharing a target never share a temp.
  const temp = join(
    dirname(path),
    `.${basename(path)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`,
  );
  try {
    const file = await open(temp, "wx");
    try {
      await file.writeFile(text);
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
