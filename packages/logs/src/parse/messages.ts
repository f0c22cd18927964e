/**
 * Every record of every carbontracker log starts a line with `YYYY-MM-DD HH:MM:SS - ` (the
 * error log adds `,mmm`); lines that do not are the continuation of the record above (the
 * body of a consumption block, a wrapped array, a traceback).
 */
const STAMP = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?:,\d+)? - /;
const DATE = /^\d{4}-\d{2}-\d{2}/;

/** The message of a record's first line; undefined for a continuation line. */
export function messageOf(line: string): string | undefined {
  // Cheap test first: most continuation lines start with a TAB or a space.
  const first = line.charCodeAt(0);
  if (first < 48 || first > 57) return undefined;
  const stamp = STAMP.exec(line);
  if (stamp !== null) return line.slice(stamp[0].length);
  // A date in another stamp format still starts a record, as it does for carbontracker's
  // own lookahead; its message is the whole line.
  return DATE.test(line) ? line : undefined;
}
