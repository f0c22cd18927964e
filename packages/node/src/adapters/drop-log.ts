import type { Logger } from "../log.ts";

/** How often at most the RTPS bus logs what its participant dropped. */
export const DEFAULT_DROP_LOG_INTERVAL_MS = 10_000;
/** Per-peer lines (participant discovered or lost) written per interval; the rest are counted. */
export const PEER_LINES_PER_INTERVAL = 20;
/**
 * Match lines (one of our endpoints matched, unmatched or incompatible with a remote one)
 * written per interval; the rest are counted. A deployment's start matches each of the node's
 * eight endpoints with the orchestrator and a few with each other node: some tens of lines.
 */
export const MATCH_LINES_PER_INTERVAL = 100;
/**
 * Sends withheld from a peer that has not shown it receives our traffic yet also happen when a
 * real peer joins (the first SEDP data goes out before its proof comes in, then is repaired):
 * alone, they make an `info` line, not a `warn`.
 */
const ROUTINE_REASONS: ReadonlySet<string> = new Set(["sends-withheld-unverified"]);

export interface DropLog {
  /**
   * Whether one more per-peer line may be written in this interval. When not, the event is
   * counted and the next summary says how many such lines were left out.
   */
  admitPeerLine(): boolean;
  /** The same for a match line, within a budget of its own (`MATCH_LINES_PER_INTERVAL`). */
  admitMatchLine(): boolean;
  stop(): void;
}

/**
 * Logs what the participant dropped (hostile or over a limit: see rtps's `dropCounters()`) as
 * one line per interval (`warn`, or `info` when only routine reasons moved) with the counts by
 * reason since the previous line, and nothing when nothing was dropped. A flood of forged
 * datagrams then costs the log one line every `intervalMs`, not one per datagram; a flood of
 * forged participants at most `PEER_LINES_PER_INTERVAL` discovery lines besides, and one peer
 * opening and closing endpoints at most `MATCH_LINES_PER_INTERVAL` match lines.
 */
export function startDropLog(
  read: () => Readonly<Record<string, number>>,
  logger: Logger,
  intervalMs: number = DEFAULT_DROP_LOG_INTERVAL_MS,
): DropLog {
  let previous = read();
  const peerLines = lineBudget(PEER_LINES_PER_INTERVAL);
  const matchLines = lineBudget(MATCH_LINES_PER_INTERVAL);
  const timer = setInterval(() => {
    const now = read();
    const dropped: Record<string, number> = {};
    let total = 0;
    let routine = true;
    for (const [reason, count] of Object.entries(now)) {
      const delta = count - (previous[reason] ?? 0);
      if (delta > 0) {
        dropped[reason] = delta;
        total += delta;
        if (!ROUTINE_REASONS.has(reason)) routine = false;
      }
    }
    previous = now;
    const peerLinesLeftOut = peerLines.leftOut;
    const matchLinesLeftOut = matchLines.leftOut;
    const linesLeftOut = peerLinesLeftOut + matchLinesLeftOut > 0;
    if (total > 0 || linesLeftOut) {
      logger.log(routine && !linesLeftOut ? "info" : "warn", "dropped peer traffic", {
        intervalS: intervalMs / 1000,
        total,
        dropped,
        ...(peerLinesLeftOut > 0 ? { peerLinesLeftOut } : {}),
        ...(matchLinesLeftOut > 0 ? { matchLinesLeftOut } : {}),
      });
    }
    peerLines.reset();
    matchLines.reset();
  }, intervalMs);
  // A summary is never a reason to keep the process alive.
  timer.unref();
  return {
    admitPeerLine: () => peerLines.admit(),
    admitMatchLine: () => matchLines.admit(),
    stop: () => clearInterval(timer),
  };
}

/** Lines of one kind admitted per interval, and those left out. */
function lineBudget(perInterval: number) {
  let admitted = 0;
  let leftOut = 0;
  return {
    get leftOut() {
      return leftOut;
    },
    admit(): boolean {
      if (admitted < perInterval) {
        admitted++;
        return true;
      }
      leftOut++;
      return false;
    },
    reset(): void {
      admitted = 0;
      leftOut = 0;
    },
  };
}
