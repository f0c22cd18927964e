/**
 * A function's answers kept for the last `limit` distinct string arguments, oldest dropped
 * first. For pure lookups that a service repeats (the same hardware names request after
 * request): the limit bounds what a stream of distinct hostile names can make it hold, and a
 * dropped answer is only computed again.
 */
export function boundedMemo<T>(limit: number, compute: (key: string) => T): (key: string) => T {
  const kept = new Map<string, T>();
  return (key) => {
    const hit = kept.get(key);
    if (hit !== undefined || kept.has(key)) return hit as T;
    const value = compute(key);
    if (kept.size >= limit) {
      // A Map iterates in insertion order: its first key is the oldest.
      const oldest = kept.keys().next();
      if (oldest.done !== true) kept.delete(oldest.value);
    }
    kept.set(key, value);
    return value;
  };
}
