/**
 * What a failed log write costs a run: a warning, never a rejection. carbontracker's Python
 * logging handlers swallow write errors; the tracker says once per distinct failure that the
 * logs are incomplete, counts every failed write, and returns the run it measured. Before,
 * each epoch of a full disk repeated the same warning ("the run is still measured and
 * returned") and then the final `epochEnd()` rejected, after the run had been measured.
 */
import type { LogWriterError } from "@wattprint/logs";

/** One failure per kind and file (or field): a full disk fails every later record the same way. */
function failureKey(error: LogWriterError): string {
  if ("path" in error) return `${error.kind}:${error.path}`;
  if ("field" in error) return `${error.kind}:${error.field}`;
  return error.kind;
}

/** The log write failures of one run: which were warned, and how many writes failed. */
export class LogFailures {
  private readonly warned = new Set<string>();
  private count = 0;

  /** Every failed write, warned or not (`introspect().logWriteFailures`). */
  get failures(): number {
    return this.count;
  }

  /**
   * Counts a failed write; the warning to give when it is the first of its kind and file,
   * else null. Writing to logs already closed is a consequence of an earlier failure (or of a
   * call after the end), not news, once anything else failed.
   */
  note(error: LogWriterError): string | null {
    this.count++;
    if (error.kind === "closed" && this.count > 1) return null;
    const key = failureKey(error);
    if (this.warned.has(key)) return null;
    this.warned.add(key);
    return `${error.message}; the logs are incomplete, and the run is still measured and returned (later failures like this one are counted in introspect().logWriteFailures, not repeated)`;
  }
}
