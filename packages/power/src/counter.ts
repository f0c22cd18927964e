/**
 * Turning two readings of a cumulative energy counter into the energy between them.
 *
 * A counter that wraps at `rangeJ` only shows the energy modulo the range: the true energy
 * is `d + k·rangeJ` for the visible delta `d` and some whole `k ≥ 0`. `k` is known only when
 * the device cannot have drawn a whole extra range in the time between the readings, that is
 * when `d + rangeJ > maxWatts × elapsed`. Otherwise the interval is flagged, not guessed:
 * `d` is counted as a lower bound.
 */
export type CounterVerdict =
  /** The counter moved forward by `joules`. */
  | "ok"
  /** The counter wrapped once; `joules` includes the wrap. */
  | "wrapped"
  /** More than one wrap cannot be ruled out: `joules` is the smallest possible energy. */
  | "ambiguous-wraps"
  /** The counter moved more than the device can draw in the interval: not counted. */
  | "implausible-delta"
  /** A counter that does not wrap went backwards (driver reloaded, counter reset): not counted. */
  | "counter-reset";

export interface CounterStep {
  joules: number;
  verdict: CounterVerdict;
}

/**
 * The energy between two counter readings, written into `into` (one object per device, reused
 * every sample). `maxJ` is the most energy the device can plausibly have used in the interval
 * (its maximum power × the elapsed time); `rangeJ` is `Infinity` for a counter that never wraps.
 */
export function counterStep(
  previousJ: number,
  nextJ: number,
  rangeJ: number,
  maxJ: number,
  into: CounterStep,
): CounterStep {
  const raw = nextJ - previousJ;
  if (rangeJ === Number.POSITIVE_INFINITY) {
    if (raw < 0) return set(into, 0, "counter-reset");
    if (raw > maxJ) return set(into, 0, "implausible-delta");
    return set(into, raw, "ok");
  }
  const wrapped = raw < 0;
  const d = wrapped ? raw + rangeJ : raw;
  // Readings outside [0, rangeJ) are not this counter's (the meter refuses them first): no
  // energy can be told from them, and a negative one must never be counted.
  if (!(d >= 0 && d < rangeJ)) return set(into, 0, "implausible-delta");
  if (d + rangeJ <= maxJ) return set(into, d, "ambiguous-wraps");
  if (d > maxJ) return set(into, 0, "implausible-delta");
  return set(into, d, wrapped ? "wrapped" : "ok");
}

function set(into: CounterStep, joules: number, verdict: CounterVerdict): CounterStep {
  into.joules = joules;
  into.verdict = verdict;
  return into;
}
