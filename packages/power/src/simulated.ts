import { describeThrown } from "@wattprint/core";
import { monotonicMs } from "./clock.ts";
import type { PowerDevice } from "./device.ts";
import { readingProblem } from "./failures.ts";
import type { FrameCallback, ReadingFrame } from "./frame.ts";
import { SourceRounds } from "./rounds.ts";
import {
  type Detection,
  emptySourceCounters,
  type PowerSource,
  type SourceCounters,
  type SourceSample,
} from "./source.ts";

/** The time shared by the simulated readings of this turn (NaN: none taken yet). */
let turnStampMs = Number.NaN;
const endTurn = (): void => {
  turnStampMs = Number.NaN;
};

/**
 * The time of a simulated reading: the one the first simulated source read in this
 * synchronous turn took (the meter reads its sources in one loop). A simulated CPU and GPU are
 * two sources; each stamped its own time, so the CPU's energy (read first) ended microseconds
 * before the meter's reading, which is as of its latest source, and a constant 100 W CPU read
 * back as 99.6 to 100.7 W over 5 ms epochs while the GPU read back 100 W exactly. One time
 * for the turn makes every constant device read back its exact wattage. Not "within 1 ms":
 * a turn slowed past that (a collection, a loaded machine) gave the sources two times again.
 */
function sharedStamp(): number {
  if (!Number.isNaN(turnStampMs)) return turnStampMs;
  queueMicrotask(endTurn);
  turnStampMs = monotonicMs();
  return turnStampMs;
}

/** Utilisation in [0, 1], fixed or as a function of the seconds since `detect()`. */
export type UtilisationCurve = number | ((elapsedS: number) => number);

export interface SimulatedDeviceSpec {
  readonly name: string;
  /** Rated power; the device draws `watts × utilisation`. */
  readonly watts: number;
  /** Defaults to 1: the device draws its rated power. */
  readonly utilisation?: UtilisationCurve;
}

/**
 * Devices that draw what the caller says, for tests and demos. Named as carbontracker names
 * its simulated handlers (`sim_cpu`, `sim_gpu`); like carbontracker, power is the rated watts
 * × the utilisation. Reported as instantaneous power (no counter), so the meter integrates
 * them by trapezoids like any power-only device.
 */
export class SimulatedSource implements PowerSource {
  readonly reader: "sim_cpu" | "sim_gpu";
  private readonly devices: PowerDevice[];
  private startedAtMs = Number.NaN;
  private readonly counters = emptySourceCounters();
  private readonly rounds = new SourceRounds(
    (done) => this.read(done),
    this.counters,
    (frame) => {
      // Not below 0: a time shared with a source read earlier in the turn may precede detect().
      const elapsedS = Math.max(0, (frame.atMs - this.startedAtMs) / 1000);
      for (let i = 0; i < this.specs.length; i++)
        this.fill(frame, this.specs[i] as SimulatedDeviceSpec, i, elapsedS);
    },
  );

  constructor(
    kind: "cpu" | "gpu",
    private readonly specs: readonly SimulatedDeviceSpec[],
  ) {
    this.reader = kind === "cpu" ? "sim_cpu" : "sim_gpu";
    const reader = this.reader;
    this.devices = specs.map((spec, index) => {
      const fixed = typeof spec.utilisation === "number" ? spec.utilisation : undefined;
      const what = kind === "cpu" ? "CPU" : "GPU";
      const rated = kind === "cpu" ? "TDP" : "power consumption";
      const at =
        fixed === undefined && spec.utilisation !== undefined
          ? "utilisation following a curve"
          : `${((fixed ?? 1) * 100).toFixed(0)}% utilization`;
      return {
        id: `${reader}:${index}`,
        name: spec.name,
        kind,
        reader,
        basis: "simulated",
        confidence: "simulated",
        counter: null,
        maxWatts: Math.max(1, spec.watts),
        notes: [
          `Using simulated ${what}: ${spec.name} with ${rated}: ${spec.watts.toFixed(2)}W (at ${at})`,
        ],
        provenance: [],
      } satisfies PowerDevice;
    });
    this.rounds.resize(this.devices.map((d) => d.id));
  }

  async detect(): Promise<Detection> {
    this.startedAtMs = monotonicMs();
    return { devices: this.devices, skipped: [] };
  }

  sample(): Promise<SourceSample> {
    return this.rounds.sample();
  }

  /** Synchronous: `done` runs before `read` returns. */
  read(done: FrameCallback): void {
    if (!this.rounds.begin(done)) return;
    this.rounds.atMs = sharedStamp();
    this.rounds.finish();
  }

  private fill(
    frame: ReadingFrame,
    spec: SimulatedDeviceSpec,
    index: number,
    elapsedS: number,
  ): void {
    const id = `${this.reader}:${index}`;
    let u: number;
    try {
      const curve = spec.utilisation ?? 1;
      u = typeof curve === "number" ? curve : curve(elapsedS);
    } catch (error) {
      frame.fail(
        index,
        readingProblem(
          "malformed",
          id,
          `${this.reader} ${spec.name}: the utilisation curve threw: ${describeThrown(error)}`,
        ),
      );
      return;
    }
    if (!Number.isFinite(u) || u < 0 || u > 1) {
      frame.fail(
        index,
        readingProblem(
          "out-of-range",
          id,
          `${this.reader} ${spec.name}: utilisation ${describeThrown(u)} at ${elapsedS.toFixed(1)} s is outside [0, 1]`,
        ),
      );
      return;
    }
    frame.set(index, Number.NaN, spec.watts * u, u);
  }

  close(): void {}

  introspect(): SourceCounters {
    return structuredClone(this.counters);
  }
}
