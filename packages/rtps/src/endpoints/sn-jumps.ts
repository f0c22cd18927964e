import type { SequenceNumber } from "../wire/sequence-number.ts";
import { NO_COUNT } from "./count.ts";
import { REORDER_WINDOW } from "./reorder-buffer.ts";

/**
 * Best effort: DATA below the next expected SN, in a row and ascending, after which the writer
 * is taken to be behind us (we were moved ahead by a forged DATA) and followed again. Three:
 * one duplicated datagram, or a short reordering, never makes such a run.
 */
export const BEHIND_RUN_TO_REWIND = 3;
/**
 * A HEARTBEAT count this far behind the last one heard is no reordering (a network reorders by
 * a few) but another counter: a forger's leap ahead, or the writer's own after one. Heard, or a
 * single forged count 2^30 ahead would have the writer's heartbeats ignored for 2^30 periods.
 */
export const COUNT_REORDER_SPAN = 1024;

/**
 * Judges how far one submessage may move a reader's next expected SN for one writer. The
 * writer's GUID prefix is in every SPDP announcement, so anyone can send a GAP, HEARTBEAT or
 * (best effort) DATA in its name: trusted whole, one such submessage with SN 2^52 had every
 * genuine sample dropped as a duplicate, for good, while the writer was told all was
 * acknowledged. The rule (README, "Sequence numbers and fragments"):
 *
 * - A jump may reach at most REORDER_WINDOW SNs past what was received (the next expected SN,
 *   or the highest sample taken, whichever is higher).
 * - Once, while nothing was received from the writer, a jump may go anywhere: a reader joining
 *   a writer already at SN 10,000 learns it from its first heartbeat or GAP.
 * - Reliable: a far firstSN claimed again by a later heartbeat, after we answered the first
 *   (so not the same datagram), is followed: a writer whose reader lost more than a window.
 * - Best effort: a far DATA followed by one within the window past it is followed.
 *
 * Whatever one forger does within that, the writer undoes it: a heartbeat saying it wrote less
 * than we expect (reliable), or BEHIND_RUN_TO_REWIND DATA below it (best effort), resets us.
 */
export class SnJumps {
  /** Highest SN of a sample taken from the writer (delivered or held); 0 while none was. */
  private received = 0;
  /** Highest SN delivered: a reset never goes back to it, so no sample is delivered twice. */
  private delivered = 0;
  private freeJumpTaken = false;
  /** A far SN refused (0: none), and whether we have sent an ACKNACK since (reliable). */
  private claim = 0;
  private claimAnswered = false;
  private behindRun = 0;
  private behindLast = 0;

  /** A sample at `sn` was taken (held or delivered). */
  taken(sn: SequenceNumber, delivered: boolean): void {
    if (sn > this.received) this.received = sn;
    if (delivered && sn > this.delivered) this.delivered = sn;
    this.behindRun = 0;
  }

  /** Whether `next` may move to `to` (> next) on a GAP or HEARTBEAT's word alone. */
  mayJump(next: SequenceNumber, to: SequenceNumber): boolean {
    if (to - Math.max(next, this.received + 1) <= REORDER_WINDOW) return true;
    if (this.received > 0 || this.freeJumpTaken) return false;
    this.freeJumpTaken = true;
    return true;
  }

  /** Reliable: whether a heartbeat's firstSN (> next) may move `next` there. */
  heartbeatMayJump(next: SequenceNumber, firstSN: SequenceNumber): boolean {
    const confirmed = this.claim > 0 && this.claimAnswered && firstSN >= this.claim;
    if (confirmed || this.mayJump(next, firstSN)) {
      this.claim = 0;
      return true;
    }
    this.claim = firstSN;
    this.claimAnswered = false;
    return false;
  }

  /** A heartbeat that claims nothing far: the writer is where we are, a pending claim is void. */
  heartbeatNear(): void {
    this.claim = 0;
  }

  /** An ACKNACK went out: a later heartbeat repeating a claim comes from another datagram. */
  answered(): void {
    if (this.claim > 0) this.claimAnswered = true;
  }

  /** Best effort: whether a sample (or irrelevant SN) at `sn` (>= next) may be taken. */
  bestEffortMayTake(next: SequenceNumber, sn: SequenceNumber): boolean {
    const confirmed = this.claim > 0 && sn > this.claim && sn - this.claim <= REORDER_WINDOW;
    if (confirmed || this.mayJump(next, sn)) {
      this.claim = 0;
      return true;
    }
    this.claim = sn;
    return false;
  }

  /** Best effort: a DATA below `next`. True when it completes a run that resets the reader. */
  behind(sn: SequenceNumber): boolean {
    this.behindRun = this.behindRun > 0 && sn > this.behindLast ? this.behindRun + 1 : 1;
    this.behindLast = sn;
    if (this.behindRun < BEHIND_RUN_TO_REWIND) return false;
    this.behindRun = 0;
    return true;
  }

  /**
   * Reliable: where to reset `next` when a heartbeat says the writer wrote less than we expect
   * (lastSN < next - 1: something moved us past what it wrote), or undefined. Never at or
   * below a sample delivered.
   */
  rewindTarget(
    next: SequenceNumber,
    firstSN: SequenceNumber,
    lastSN: SequenceNumber,
  ): SequenceNumber | undefined {
    if (lastSN >= next - 1) return undefined;
    const to = Math.max(firstSN, this.delivered + 1);
    return to < next ? to : undefined;
  }

  /** `next` was reset to `to`: what was held at or above it is gone. */
  rewound(to: SequenceNumber): void {
    this.received = Math.min(this.received, to - 1);
    this.claim = 0;
    this.behindRun = 0;
  }
}

/** Whether a heartbeat count is heard: newer than `last`, or too far behind to be a reordering. */
export function heardHeartbeatCount(count: number, last: number): boolean {
  if (last === NO_COUNT) return true;
  const ahead = (count - last) | 0;
  return ahead > 0 || ahead < -COUNT_REORDER_SPAN;
}
