import type { ReadingProblem } from "./failures.ts";
import {
  type DeviceReading,
  failedReading,
  reading,
  type SourceCounters,
  type SourceSample,
} from "./source.ts";

/**
 * One round of a source's readings, one slot per device in the order `detect()` listed them,
 * in typed arrays a source allocates once and rewrites every round: the allocation-free form
 * of a `SourceSample`. NaN marks a quantity not read; `problems[i]` is null for a good reading.
 */
export class ReadingFrame {
  /** Monotonic milliseconds at which the round's reads were issued. */
  atMs = Number.NaN;
  readonly energyJ: Float64Array;
  readonly watts: Float64Array;
  readonly utilisation: Float64Array;
  readonly problems: (ReadingProblem | null)[];

  constructor(readonly size: number) {
    this.energyJ = new Float64Array(size).fill(Number.NaN);
    this.watts = new Float64Array(size).fill(Number.NaN);
    this.utilisation = new Float64Array(size).fill(Number.NaN);
    this.problems = new Array<ReadingProblem | null>(size).fill(null);
  }

  set(i: number, energyJ: number, watts: number, utilisation: number): void {
    this.energyJ[i] = energyJ;
    this.watts[i] = watts;
    this.utilisation[i] = utilisation;
    this.problems[i] = null;
  }

  fail(i: number, problem: ReadingProblem): void {
    this.energyJ[i] = Number.NaN;
    this.watts[i] = Number.NaN;
    this.utilisation[i] = Number.NaN;
    this.problems[i] = problem;
  }

  /** The round as `DeviceReading`s (allocates: the promise-returning `sample()` path). */
  readings(): DeviceReading[] {
    const out: DeviceReading[] = [];
    for (let i = 0; i < this.size; i++) {
      const problem = this.problems[i] ?? null;
      out.push(
        problem === null
          ? reading(
              this.energyJ[i] as number,
              this.watts[i] as number,
              this.utilisation[i] as number,
              null,
            )
          : failedReading(problem),
      );
    }
    return out;
  }

  /** Writes `readings` into the frame (a source without `read` seen through the meter). */
  copy(atMs: number, readings: readonly DeviceReading[]): void {
    this.atMs = atMs;
    for (let i = 0; i < this.size; i++) {
      const r = readings[i];
      if (r === undefined) this.problems[i] = null;
      else if (r.problem !== null) this.fail(i, r.problem);
      else this.set(i, r.energyJ, r.watts, r.utilisation);
    }
  }
}

/** Called with the source's frame when its round is back; the frame is rewritten by the next round. */
export type FrameCallback = (frame: ReadingFrame) => void;

/** Counts a finished round's readings and problems into a source's counters (no allocation). */
export function countFrame(counters: SourceCounters, frame: ReadingFrame): void {
  counters.samples++;
  for (let i = 0; i < frame.size; i++) {
    counters.readings++;
    const problem = frame.problems[i];
    if (problem !== null && problem !== undefined) counters.problems[problem.kind]++;
  }
}

/**
 * The callers waiting for a source's round: the first `join` starts a round, later ones while
 * it runs wait for it (counted as `coalesced`). The list is a slot array with a count, never
 * shrunk, so that a steady one-caller-per-round use allocates nothing.
 */
export class RoundWaiters {
  private waiting: (FrameCallback | null)[] = [];
  private spare: (FrameCallback | null)[] = [];
  private count = 0;
  /** The list being handed out, while it is: a callback that reads again must not reuse it. */
  private handingOut: (FrameCallback | null)[] | null = null;
  running = false;

  /** Adds `done`; true when the caller must start a round (none was running). */
  join(done: FrameCallback, counters: SourceCounters): boolean {
    if (this.count === this.waiting.length) this.waiting.push(done);
    else this.waiting[this.count] = done;
    this.count++;
    if (this.running) {
      counters.coalesced++;
      return false;
    }
    this.running = true;
    return true;
  }

  /** Ends the round: counts it, then hands the frame to every waiter (a new round may start from one). */
  finish(frame: ReadingFrame, counters: SourceCounters): void {
    countFrame(counters, frame);
    const list = this.waiting;
    const n = this.count;
    const outer = this.handingOut;
    this.waiting = this.spare === outer ? [] : this.spare;
    this.spare = list;
    this.count = 0;
    this.running = false;
    this.handingOut = list;
    try {
      for (let i = 0; i < n; i++) {
        const done = list[i] as FrameCallback;
        list[i] = null;
        done(frame);
      }
    } finally {
      this.handingOut = outer;
    }
  }
}

/**
 * `sample()` on top of a source's `read`: one promise per round, shared by every `sample()`
 * made while it runs. `read` may answer synchronously; the promise is then already settled.
 */
export class FrameSampler {
  private pending: Promise<SourceSample> | null = null;
  private resolve: ((sample: SourceSample) => void) | null = null;
  private inFlight = false;
  private readonly onFrame: FrameCallback = (frame) => {
    this.inFlight = false;
    this.pending = null;
    const resolve = this.resolve;
    this.resolve = null;
    resolve?.({ atMs: frame.atMs, readings: frame.readings() });
  };

  constructor(
    private readonly read: (done: FrameCallback) => void,
    private readonly counters: SourceCounters,
  ) {}

  sample(): Promise<SourceSample> {
    if (this.pending !== null) {
      this.counters.coalesced++;
      return this.pending;
    }
    this.inFlight = true;
    const pending = new Promise<SourceSample>((resolve) => {
      this.resolve = resolve;
      this.read(this.onFrame);
    });
    if (this.inFlight) this.pending = pending;
    return pending;
  }
}
