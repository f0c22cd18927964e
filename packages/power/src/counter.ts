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

/** One step held in one object: its inputs beside its result (see `stepCounter`). */
export interface CounterStepState extends CounterStep {
  previousJ: number;
  nextJ: number;
  rangeJ: number;
  maxJ: number;
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
  const state = SCRATCH;
  state.previousJ = previousJ;
  state.nextJ = nextJ;
  state.rangeJ = rangeJ;
  state.maxJ = maxJ;
  stepCounter(state);
  into.joules = state.joules;
  into.verdict = state.verdict;
  return into;
}

/** A state for `stepCounter`, every number NaN until set: one per device, reused. */
export function newCounterStepState(): CounterStepState {
  return {
    previousJ: Number.NaN,
    nextJ: Number.NaN,
    rangeJ: Number.NaN,
    maxJ: Number.NaN,
    joules: Number.NaN,
    verdict: "ok",
  };
}

const SCRATCH = newCounterStepState();

/**
 * `counterStep` on the inputs held in `state`, its result written back there. The meter keeps
 * one state per device and so passes no double to the call: V8 boxes each double passed to a
 * call it did not inline in a new heap number, even in optimised code.
 */
export function stepCounter(state: CounterStepState): void {
  const { previousJ, nextJ, rangeJ, maxJ } = state;
  const raw = nextJ - previousJ;
  if (rangeJ === Number.POSITIVE_INFINITY) {
    if (raw < 0) set(state, 0, "counter-reset");
    else if (raw > maxJ) set(state, 0, "implausible-delta");
    else set(state, raw, "ok");
    return;
  }
  const wrapped = raw < 0;
  const d = wrapped ? raw + rangeJ : raw;
  // Readings outside [0, rangeJ) are not this counter's (the meter refuses them first): no
  // energy can be told from them, and a negative one must never be counted.
  if (!(d >= 0 && d < rangeJ)) set(state, 0, "implausible-delta");
  else if (d + rangeJ <= maxJ) set(state, d, "ambiguous-wraps");
  else if (d > maxJ) set(state, 0, "implausible-delta");
  else set(state, d, wrapped ? "wrapped" : "ok");
}

function set(into: CounterStep, joules: number, verdict: CounterVerdict): void {
  into.joules = joules;
  into.verdict = verdict;
}
