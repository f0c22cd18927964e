/**
 * Lines about per-input problems (undecodable or refused samples, dropped inputs, task
 * warnings) written per interval. Peers decide how many such problems there are, so without
 * a bound a burst of bad samples becomes as many log lines. Fifty per ten seconds shows every
 * problem of a misbehaving deployment's first burst and keeps a flood to 5 lines a second.
 */
export const PROBLEM_LOG_LINES_PER_INTERVAL = 50;
export const PROBLEM_LOG_INTERVAL_MS = 10_000;

export interface ProblemLogLimits {
  readonly linesPerInterval: number;
  readonly intervalMs: number;
}

/**
 * A fixed-window budget of log lines. `admit` says whether a line may be written; lines
 * refused are counted, and `takeSuppressed` hands the count over once so the caller can log
 * one summary line before the next line it writes. Plain numbers only: it runs per sample.
 */
export class ProblemLogLimiter {
  private windowStartMs = Number.NEGATIVE_INFINITY;
  private writtenInWindow = 0;
  private suppressedUnreported = 0;

  constructor(readonly limits: ProblemLogLimits) {}

  admit(nowMs: number): boolean {
    if (nowMs - this.windowStartMs >= this.limits.intervalMs || nowMs < this.windowStartMs) {
      this.windowStartMs = nowMs;
      this.writtenInWindow = 0;
    }
    if (this.writtenInWindow < this.limits.linesPerInterval) {
      this.writtenInWindow++;
      return true;
    }
    this.suppressedUnreported++;
    return false;
  }

  /** Lines refused since the last call (0 when none were). */
  takeSuppressed(): number {
    const count = this.suppressedUnreported;
    this.suppressedUnreported = 0;
    return count;
  }
}
