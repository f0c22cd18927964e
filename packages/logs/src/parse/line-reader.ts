import { isUtf8 } from "node:buffer";
import { closeSync, constants, openSync, readSync } from "node:fs";
import { err, failure, ok, type Result } from "@wattprint/result";
import type { FileProblem } from "./problems.ts";
import { isSystemError } from "./system-error.ts";

/** Receives a file's lines in order, without their `\n` (and without a `\r` before it). */
export interface LineSink {
  line(text: string, lineNumber: number): void;
  /**
   * Optional: the lines from `start` to `end` of `buf` (`end` is the last line's `\n`), read
   * as `line` would read each; returns the last line number used. A sink that has it reads
   * bytes, and the reader makes no string of the chunk.
   */
  lines?(buf: Buffer, start: number, end: number, lineNumber: number): number;
  /**
   * Optional: the file's last line, which has no line break (without a final `\r`). A sink
   * that has it decides whether the line was cut inside something it reads; without it, such
   * a file is `truncated`.
   */
  lastLineWithoutBreak?(text: string, lineNumber: number): void;
}

/** A `LineSink` that reads the lines most of its logs are made of from their bytes. */
export interface ByteLineSink extends LineSink {
  /**
   * One line, `start` to `end` of `buf` without its break: true when it was read from its
   * bytes; false hands it, decoded, to `line` (the reference for every line).
   */
  lineFromBytes(buf: Buffer, start: number, end: number, lineNumber: number): boolean;
  /** A problem was found: the remaining lines are counted, not read. */
  readonly stopped: boolean;
  /** `emitByteLines` over the sink itself. */
  lines(buf: Buffer, start: number, end: number, lineNumber: number): number;
}

/**
 * Hands the lines from `start` to `end` of `buf` (`end` is the last line's `\n`) to `sink`
 * as `emitLines` would, without a string per line for those the sink reads from their bytes.
 * Returns the last line number used.
 */
export function emitByteLines(
  buf: Buffer,
  start: number,
  end: number,
  sink: ByteLineSink,
  lineNumber: number,
): number {
  let line = lineNumber;
  let from = start;
  for (;;) {
    let stop = buf.indexOf(10, from);
    if (stop === -1 || stop > end) stop = end;
    const next = stop + 1;
    if (stop > from && buf[stop - 1] === 13) stop--;
    line++;
    if (!sink.stopped && !sink.lineFromBytes(buf, from, stop, line)) {
      sink.line(buf.toString("utf8", from, stop), line);
    }
    if (next > end) return line;
    from = next;
  }
}

/**
 * Hands every line of `text` to `sink`: each `\n`-separated part is a line (an empty text is
 * one empty line), without a `\r` before its break. Returns the last line number used.
 */
export function emitLines(text: string, sink: LineSink, lineNumber: number): number {
  let start = 0;
  let line = lineNumber;
  for (;;) {
    const newline = text.indexOf("\n", start);
    const stop = newline === -1 ? text.length : newline;
    const cr = stop > start && text.charCodeAt(stop - 1) === 13 ? 1 : 0;
    sink.line(text.slice(start, stop - cr), ++line);
    if (newline === -1) return line;
    start = newline + 1;
  }
}

export interface ReadLimits {
  /** A file longer than this is skipped as `too-large`. */
  readonly maxFileBytes: number;
  /** A line longer than this is skipped as `line-too-long` (the buffer grows up to it). */
  readonly maxLineBytes: number;
}

/**
 * One reusable buffer per scan: a folder of 100,000 pairs reads every file into the same
 * memory instead of allocating a buffer per file.
 */
export class LineReader {
  private buffer: Buffer;
  private notUtf8 = false;

  /**
   * The last file read held bytes that are not UTF-8: they were read as U+FFFD (a device name
   * `N\xffS` as `N\uFFFDS`). Said, so that a caller can count it rather than lose it unsaid.
   */
  get lastReadWasNotUtf8(): boolean {
    return this.notUtf8;
  }

  constructor(
    private readonly limits: ReadLimits,
    initialBytes = 64 * 1024,
  ) {
    this.buffer = Buffer.allocUnsafe(Math.min(initialBytes, limits.maxLineBytes + 1));
  }

  /**
   * Streams `path` into `sink` chunk by chunk. Fails (and the caller discards what the sink
   * saw) on a file that cannot be read, is empty, holds a NUL byte (binary), exceeds a limit,
   * or does not end in `\n` while the sink has no `lastLineWithoutBreak`: every record
   * carbontracker or this package writes ends a line, so a last line without one may be a
   * record cut short. A lone `\r` ends a line too, as in Python's universal newlines.
   */
  read(path: string, sink: LineSink): Result<number, FileProblem> {
    this.notUtf8 = false;
    let fd: number;
    try {
      // Non-blocking: a FIFO named like a log must not hang the scan waiting for a writer.
      fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    } catch (error) {
      if (!isSystemError(error)) throw error;
      return err(unreadable(path, error));
    }
    try {
      return this.readOpen(fd, path, sink);
    } catch (error) {
      // A system error reading the file is the file's problem; anything else is a bug.
      if (!isSystemError(error)) throw error;
      return err(unreadable(path, error));
    } finally {
      closeSync(fd);
    }
  }

  /**
   * Offset of the first NUL byte from `start` to `end`, relative to `start`; -1 if none. A NUL
   * written at `end` bounds the native search, so the bytes left over from other files past
   * it are never read, and no view is made per read.
   */
  private nulAt(start: number, end: number): number {
    if (end >= this.buffer.length) return this.buffer.subarray(start, end).indexOf(0);
    this.buffer[end] = 0;
    const at = this.buffer.indexOf(0, start);
    return at === end ? -1 : at - start;
  }

  /**
   * Turns each lone `\r` (one not followed by `\n`) of the bytes from `carried` to `end` into
   * `\n`, in place: Python reads old Mac line ends as line breaks, and the lines then take the
   * same paths as any. A `\r` that is the last byte read is kept until the next read says
   * whether a `\n` follows (it stays in the unfinished line carried over); `\r\n` is left as it
   * is, its `\r` dropped with the line break.
   */
  private loneCarriageReturns(carried: number, end: number, atEnd: boolean): void {
    const buf = this.buffer;
    // A `\r` written at `end` bounds the native search, as `nulAt`'s NUL does.
    if (end < buf.length) buf[end] = 13;
    let at = carried > 0 && buf[carried - 1] === 13 ? carried - 1 : carried;
    for (;;) {
      const cr = buf.indexOf(13, at);
      if (cr === -1 || cr >= end) return;
      if (cr + 1 < end) {
        if (buf[cr + 1] !== 10) buf[cr] = 10;
      } else if (atEnd) buf[cr] = 10;
      at = cr + 1;
    }
  }

  private readOpen(fd: number, path: string, sink: LineSink): Result<number, FileProblem> {
    let carried = 0; // bytes of an unfinished line at the start of the buffer
    let total = 0;
    let lineNumber = 0;
    for (;;) {
      if (carried === this.buffer.length) {
        if (this.buffer.length > this.limits.maxLineBytes) {
          return err(
            failure(
              "line-too-long",
              `${path}: line ${lineNumber + 1} is longer than ${this.limits.maxLineBytes} bytes`,
              {
                path,
                line: lineNumber + 1,
              },
            ),
          );
        }
        const grown = Buffer.allocUnsafe(
          Math.min(this.buffer.length * 2, this.limits.maxLineBytes + 1),
        );
        this.buffer.copy(grown, 0, 0, carried);
        this.buffer = grown;
      }
      const wanted = this.buffer.length - carried;
      const n = readSync(fd, this.buffer, carried, wanted, null);
      if (n === 0) break;
      // A regular file reads short only at its end: no second read to learn it.
      const atEnd = n < wanted;
      total += n;
      if (total > this.limits.maxFileBytes) {
        return err(
          failure("too-large", `${path} is larger than ${this.limits.maxFileBytes} bytes`, {
            path,
          }),
        );
      }
      const end = carried + n;
      // Only the bytes just read: the rest of the shared buffer holds other files' bytes.
      const nul = this.nulAt(carried, end);
      if (nul !== -1) {
        return err(
          failure(
            "binary",
            `${path} holds a NUL byte at offset ${total - n + nul}: not a text log`,
            {
              path,
            },
          ),
        );
      }
      this.loneCarriageReturns(carried, end, atEnd);
      const lastNewline = this.buffer.lastIndexOf(10, end - 1);
      if (lastNewline < 0) {
        carried = end;
        if (atEnd) break;
        continue;
      }
      // A line break never falls inside a UTF-8 sequence, so decoding up to it is safe.
      if (!this.notUtf8 && !isUtf8(this.buffer.subarray(0, lastNewline))) this.notUtf8 = true;
      lineNumber =
        sink.lines === undefined
          ? emitLines(this.buffer.toString("utf8", 0, lastNewline), sink, lineNumber)
          : sink.lines(this.buffer, 0, lastNewline, lineNumber);
      carried = end - lastNewline - 1;
      if (carried > 0) this.buffer.copy(this.buffer, 0, lastNewline + 1, end);
      if (atEnd) break;
    }
    if (total === 0) return err(failure("empty", `${path} is empty`, { path }));
    if (carried > 0 && !this.notUtf8 && !isUtf8(this.buffer.subarray(0, carried))) {
      this.notUtf8 = true;
    }
    if (carried > 0 && this.buffer[carried - 1] === 13) {
      // A lone `\r` held back for the next read, which found the end: it ended the line.
      return ok(emitLines(this.buffer.toString("utf8", 0, carried - 1), sink, lineNumber));
    }
    if (carried > 0 && sink.lastLineWithoutBreak !== undefined) {
      sink.lastLineWithoutBreak(this.buffer.toString("utf8", 0, carried), lineNumber + 1);
      return ok(lineNumber + 1);
    }
    if (carried > 0) {
      return err(lastLineCut(path, lineNumber + 1));
    }
    return ok(lineNumber);
  }
}

/** A file (or text) whose last line, `line`, has no line break: cut while it was written. */
export function lastLineCut(path: string, line: number): FileProblem {
  return failure(
    "truncated",
    `${path}: the last line (${line}) has no line break: the run stopped while writing it`,
    { path, line },
  );
}

function unreadable(path: string, error: NodeJS.ErrnoException): FileProblem {
  const cause = error.message;
  return error.code === "ENOENT"
    ? failure("missing", `${path} does not exist`, { path })
    : failure("unreadable", `cannot read ${path}: ${cause}`, { path });
}
