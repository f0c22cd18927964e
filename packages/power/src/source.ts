import type { PowerDevice, ReaderId } from "./device.ts";
import {
  emptyProblemCounters,
  type ProblemCounters,
  type ReaderSkip,
  type ReadingProblem,
} from "./failures.ts";
import type { FrameCallback } from "./frame.ts";

/**
 * One reading of one device. Every field is always present (NaN where absent) so that every
 * reader builds the same object shape: the meter's hot loop then sees one shape only.
 */
export interface DeviceReading {
  /** The device's cumulative energy counter in joules; NaN without a counter or on a failed read. */
  readonly energyJ: number;
  /** Power in watts as the hardware reports it; NaN when not read. */
  readonly watts: number;
  /** Busy fraction in [0, 1]; NaN when unknown. */
  readonly utilisation: number;
  /** Why this reading is unusable, or null. */
  readonly problem: ReadingProblem | null;
}

export function reading(
  energyJ: number,
  watts: number,
  utilisation: number,
  problem: ReadingProblem | null,
): DeviceReading {
  return { energyJ, watts, utilisation, problem };
}

export function failedReading(problem: ReadingProblem): DeviceReading {
  return { energyJ: Number.NaN, watts: Number.NaN, utilisation: Number.NaN, problem };
}

export interface SourceSample {
  /** Monotonic milliseconds (see `monotonicMs`) at which the reads were issued. */
  readonly atMs: number;
  /** One reading per device, in the order `detect()` listed them. */
  readonly readings: readonly DeviceReading[];
}

export interface Detection {
  readonly devices: readonly PowerDevice[];
  /** Why the reader, or some of its devices, is not used. */
  readonly skipped: readonly ReaderSkip[];
}

export interface SourceCounters {
  samples: number;
  readings: number;
  /** A `sample()` asked for while the previous one was still running gets that one's answer. */
  coalesced: number;
  problems: ProblemCounters;
}

export function emptySourceCounters(): SourceCounters {
  return { samples: 0, readings: 0, coalesced: 0, problems: emptyProblemCounters() };
}

/**
 * The port every power reader implements. `detect()` runs once, before any `sample()`.
 * `sample()` never rejects and never blocks the event loop or sleeps: it issues the reads and
 * resolves when they are back, with a problem per device that could not be read.
 */
export interface PowerSource {
  readonly reader: ReaderId;
  detect(): Promise<Detection>;
  sample(): Promise<SourceSample>;
  /**
   * The allocation-free form of `sample()`, which the meter uses when a source has it: reads
   * every device into the source's own `ReadingFrame` and calls `done(frame)`, synchronously
   * when every read could be done at once, else later. The frame is valid until the next round;
   * a `read` made while a round runs waits for that round. Never throws.
   */
  read?(done: FrameCallback): void;
  /**
   * Releases files, libraries and child processes; safe to call twice. A source whose release
   * is a driver call (NVML's `nvmlShutdown`) answers a promise that settles once it has
   * returned; it never rejects.
   */
  close(): void | Promise<void>;
  introspect(): SourceCounters;
}

/** Counts a finished sample's readings and problems into a source's counters. */
export function countSample(counters: SourceCounters, readings: readonly DeviceReading[]): void {
  counters.samples++;
  for (const r of readings) {
    counters.readings++;
    if (r.problem !== null) counters.problems[r.problem.kind]++;
  }
}
