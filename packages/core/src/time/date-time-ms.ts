/**
 * The time value (ms since the epoch, NaN for an invalid Date) of `value` when it is a Date,
 * this realm's or another's (a worker's, a `vm` context's); undefined when it is not a Date.
 * Read through `Date.prototype.getTime`, so nothing of `value`'s own is called (a look-alike's
 * `getTime`, a proxy's traps): the log writer and the tracker read an injected clock with it,
 * where a throw would end the host process.
 */
export function dateTimeMs(value: unknown): number | undefined {
  try {
    return Date.prototype.getTime.call(value);
  } catch {
    return undefined;
  }
}
