import { describeThrown } from "@wattprint/core";
import { monotonicMs } from "./clock.ts";
import { readingProblem } from "./failures.ts";
import { type FrameCallback, ReadingFrame } from "./frame.ts";
import { rethrowLater } from "./rethrow.ts";
import {
  type DeviceReading,
  failedReading,
  reading,
  type SourceCounters,
  type SourceSample,
} from "./source.ts";

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
        try {
          done(frame);
        } catch (error) {
          // One caller's bug must not skip the others' callbacks.
          rethrowLater(error);
        }
      }
    } finally {
      this.handingOut = outer;
    }
  }
}

/** A frame's round as `DeviceReading`s (allocates: the promise-returning `sample()` path). */
export function frameReadings(frame: ReadingFrame): DeviceReading[] {
  const out: DeviceReading[] = [];
  for (let i = 0; i < frame.size; i++) {
    const problem = frame.problems[i] ?? null;
    out.push(
      problem === null
        ? reading(
            frame.energyJ[i] as number,
            frame.watts[i] as number,
            frame.utilisation[i] as number,
            null,
          )
        : failedReading(problem),
    );
  }
  return out;
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
    resolve?.({ atMs: frame.atMs, readings: frameReadings(frame) });
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

/**
 * What every reader with a `read` keeps: its frame, the callers waiting for the round, its
 * `sample()` and the round's time. `begin` joins or starts a round; `finish` fills the frame
 * (the reader's `fill`) and hands it out.
 */
export class SourceRounds {
  frame = new ReadingFrame(0);
  /** When the round's reads were issued (a reader that stamps its own time sets it before `finish`). */
  atMs = Number.NaN;
  private readonly waiters = new RoundWaiters();
  private readonly sampler: FrameSampler;
  /** Each slot's device id, for the problem of a `fill` that threw. */
  private ids: readonly string[] = [];

  constructor(
    read: (done: FrameCallback) => void,
    private readonly counters: SourceCounters,
    private readonly fill: (frame: ReadingFrame) => void,
  ) {
    this.sampler = new FrameSampler(read, counters);
  }

  /** Sizes the frame once the reader knows its devices (at `detect()`), by their ids. */
  resize(ids: readonly string[]): void {
    this.frame = new ReadingFrame(ids.length);
    this.ids = ids;
  }

  get running(): boolean {
    return this.waiters.running;
  }

  sample(): Promise<SourceSample> {
    return this.sampler.sample();
  }

  /** Adds `done` to the round; true when the caller must issue the reads (none was running). */
  begin(done: FrameCallback): boolean {
    if (!this.waiters.join(done, this.counters)) return false;
    this.atMs = monotonicMs();
    return true;
  }

  readonly finish = (): void => {
    const frame = this.frame;
    frame.atMs = this.atMs;
    try {
      this.fill(frame);
    } catch (error) {
      // A reader's bug (or a caller's curve) must not leave the round running: every later
      // caller would wait on it forever. Its devices report the error for this round.
      const why = `the reader failed while filling its readings: ${describeThrown(error)}`;
      for (let i = 0; i < frame.size; i++) {
        const id = this.ids[i] ?? `slot ${i}`;
        frame.fail(i, readingProblem("driver-error", id, `${id}: ${why}`));
      }
    } finally {
      this.waiters.finish(frame, this.counters);
    }
  };
}
