import { randomBytes } from "node:crypto";
import { link, readFile, unlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { err, type Failure, failure, ok, type Result } from "@wattprint/result";

/**
 * PGlite keeps its whole database in the memory of the process that opened it and writes it
 * back on close: two servers on one folder both started, each stored runs the other never
 * saw, and the last to stop overwrote the other's (runs answered 201 were lost). So one
 * process at a time holds a folder, through this file.
 */
export const LOCK_FILE = "wattprint-server.lock";
/** Held while a stale lock file is replaced, so that two processes never both replace it. */
export const TAKEOVER_FILE = `${LOCK_FILE}.takeover`;

export type DataDirLockError = Failure<"data-dir-locked" | "data-dir-unwritable"> & {
  readonly dir: string;
  readonly pid?: number;
};

export interface DataDirLock {
  /** Removes the lock file, if it is still this lock's. */
  release(): Promise<void>;
}

/** The one file operation a filesystem may lack; tests replace it to stand for one that does. */
export interface LockIo {
  readonly link: (existing: string, name: string) => Promise<void>;
}
const NODE_IO: LockIo = { link };

/** What `link` answers where the filesystem has no hard links (FAT, exFAT, some FUSE and SMB mounts). */
const NO_HARD_LINKS = new Set(["EPERM", "ENOTSUP", "EOPNOTSUPP", "ENOSYS"]);

/** Lock files this process holds: a file naming this pid and not in here is stale (pid reuse). */
const held = new Set<string>();
/** Takeover files this process holds, by the same rule. */
const takingOver = new Set<string>();

/** Tries to take a lock: a stale holder's file is replaced, a takeover in flight waited for. */
const MAX_ATTEMPTS = 10;
/** How long to wait for another process's takeover, or for a lock file's text to be written. */
const SETTLE_MS = 20;

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
  const pid = Number(/^(\d+) [0-9a-f]+\n$/.exec(text)?.[1]);
  return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
};

/** Whether the file at `path` names a live process other than this one, or this one holding it. */
const liveHolder = (pid: number, path: string, ours: ReadonlySet<string>): boolean =>
  alive(pid) && (pid !== process.pid || ours.has(path));

/** Why an operation on the lock files failed, for the message: the code and what it meant. */
function describeIoError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  return code === undefined ? String(error) : `${code} (${(error as Error).message})`;
}

/**
 * Takes `dir`'s lock, or says which live process holds it; never throws. The file is written
 * whole under another name and linked into place: `link` fails when the name exists, so taking
 * it is atomic and nobody ever reads a lock file without its pid. Where the filesystem has no
 * hard links, the file is created exclusively (`wx`) instead, and a reader that finds it not
 * yet written waits for it. A file whose pid is gone (a killed server) is stale and replaced,
 * under a takeover file of its own: two processes replacing it at once each removed the other's
 * new lock and both went on. A takeover file is itself stale only if its process died within
 * the milliseconds a takeover takes; two processes removing such a file at the same instant
 * could still both go on (node has no flock without native code).
 */
export async function lockDataDir(
  dir: string,
  io: LockIo = NODE_IO,
): Promise<Result<DataDirLock, DataDirLockError>> {
  const path = join(dir, LOCK_FILE);
  const takeoverPath = join(dir, TAKEOVER_FILE);
  const token = `${process.pid} ${randomBytes(8).toString("hex")}\n`;
  const staging = `${path}.${process.pid}.${randomBytes(4).toString("hex")}`;
  try {
    await writeFile(staging, token, { mode: 0o644 });
  } catch (error) {
    return err(unwritable(dir, error));
  }
  try {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const placed = await place(io, staging, path, token);
      if (placed === true) {
        held.add(path);
        return ok({ release: () => release(path, token) });
      }
      if (placed !== false) return err(unwritable(dir, placed.error));
      const text = await readWritten(path);
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
      if (liveHolder(pid, path, held)) {
        return err(
          failure(
            "data-dir-locked",
            `${dir} is in use by another wattprint-server (pid ${pid}, lock file ${path}): PGlite takes one process a folder; stop that one, give this one another --data-dir, or run several on PostgreSQL (DATABASE_URL)`,
            { dir, pid },
          ),
        );
      }
      const replaced = await replaceStale(io, staging, path, takeoverPath, token, text);
      if (replaced !== undefined) return err(unwritable(dir, replaced));
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

/**
 * Puts `token` at `path` if nothing is there: true when placed, false when a file was there,
 * `{ error }` when the folder refused the write.
 */
async function place(
  io: LockIo,
  staging: string,
  path: string,
  token: string,
): Promise<boolean | { readonly error: unknown }> {
  try {
    await io.link(staging, path);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EEXIST") return false;
    if (code === undefined || !NO_HARD_LINKS.has(code)) return { error };
  }
  try {
    await writeFile(path, token, { flag: "wx", mode: 0o644 });
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EEXIST" ? false : { error };
  }
}

/**
 * A lock file's text, once whole: a file created exclusively (no hard links) is empty until
 * its one write lands, microseconds later. Undefined when there is no file.
 */
async function readWritten(path: string): Promise<string | undefined> {
  const text = await readFile(path, "utf8").catch(() => undefined);
  if (text === undefined || text.endsWith("\n")) return text;
  await sleep(SETTLE_MS);
  return readFile(path, "utf8").catch(() => undefined);
}

/**
 * Removes the stale lock file whose text is `stale`, under the takeover file; the caller then
 * tries to place its own again. Returns the error when the folder refused a write.
 */
async function replaceStale(
  io: LockIo,
  staging: string,
  path: string,
  takeoverPath: string,
  token: string,
  stale: string,
): Promise<unknown> {
  const placed = await place(io, staging, takeoverPath, token);
  if (placed !== true && placed !== false) return placed.error;
  if (placed === false) {
    const text = await readWritten(takeoverPath);
    const pid = text === undefined ? undefined : holderOf(text);
    if (pid !== undefined && liveHolder(pid, takeoverPath, takingOver)) {
      // Another process is replacing it now: its lock will be there when this one looks again.
      await sleep(SETTLE_MS);
    } else if (
      text !== undefined &&
      (await readFile(takeoverPath, "utf8").catch(() => "")) === text
    ) {
      // Left by a process that died while taking over.
      await unlink(takeoverPath).catch(() => {});
    }
    return undefined;
  }
  takingOver.add(takeoverPath);
  try {
    // Still the stale file: nobody replaced it between the caller's read and this takeover.
    if ((await readFile(path, "utf8").catch(() => undefined)) === stale) {
      await unlink(path).catch(() => {});
    }
  } finally {
    takingOver.delete(takeoverPath);
    await release(takeoverPath, token);
  }
  return undefined;
}

function unwritable(dir: string, error: unknown): DataDirLockError {
  return failure(
    "data-dir-unwritable",
    `cannot write the lock file in ${dir}: ${describeIoError(error)}; give --data-dir a folder this user can write`,
    { dir },
  );
}

async function release(path: string, token: string): Promise<void> {
  held.delete(path);
  const text = await readFile(path, "utf8").catch(() => undefined);
  if (text === token) await unlink(path).catch(() => {});
}
