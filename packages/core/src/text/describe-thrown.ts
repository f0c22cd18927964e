/**
 * Text for a value a caller threw or handed back (an Error, a string, a Symbol, an object whose
 * `toString` throws) that never throws itself: a message built while reporting one failure
 * must not become a second one. A template literal throws for a Symbol; `String()` does not.
 */
export function describeThrown(error: unknown): string {
  try {
    return error instanceof Error ? error.message : String(error);
  } catch {
    return "a value that cannot be converted to text";
  }
}
