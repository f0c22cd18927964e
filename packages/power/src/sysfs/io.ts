import { close, constants, fstat, open, type Stats, stat, statfsSync, statSync } from "node:fs";
import { type FileHandle, opendir, open as openHandle, realpath } from "node:fs/promises";
import { errorCode as systemErrorCode } from "@wattprint/result";
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
  /**
   * A directory's names, at most `limit` of them (detect time only). A directory holding more
   * is not read further: the listing says it was `cut`, and the caller reports it.
   */
  listDir(path: string, limit: number): Promise<DirListing>;
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
  /**
   * Whether `path` (symlinks followed) lies on sysfs. There the kernel answers ENODEV to every
   * read of an open attribute whose node it has removed, even once a node of the same name is
   * re-created, so a reader learns of a removed zone from its own reads and needs no `stat`.
   * Elsewhere (a temporary test tree) an unlinked or replaced file stays readable through its
   * descriptor. Absent where a layer cannot tell, which counts as not sysfs.
   */
  isSysfs?(path: string): boolean;
  close(fd: number): void;
}

/** `f_type` of a sysfs mount (`SYSFS_MAGIC`, linux/magic.h). */
export const SYSFS_MAGIC = 0x62656572;

/** `SysfsIo.isSysfs` on Linux: the file system type `statfs` reports; false when it fails. */
export function isSysfsPath(path: string): boolean {
  try {
    return statfsSync(path).type === SYSFS_MAGIC;
  } catch {
    return false;
  }
}

/** What `SysfsIo.listDir` read of a directory. */
export interface DirListing {
  /** At most the limit asked for, in the order the file system gave them (callers sort). */
  readonly names: readonly string[];
  /** The directory held more entries than the limit; the rest were not read. */
  readonly cut: boolean;
}

/**
 * The most names one listing reads. Every directory the sysfs readers list is small: the
 * powercap root holds a few entries per socket, a RAPL zone about fifteen files, a hwmon chip
 * its attribute files (under 200 on any amdgpu card), `/sys/class/hwmon` one link per chip.
 * The readers then keep at most `MAX_ZONES` (128) or `MAX_HWMON` (64) of what matches, so 1024
 * leaves room for any real tree, while a root pointed at a directory of a million entries
 * holds at most 1024 names (256 KiB at NAME_MAX) instead of all of them.
 */
export const MAX_DIR_ENTRIES = 1024;

/**
 * Lists `path` one entry at a time (`opendir`), stopping once `limit` names are held and one
 * more exists: memory and time are bounded by the limit, not by the directory.
 */
export async function listDirBounded(path: string, limit: number): Promise<DirListing> {
  if (!Number.isSafeInteger(limit) || limit < 0) {
    throw new RangeError(`listDir limit must be a whole number ≥ 0, got ${limit}`);
  }
  // 32 entries per read, Node's default: the directories listed here fit in a few reads.
  const dir = await opendir(path, { bufferSize: 32 });
  const names: string[] = [];
  let cut = false;
  try {
    // Bounded by `limit`: each pass adds a name or ends the loop.
    for (;;) {
      const entry = await dir.read();
      if (entry === null) break;
      if (names.length === limit) {
        cut = true;
        break;
      }
      names.push(entry.name);
    }
  } finally {
    await dir.close();
  }
  return { names, cut };
}

function statIdentity(stats: Stats): string {
  return `${stats.dev}:${stats.ino}`;
}

/**
 * The most `readText` reads: sysfs caps an attribute at one page (4096 bytes), and every file
 * read this way (a zone's `name`, `max_energy_range_uj`, a card's `product_name`) is far
 * shorter. A longer file is refused with `EFBIG` instead of read whole: a root pointed at a
 * multi-megabyte file, or a symlink to `/dev/zero`, must not fill memory.
 */
export const MAX_TEXT_BYTES = 4096;

/**
 * The code of a path that is not a regular file: a FIFO, a character device, a socket. Every
 * sysfs attribute and procfs file is a regular file; a FIFO would block `open` (and every read)
 * until a writer came, which could be never, and a device can stream without end.
 */
export const NOT_REGULAR_FILE = "ENOTREG";

// O_NONBLOCK: opening a FIFO for reading otherwise waits for a writer, forever, on a thread of
// Node's pool. It changes nothing for a regular file (sysfs, procfs, a temporary tree).
const READ_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

function fileError(code: string, path: string, why: string): NodeJS.ErrnoException {
  const error: NodeJS.ErrnoException = new Error(`${code}: ${why}, open '${path}'`);
  error.code = code;
  error.path = path;
  return error;
}

function notRegular(path: string, stats: Stats): NodeJS.ErrnoException {
  const what = stats.isDirectory()
    ? "a directory"
    : stats.isFIFO()
      ? "a FIFO"
      : stats.isCharacterDevice() || stats.isBlockDevice()
        ? "a device"
        : stats.isSocket()
          ? "a socket"
          : "not a regular file";
  return fileError(
    stats.isDirectory() ? "EISDIR" : NOT_REGULAR_FILE,
    path,
    `${what} where a regular file was expected`,
  );
}

/** Opens a regular file without blocking (see `READ_FLAGS`); anything else is refused. */
export function openRegularFile(path: string): Promise<number> {
  return new Promise((resolve, reject) =>
    open(path, READ_FLAGS, (error, fd) => {
      if (error) {
        reject(error);
        return;
      }
      fstat(fd, (statError, stats) => {
        if (statError === null && stats.isFile()) {
          resolve(fd);
          return;
        }
        close(fd, () => {
          // Nothing to do: the descriptor was only opened to be checked.
        });
        reject(statError ?? notRegular(path, stats));
      });
    }),
  );
}

/**
 * `openRegularFile` for a `FileHandle`, with the file's stats: a regular file opened without
 * blocking, or a refusal (EISDIR, ENOTREG) after the handle is closed again.
 */
export async function openRegularHandle(
  path: string,
): Promise<{ readonly handle: FileHandle; readonly stats: Stats }> {
  const handle = await openHandle(path, READ_FLAGS);
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw notRegular(path, stats);
    return { handle, stats };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/** A small text file, read whole up to `MAX_TEXT_BYTES` (never blocking, never unbounded). */
export async function readSmallText(path: string): Promise<string> {
  const { handle } = await openRegularHandle(path);
  try {
    const buffer = Buffer.alloc(MAX_TEXT_BYTES + 1);
    let length = 0;
    // Bounded by the buffer: each pass reads at least one byte or ends the loop.
    while (length < buffer.length) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    if (length > MAX_TEXT_BYTES) {
      throw fileError("EFBIG", path, `longer than ${MAX_TEXT_BYTES} bytes`);
    }
    return buffer.toString("utf8", 0, length);
  } finally {
    await handle.close();
  }
}

export const nodeSysfsIo: SysfsIo = {
  readText: readSmallText,
  listDir: listDirBounded,
  realPath: (path) => realpath(path),
  open: (path) =>
    openRegularFile(path).then((fd) => {
      readThread.acquire();
      return fd;
    }),
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
  isSysfs: isSysfsPath,
  // Closed once no round is running: the worker never reads a closed (maybe reused) number.
  close: (fd) => readThread.closeDescriptor(fd),
};

/** The errno code of a caught error (`ENOENT`), or `EUNKNOWN`. */
export function errorCode(error: unknown): string {
  return systemErrorCode(error) ?? "EUNKNOWN";
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
