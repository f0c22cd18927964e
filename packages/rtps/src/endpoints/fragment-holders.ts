/**
 * The remote writers that hold incomplete fragmented samples now, so that the participant's
 * fragment pool can age their samples out (`FragmentPool.expireIdle`) and take room from the
 * writer holding the most (`FragmentPool.makeRoom`). Before, the pool was first come, first
 * served and nothing aged out: one peer sending about 4 MiB once (wattprint-node's whole
 * pool) had every genuine fragmented sample refused for as long as it renewed its lease.
 */

/** What the pool needs of one writer's incomplete samples (`WriterFragments`). */
export interface FragmentHolder {
  /** Bytes held for this writer now. */
  readonly pendingBytes: number;
  /** Its place in `FragmentHolders`' list, -1 when not in it (kept by `FragmentHolders`). */
  holderIndex: number;
  /** Gives up the samples that received no new fragment since `before`; returns how many. */
  expireIdleSince(before: number): number;
  /** Gives up the sample that least recently received a new fragment; false when none is held. */
  evictStalest(): boolean;
}

/**
 * Writers looked at for the one holding the most, each time the participant limit would
 * refuse a fragment. Matched writers may number 65,536 (128 peers of 512 endpoints): a scan of
 * all of them per refused DATA_FRAG (1,000 in a datagram) would cost a hostile datagram
 * seconds. A rotating window of 64 finds the largest exactly up to 64 holders, and beyond
 * that, whenever the requester holds less than the average, one holding more among any 64.
 */
export const MAX_HOLDERS_SCANNED = 64;

export class FragmentHolders {
  private readonly list: FragmentHolder[] = [];
  /** Where the next scan for the largest holder starts. */
  private cursor = 0;

  get size(): number {
    return this.list.length;
  }

  add(h: FragmentHolder): void {
    if (h.holderIndex >= 0) return;
    h.holderIndex = this.list.length;
    this.list.push(h);
  }

  remove(h: FragmentHolder): void {
    const at = h.holderIndex;
    if (at < 0) return;
    const last = this.list.pop() as FragmentHolder;
    if (last !== h) {
      this.list[at] = last;
      last.holderIndex = at;
    }
    h.holderIndex = -1;
  }

  /** Calls `fn` on every holder; `fn` may remove the holder it is given (from the end down). */
  forEach(fn: (h: FragmentHolder) => void): void {
    for (let i = this.list.length - 1; i >= 0; i--) {
      const h = this.list[i];
      if (h) fn(h);
    }
  }

  /** The holder with the most bytes among MAX_HOLDERS_SCANNED from a rotating start, `except` left out. */
  largest(except: FragmentHolder): FragmentHolder | undefined {
    const n = this.list.length;
    const scanned = Math.min(n, MAX_HOLDERS_SCANNED);
    let best: FragmentHolder | undefined;
    for (let i = 0; i < scanned; i++) {
      const h = this.list[(this.cursor + i) % n] as FragmentHolder;
      if (h !== except && (!best || h.pendingBytes > best.pendingBytes)) best = h;
    }
    if (n > 0) this.cursor = (this.cursor + scanned) % n;
    return best;
  }
}
