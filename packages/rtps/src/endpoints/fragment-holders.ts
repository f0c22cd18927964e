/**
 * The remote writers that hold incomplete fragmented samples now, so that the participant's
 * fragment pool can age their samples out (`FragmentPool.expireIdle`). Before, the pool was first come, first served and nothing aged
 * out: one peer sending about 4 MiB once (wattprint-node's whole pool) had every genuine
 * fragmented sample refused for as long as it renewed its lease.
 */

/** What the pool needs of one writer's incomplete samples (`WriterFragments`). */
export interface FragmentHolder {
  /** Bytes held for this writer now. */
  readonly pendingBytes: number;
  /** Its place in `FragmentHolders`' list, -1 when not in it (kept by `FragmentHolders`). */
  holderIndex: number;
  /** Gives up the samples that received no new fragment since `before`; returns how many. */
  expireIdleSince(before: number): number;
}

export class FragmentHolders {
  private readonly list: FragmentHolder[] = [];

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
}
