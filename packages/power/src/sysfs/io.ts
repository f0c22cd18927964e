import { open, type Stats, stat, statSync } from "node:fs";
import { readdir, readFile, realpath } from "node:fs/promises";
import { type ReadCallback, readThread } from "./read-thread.ts";

export type { ReadCallback };

/**
 * The file operations the sysfs readers use, injectable so that tests can run a reader on a
 * temporary tree and produce the errors a real sysfs gives (EACCES as root, where `chmod`
 * does not refuse a read). Errors carry Node's `code` (`ENOENT`, `EACCES`, `ENODEV`).
 */
export interface SysfsIo {
  /** Whole small file, at detect time. */
  readText(path: string): Promise<string>;
  readDir(path: string): Promise<string[]>;
  /** Where a symlink (a hwmon `device` link) leads. */
  realPath(path: string): Promise<string>;
  /** Read-only file descriptor, kept open for the life of the reader. */
  open(path: string): Promise<number>;
  /** Positional read on the hot path: no promise, no closure per call. */
  read(fd: number, buffer: Buffer, length: number, position: number, callback: ReadCallback): void;
  /**
   * The same read done now, on the calling thread: the bytes read, or a negative errno. Only
   * for files whose read cannot block (RAPL's `energy_uj`, `/proc/stat`; see the README's
   * "Files and processes"); absent where a layer cannot offer it, and callers then use `read`.
   */
  readNow?(fd: number, buffer: Buffer, length: number, position: number): number;
  /** `dev:ino` of a path, to notice a zone that was removed (and maybe re-created). */
  identity(path: string): Promise<string>;
  /**
   * The same, now on the calling thread (a sysfs `stat` looks up an in-memory node and does
   * not sleep); null when the path cannot be stat'ed. Absent where a layer cannot offer it.
   */
  identityNow?(path: string): string | null;
  close(fd: number): void;
}

function statIdentity(stats: Stats): string {
  return `${stats.dev}:${stats.ino}`;
}

export const nodeSysfsIo: SysfsIo = {
  readText: (path) => readFile(path, "utf8"),
  readDir: (path) => readdir(path),
  realPath: (path) => realpath(path),
  open: (path) =>
    new Promise((resolve, reject) =>
      open(path, "r", (error, fd) => {
        if (error) reject(error);
        else {
          readThread.acquire();
          resolve(fd);
        }
      }),
    ),
  // Every read of a sample goes to the read thread in one round (see read-thread.ts).
  read: (fd, buffer, length, position, callback) =>
    readThread.read(fd, buffer, length, position, callback),
  readNow: (fd, buffer, length, position) => readThread.readNow(fd, buffer, length, position),
  identity: (path) =>
    new Promise((resolve, reject) =>
      stat(path, (error, stats) => (error ? reject(error) : resolve(statIdentity(stats)))),
    ),
  identityNow: (path) => {
    try {
      const stats = statSync(path, { throwIfNoEntry: false });
      return stats === undefined ? null : statIdentity(stats);
    } catch {
      return null;
    }
  },
  // Closed once no round is running: the worker never reads a closed (maybe reused) number.
  close: (fd) => readThread.closeDescriptor(fd),
};

/** The errno code of a caught error (`ENOENT`), or `EUNKNOWN`. */
export function errorCode(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return typeof code === "string" ? code : "EUNKNOWN";
}

/** Reads a small text attribute; `undefined` when it does not exist. Other errors propagate as codes. */
export async function readOptional(
  io: SysfsIo,
  path: string,
): Promise<{ readonly text: string } | { readonly code: string }> {
  try {
    return { text: await io.readText(path) };
  } catch (error) {
    return { code: errorCode(error) };
  }
}
