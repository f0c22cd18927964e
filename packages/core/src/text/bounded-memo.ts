/** How much a `boundedMemo` may hold. */
export interface MemoLimits {
  /** Distinct keys kept; the oldest is dropped first. */
  readonly entries: number;
  /** Longer keys are computed every time and never kept. */
  readonly keyChars: number;
}

/**
 * A function's answers kept for the last `limits.entries` distinct string arguments of at
 * most `limits.keyChars` characters. For pure lookups that a service repeats (the same
 * hardware names request after request): both limits together bound what a stream of
 * distinct hostile names can make it hold (a count alone let 512 names of a megabyte each
 * keep half a gigabyte), and an answer not kept is only computed again.
 */
export function boundedMemo<T>(
  limits: MemoLimits,
  compute: (key: string) => T,
): (key: string) => T {
  const kept = new Map<string, T>();
  return (key) => {
    if (key.length > limits.keyChars) return compute(key);
    const hit = kept.get(key);
    if (hit !== undefined || kept.has(key)) return hit as T;
    const value = compute(key);
    if (kept.size >= limits.entries) {
      // A Map iterates in insertion order: its first key is the oldest.
      const oldest = kept.keys().next();
      if (oldest.done !== true) kept.delete(oldest.value);
    }
    kept.set(key, value);
    return value;
  };
}
