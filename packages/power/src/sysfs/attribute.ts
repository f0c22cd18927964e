import { errnoName } from "./errno.ts";
import { errorCode, type SysfsIo } from "./io.ts";
import { parseUnsignedAscii } from "./parse.ts";

/** Enough for any sysfs integer (20 digits) plus a newline; a full buffer means a longer file. */
const ATTRIBUTE_BYTES = 32;

/**
 * One sysfs attribute kept open and re-read from offset 0 on every sample. Sysfs regenerates
 * an attribute's text on each read at offset 0, so one positional read replaces an
 * open/read/close triple (a third of the syscalls and thread-pool round trips). The buffer
 * and the read callback are allocated once here, not per sample.
 */
export class SysfsAttribute {
  private readonly buffer: Buffer;
  private bytesRead = 0;
  /** Errno code of the last read (`ENODEV` when the zone went away), or null. */
  lastErrorCode: string | null = null;
  private whenDone: (() => void) | null = null;
  private readonly onRead = (error: NodeJS.ErrnoException | null, bytesRead: number): void => {
    this.lastErrorCode = error === null ? null : errorCode(error);
    this.bytesRead = error === null ? bytesRead : 0;
    const done = this.whenDone;
    this.whenDone = null;
    done?.();
  };

  constructor(
    readonly path: string,
    private readonly fd: number,
    private readonly io: SysfsIo,
    bytes = ATTRIBUTE_BYTES,
  ) {
    this.buffer = Buffer.alloc(bytes);
  }

  /** Issues the read; `done` runs once it is back (never synchronously). */
  read(done: () => void): void {
    this.whenDone = done;
    try {
      this.io.read(this.fd, this.buffer, this.buffer.length, 0, this.onRead);
    } catch (error) {
      // fs.read throws synchronously only for a bad descriptor (closed under us).
      queueMicrotask(() => this.onRead(error as NodeJS.ErrnoException, 0));
    }
  }

  /**
   * Reads now, on this thread, when the file layer offers `readNow` (a file whose read cannot
   * block); returns false without reading when it does not, and the caller uses `read`.
   */
  readNow(): boolean {
    const io = this.io;
    if (io.readNow === undefined) return false;
    let result: number;
    try {
      result = io.readNow(this.fd, this.buffer, this.buffer.length, 0);
    } catch (error) {
      result = -(Math.abs((error as NodeJS.ErrnoException).errno ?? 0) || EIO);
    }
    if (result >= 0) {
      this.lastErrorCode = null;
      this.bytesRead = result;
    } else {
      this.lastErrorCode = errnoName(-result);
      this.bytesRead = 0;
    }
    return true;
  }

  /**
   * The last read as an unsigned integer: NaN when malformed or when the read failed,
   * Infinity when too large. A full buffer is a value longer than any sysfs integer.
   */
  integer(): number {
    if (this.lastErrorCode !== null || this.bytesRead >= this.buffer.length) return Number.NaN;
    return parseUnsignedAscii(this.buffer, this.bytesRead);
  }

  /** The raw text of the last read, for an error message (allocates: error path only). */
  text(): string {
    return this.buffer.toString("latin1", 0, this.bytesRead).trim();
  }

  /** The raw bytes of the last read, for parsers of longer files (`/proc/stat`). */
  get rawBytes(): Buffer {
    return this.buffer;
  }

  /** How many of `rawBytes` the last read filled (0 after a failed read). */
  get length(): number {
    return this.bytesRead;
  }

  close(): void {
    this.io.close(this.fd);
  }
}

const EIO = 5;

/**
 * Waits for a fixed number of callbacks without a promise per read: each `arrive()` counts
 * down, the last one runs `finish`.
 */
export class Countdown {
  private remaining = 0;
  private finish: (() => void) | null = null;
  readonly arrive = (): void => {
    this.remaining--;
    if (this.remaining === 0) {
      const finish = this.finish;
      this.finish = null;
      finish?.();
    }
  };

  /**
   * Gives up waiting: `finish` will not run, and `then` runs once the callbacks still out have
   * all arrived (at once if none is).
   */
  abandon(then: () => void): void {
    this.finish = null;
    if (this.remaining <= 0) then();
    else this.finish = then;
  }

  start(count: number, finish: () => void): void {
    if (count === 0) {
      queueMicrotask(finish);
      return;
    }
    this.remaining = count;
    this.finish = finish;
  }
}
