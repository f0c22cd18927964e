import { randomBytes } from "node:crypto";
import { accessSync, constants, statSync } from "node:fs";
import { open, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

/**
 * Why no file can be written into `folder`, in words ("does not exist", "is not writable"),
 * or undefined when one can: asked before a command's work, so a wrong path costs no run.
 */
export function folderProblem(folder: string): string | undefined {
  try {
    if (!statSync(folder).isDirectory()) return "is not a directory";
  } catch {
    return "does not exist";
  }
  try {
    accessSync(folder, constants.W_OK);
  } catch {
    return "is not writable";
  }
  return undefined;
}

/**
 * Writes `text` to a new hidden file beside `path`, flushed, then renames it over `path`: a
 * reader sees the old file or the whole new one, never a part, and a failed write leaves the
 * old file as it was. The temporary name is unique per process and call, and opened with
 * "wx", so it is never written through a file (or FIFO) that appeared under that name.
 */
export async function replaceFile(path: string, text: string): Promise<void> {
  const temporary = join(
    dirname(path),
    `.${basename(path)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`,
  );
  try {
    const file = await open(temporary, "wx");
    try {
      await file.writeFile(text);
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
