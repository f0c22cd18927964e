/**
 * The runner's built inputs, by (model, batch, shapes): each set is built once and reused for
 * every measurement of that shape. Bounded by count and by bytes: a peer's task chooses
 * `batch_size` and `input_shapes`, a set may be 512 MiB (`MAX_FEED_BYTES`), and sixteen of
 * them held by count alone were 8 GiB. The oldest set goes first; the newest is always kept,
 * since it is about to be used.
 */
export const MAX_FEED_SETS = 16;
/** Bytes of cached input sets, all models together: two of the largest sets. */
export const MAX_CACHED_FEED_BYTES = 1024 * 1024 * 1024;

export class FeedCache<V> {
  private readonly sets = new Map<
    string,
    { readonly sha256: string; readonly value: V; readonly bytes: number }
  >();
  private totalBytes = 0;

  constructor(
    private readonly limits: { readonly sets: number; readonly bytes: number } = {
      sets: MAX_FEED_SETS,
      bytes: MAX_CACHED_FEED_BYTES,
    },
  ) {}

  get(key: string): V | undefined {
    return this.sets.get(key)?.value;
  }

  has(key: string): boolean {
    return this.sets.has(key);
  }

  /** Keeps `value` (built for the model `sha256`), then drops the oldest sets past the limits. */
  set(key: string, sha256: string, value: V, bytes: number): void {
    this.delete(key);
    this.sets.set(key, { sha256, value, bytes });
    this.totalBytes += bytes;
    while (
      this.sets.size > 1 &&
      (this.sets.size > this.limits.sets || this.totalBytes > this.limits.bytes)
    ) {
      const oldest = this.sets.keys().next().value;
      if (oldest === undefined) break;
      this.delete(oldest);
    }
  }

  /** Drops every set of a model whose session was released. */
  dropModel(sha256: string): void {
    for (const [key, set] of this.sets) if (set.sha256 === sha256) this.delete(key);
  }

  get size(): number {
    return this.sets.size;
  }

  get bytes(): number {
    return this.totalBytes;
  }

  private delete(key: string): void {
    const set = this.sets.get(key);
    if (set === undefined) return;
    this.sets.delete(key);
    this.totalBytes -= set.bytes;
  }
}
