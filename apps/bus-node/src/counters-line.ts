/**
 * How often the running node logs its counters (the runtime's, the measurer's): drops and
 * refusals were visible only at stop, and past the problem-log budget a flood showed as
 * "suppressed N" alone. A line a minute at most, and none while nothing changed, so an idle
 * node writes nothing and a flooded one one line a minute.
 */
export const COUNTERS_LOG_INTERVAL_MS = 60_000;

/**
 * The text of `snapshot` when it differs from `previous` (the text last logged), else
 * undefined: the caller logs a line only then and keeps the text for the next call.
 */
export function changedCounters(
  previous: string | undefined,
  snapshot: object,
): string | undefined {
  const text = JSON.stringify(snapshot);
  return text === previous ? undefined : text;
}
