import { randomBytes } from "node:crypto";
import { link, readFile, unlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { err, type Failure, failure, ok, type Result } from "@wattprint/result";

/**
 * PGlite keeps its whole database in the memory of the process that opened it and writes it
 * back on close: two servers on one folder both started, each stored runs the other never
 * saw, and the last to stop overwrote the other's (runs answered 201 were lost). So one
 * process at a time holds a folder, through this file.
 */
export const LOCK_FILE = "wattprint-server.lock";

export type DataDirLockError = Failure<"data-dir-locked"> & {
  readonly dir: string;
  readonly pid?: number;
};

export interface DataDirLock {
  /** Removes the lock file, if it is still this lock's. */
  release(): Promise<void>;
}

/** Lock files this process holds: a file naming this pid and not in here is stale (pid reuse). */
const held = new Set<string>();

/** Whether a process with this id exists (EPERM: it does, under another user). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

const holderOf = (text: string): number | undefined => {
  const pid = Number(/^(\d+) /.exec(text)?.[1]);
  return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
};

/**
 * Takes `dir`'s lock, or says which live process holds it. The file is written whole under
 * another name and linked into place: `link` fails when the name exists, so taking it is
 * atomic and nobody ever reads a lock file without its pid. A file whose pid is gone (a
 * killed server) is stale and taken over. Two processes taking over the same stale file at
 * the same instant can still both succeed; node has no flock without native code.
 */
export async function lockDataDir(dir: string): Promise<Result<DataDirLock, DataDirLockError>> {
  const path = join(dir, LOCK_FILE);
  const token = `${process.pid} ${randomBytes(8).toString("hex")}\n`;
  const staging = `${path}.${process.pid}.${randomBytes(4).toString("hex")}`;
  await writeFile(staging, token, { mode: 0o644 });
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        await link(staging, path);
        held.add(path);
        return ok({ release: () => release(path, token) });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      }
      const text = await readFile(path, "utf8").catch(() => undefined);
      // Gone between link and read: the holder released it; try again.
      if (text === undefined) continue;
      const pid = holderOf(text);
      if (pid === undefined) {
        return err(
          failure(
            "data-dir-locked",
            `${dir} holds a lock file (${path}) that names no process; remove it if no wattprint-server uses ${dir}`,
            { dir },
          ),
        );
      }
      if (alive(pid) && (pid !== process.pid || held.has(path))) {
        return err(
          failure(
            "data-dir-locked",
            `${dir} is in use by another wattprint-server (pid ${pid}, lock file ${path}): PGlite takes one process a folder; stop that one, give this one another --data-dir, or run several on PostgreSQL (DATABASE_URL)`,
            { dir, pid },
          ),
        );
      }
      // Stale: its process is gone. Removed only if it is still the file just read.
      if ((await readFile(path, "utf8").catch(() => undefined)) === text) {
        await unlink(path).catch(() => {});
      }
    }
    return err(
      failure("data-dir-locked", `${dir}: another process keeps taking its lock file ${path}`, {
        dir,
      }),
    );
  } finally {
    await unlink(staging).catch(() => {});
  }
}

async function release(path: string, token: string): Promise<void> {
  held.delete(path);
  const text = await readFile(path, "utf8").catch(() => undefined);
  if (text === token) await unlink(path).catch(() => {});
}
