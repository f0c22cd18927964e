import { type ReadingProblem, readingProblem } from "./failures.ts";

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

  /**
   * Fails slot `i` as `vanished` when its reader is closed (`closedReader` names it, e.g.
   * "NVML") or the device is gone (`gone`); true when it did, and the reader reads nothing.
   */
  failGone(
    i: number,
    closedReader: string | null,
    device: string,
    gone: ReadingProblem | null,
  ): boolean {
    if (closedReader !== null) {
      this.fail(i, readingProblem("vanished", device, `the ${closedReader} reader is closed`));
      return true;
    }
    if (gone === null) return false;
    this.fail(i, gone);
    return true;
  }

  fail(i: number, problem: ReadingProblem): void {
    this.energyJ[i] = Number.NaN;
    this.watts[i] = Number.NaN;
    this.utilisation[i] = Number.NaN;
    this.problems[i] = problem;
  }
}

/** Called with the source's frame when its round is back; the frame is rewritten by the next round. */
export type FrameCallback = (frame: ReadingFrame) => void;
