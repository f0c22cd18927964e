/**
 * Text for a value a caller handed us (a thrown reason, a curve's result) that never throws:
 * `String()` throws for a Symbol's template use and for an object whose `toString` throws,
 * and a message built while reporting one failure must not become a second one.
 */
export function describeValue(value: unknown): string {
  try {
    if (value instanceof Error) return value.message;
    return typeof value === "symbol" ? value.toString() : String(value);
  } catch {
    return `an unprintable ${typeof value}`;
  }
}
