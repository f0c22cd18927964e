/**
 * Every record of every carbontracker log starts a line with `YYYY-MM-DD HH:MM:SS - ` (the
 * error log adds `,mmm`); lines that do not are the continuation of the record above (the
 * body of a consumption block, a wrapped array, a traceback).
 */

const isDigit = (code: number): boolean => code >= 48 && code <= 57;

function isDateAt(line: string): boolean {
  return (
    line.length >= 10 &&
    isDigit(line.charCodeAt(0)) &&
    isDigit(line.charCodeAt(1)) &&
    isDigit(line.charCodeAt(2)) &&
    isDigit(line.charCodeAt(3)) &&
    line.charCodeAt(4) === 45 &&
    isDigit(line.charCodeAt(5)) &&
    isDigit(line.charCodeAt(6)) &&
    line.charCodeAt(7) === 45 &&
    isDigit(line.charCodeAt(8)) &&
    isDigit(line.charCodeAt(9))
  );
}

/**
 * Where a record's message starts in its first line (22 for `2026-11-28 22:21:57 - `), 0
 * for a line that starts with a date in another stamp format (it still starts a record, as
 * for carbontracker's own lookahead), -1 for a continuation line. Character tests, not a
 * regular expression: this runs on every line of every file of a folder.
 */
export function messageStart(line: string): number {
  if (!isDateAt(line)) return -1;
  if (
    line.length >= 22 &&
    line.charCodeAt(10) === 32 &&
    isDigit(line.charCodeAt(11)) &&
    isDigit(line.charCodeAt(12)) &&
    line.charCodeAt(13) === 58 &&
    isDigit(line.charCodeAt(14)) &&
    isDigit(line.charCodeAt(15)) &&
    line.charCodeAt(16) === 58 &&
    isDigit(line.charCodeAt(17)) &&
    isDigit(line.charCodeAt(18))
  ) {
    let i = 19;
    if (line.charCodeAt(i) === 44) {
      i++;
      while (isDigit(line.charCodeAt(i))) i++;
    }
    if (
      line.charCodeAt(i) === 32 &&
      line.charCodeAt(i + 1) === 45 &&
      line.charCodeAt(i + 2) === 32
    ) {
      return i + 3;
    }
  }
  return 0;
}

/** The message of a record's first line; undefined for a continuation line. */
export function messageOf(line: string): string | undefined {
  const start = messageStart(line);
  return start < 0 ? undefined : line.slice(start);
}

/** The standard log's early-stop sign, matched as carbontracker's `get_early_stop` does. */
export const INTERRUPTED_TEXT = "training was interrupted";
export const INTERRUPTED = new RegExp(INTERRUPTED_TEXT, "i");
