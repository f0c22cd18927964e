import type { Logger } from "../log.ts";

/** How often at most the RTPS bus logs what its participant dropped. */
export const DEFAULT_DROP_LOG_INTERVAL_MS = 10_000;
/** Per-peer lines (participant discovered or lost) written per interval; the rest are counted. */
export const PEER_LINES_PER_INTERVAL = 20;
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
  stop(): void;
}

/**
 * Logs what the participant dropped (hostile or over a limit: see rtps's `dropCounters()`) as
 * one line per interval (`warn`, or `info` when only routine reasons moved) with the counts by
 * reason since the previous line, and nothing when nothing was dropped. A flood of forged datagrams then costs the log one line every
 * `intervalMs`, not one per datagram; a flood of forged participants, at most
 * `PEER_LINES_PER_INTERVAL` discovery lines besides.
 */
export function startDropLog(
  read: () => Readonly<Record<string, number>>,
  logger: Logger,
  intervalMs: number = DEFAULT_DROP_LOG_INTERVAL_MS,
): DropLog {
  let previous = read();
  let peerLines = 0;
  let peerLinesLeftOut = 0;
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
    if (total > 0 || peerLinesLeftOut > 0) {
      logger.log(routine && peerLinesLeftOut === 0 ? "info" : "warn", "dropped peer traffic", {
        intervalS: intervalMs / 1000,
        total,
        dropped,
        ...(peerLinesLeftOut > 0 ? { peerLinesLeftOut } : {}),
      });
    }
    peerLines = 0;
    peerLinesLeftOut = 0;
  }, intervalMs);
  // A summary is never a reason to keep the process alive.
  timer.unref();
  return {
    admitPeerLine() {
      if (peerLines < PEER_LINES_PER_INTERVAL) {
        peerLines++;
        return true;
      }
      peerLinesLeftOut++;
      return false;
    },
    stop: () => clearInterval(timer),
  };
}
