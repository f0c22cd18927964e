import { type CounterStepState, newCounterStepState, stepCounter } from "../counter.ts";
import type { PowerDevice } from "../device.ts";
import { type ReadingProblem, readingProblem } from "../failures.ts";
import { ReadingFrame } from "../frame.ts";
import type { DeviceReading } from "../source.ts";

/**
 * Slack on the plausibility bound of a counter interval: counters update on their own clock
 * (RAPL about every millisecond, NVML every few tens of milliseconds), so a delta can cover a
 * little more time than the two timestamps say.
 */
const PLAUSIBILITY_FACTOR = 1.25;
const PLAUSIBILITY_SLACK_S = 0.1;

/**
 * The fix for an ambiguous interval: the longest interval the check above never flags, from
 * the same bound (`maxWatts × (elapsed × FACTOR + SLACK) < rangeJ`), rounded down.
 */
export function safeIntervalFix(rangeJ: number, maxWatts: number): string {
  const limitS = (rangeJ / maxWatts - PLAUSIBILITY_SLACK_S) / PLAUSIBILITY_FACTOR;
  if (!(limitS > 0.001)) {
    return `this counter (${rangeJ} J at up to ${maxWatts} W) wraps too fast to sample reliably; its energy stays a lower bound`;
  }
  // Strictly under the bound: the check flags an interval equal to it.
  return limitS >= 2
    ? `sample at least every ${Math.ceil(limitS) - 1} s`
    : `sample at least every ${Math.max(1, Math.ceil(limitS * 1000) - 1)} ms`;
}

/**
 * A power-only device's interval is flagged `long-bridge` when it is at least this many times
 * the caller's sampling interval (`MeterOptions.sampleIntervalS`) and at least
 * `LONG_BRIDGE_MIN_S`. From the caller's interval, not from the intervals seen: extra samples
 * (an epoch's end a second after a tick) make short ones, and a regular tick after them
 * looked like a pause.
 */
const LONG_BRIDGE_FACTOR = 5;
const LONG_BRIDGE_MIN_S = 10;

/** A reading's own object, rewritten in place by `PowerMeter.sampleInto`. */
export type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export interface DeviceEnergy {
  readonly device: PowerDevice;
  /** Energy since the meter's first sample, in joules. */
  readonly energyJ: number;
  /** Power now: the last interval's mean for a counter, else the last power reading; NaN until known. */
  readonly watts: number;
  /** Busy fraction from the last reading; NaN when the reader has none. */
  readonly utilisation: number;
  /** Good readings so far. */
  readonly samples: number;
  /** Readings skipped so far (problems of the reader or of the counter arithmetic). */
  readonly skipped: number;
  /** True once an interval with possible extra wraps was counted as its minimum. */
  readonly lowerBound: boolean;
  /** Seconds of the metered time whose energy is not in `energyJ` (before the first good reading, resets, implausible deltas). */
  readonly uncountedS: number;
  /**
   * Seconds since the device's last good reading (or the meter's start) while the readings
   * after it fail; 0 once a good reading covers the gap (a counter's delta) or bridges it
   * (power). Metering that ends here did not count this time: a device that never reads well
   * has all its time here, not a silent 0 J.
   */
  readonly pendingS: number;
  /** What went wrong with this device in the latest sample, or null. */
  readonly problem: ReadingProblem | null;
}

/**
 * Turns one device's readings into energy: counter deltas where the device keeps a counter
 * (with wrap-around), trapezoids of power × time otherwise. A failed reading loses nothing for
 * a counter (the next good delta covers the gap) and is bridged linearly for power.
 */
export class DeviceAccumulator {
  energyJ = 0;
  watts = Number.NaN;
  utilisation = Number.NaN;
  samples = 0;
  skipped = 0;
  lowerBound = false;
  uncountedS = 0;
  /** See `DeviceEnergy.pendingS`. */
  pendingS = 0;
  problem: ReadingProblem | null = null;
  private lastEnergyJ = Number.NaN;
  private lastWatts = Number.NaN;
  private lastAtMs = Number.NaN;
  private readonly step: CounterStepState = newCounterStepState();
  private readonly useCounter: boolean;
  /** The counter's wrap range (Infinity when it never wraps): a reading at or past it is not the counter's. */
  private readonly rangeJ: number;
  private readonly maxWatts: number;
  /** A power interval at least this long is flagged `long-bridge`; NaN: never. */
  private readonly longBridgeS: number;
  /** The one slot `add` copies a reading object into, made on first use. */
  private scratch: ReadingFrame | null = null;

  /**
   * @param startedAtMs where metered time begins; NaN until the meter's first sample sets it
   * (`startAt`), a reading before then counting no uncounted time.
   * @param sampleIntervalS how often the caller samples (`MeterOptions.sampleIntervalS`); NaN
   * when it did not say, and then no interval is flagged `long-bridge`.
   */
  constructor(
    readonly device: PowerDevice,
    private startedAtMs: number,
    private readonly sampleIntervalS = Number.NaN,
  ) {
    // Math.max keeps NaN: no interval compares at least NaN.
    this.longBridgeS = Math.max(LONG_BRIDGE_MIN_S, LONG_BRIDGE_FACTOR * sampleIntervalS);
    this.useCounter = device.counter !== null;
    this.rangeJ = device.counter?.rangeJ ?? Number.POSITIVE_INFINITY;
    this.maxWatts = device.maxWatts;
  }

  /** A reading object (a source without `read`): counted through a one-slot frame, as `addSlot`. */
  add(r: DeviceReading, atMs: number): void {
    if (this.scratch === null) this.scratch = new ReadingFrame(1);
    const scratch = this.scratch;
    scratch.atMs = atMs;
    if (r.problem === null) scratch.set(0, r.energyJ, r.watts, r.utilisation);
    else scratch.fail(0, r.problem);
    this.addSlot(scratch, 0);
  }

  /**
   * Counts slot `i` of a source's frame. The frame and the index are passed down, never its
   * numbers: V8 boxes a double passed to a call it did not inline in a new heap number, even
   * in optimised code, and `addCounter` is too large to inline.
   */
  addSlot(frame: ReadingFrame, i: number): void {
    const problem = frame.problems[i] ?? null;
    this.problem = problem;
    if (problem !== null) {
      this.skipped++;
      this.pendingS = this.sinceLastS(frame.atMs);
      return;
    }
    const atMs = frame.atMs;
    const energyJ = frame.energyJ[i] as number;
    const counted = this.useCounter && !Number.isNaN(energyJ);
    // Read only when used: at 1 Hz V8 runs this in its interpreter, where each double read
    // from the frame is a new heap number.
    const watts = counted ? Number.NaN : (frame.watts[i] as number);
    // The refusals of `refusal` below, as plain comparisons: a call would box each double.
    if (
      atMs - atMs !== 0 ||
      atMs < this.lastAtMs ||
      (counted
        ? energyJ - energyJ !== 0 || energyJ < 0 || energyJ >= this.rangeJ
        : watts < 0 || watts > this.maxWatts)
    ) {
      this.refuse(energyJ, watts, atMs);
      return;
    }
    this.utilisation = frame.utilisation[i] as number;
    if (counted) this.addCounter(frame, i);
    else if (!Number.isNaN(watts)) this.addPower(frame, i);
    else this.neither(atMs);
  }

  /**
   * Why a reading holds figures no device reports, or null: an infinite counter, a counter
   * outside its own range, a negative power or one above what the device can draw, a
   * timestamp that is not a number or goes back. Counted as they come, they made the energy
   * NaN (Infinity − Infinity), negative, megajoules from one glitched power reading (an
   * amdgpu `power1_average` of all ones), or counted time twice.
   */
  private refusal(energyJ: number, watts: number, atMs: number): string | null {
    if (!Number.isFinite(atMs) || atMs < this.lastAtMs) {
      return `the reading's timestamp ${atMs} ms is ${Number.isFinite(atMs) ? `before the previous one (${this.lastAtMs} ms)` : "not a number"}`;
    }
    if (this.useCounter && !Number.isNaN(energyJ)) {
      if (energyJ === Number.POSITIVE_INFINITY || energyJ === Number.NEGATIVE_INFINITY) {
        return `the energy counter reads ${energyJ} J`;
      }
      if (energyJ < 0 || energyJ >= this.rangeJ) {
        return `the energy counter reads ${energyJ} J, outside its range [0, ${this.rangeJ} J)`;
      }
      return null;
    }
    if (!Number.isNaN(watts) && !(watts >= 0 && watts < Number.POSITIVE_INFINITY)) {
      return `the power reads ${watts} W`;
    }
    if (watts > this.maxWatts) {
      return `the power reads ${watts} W, more than the ${this.maxWatts} W this device can draw (its limit with headroom)`;
    }
    return null;
  }

  /** Skips this reading as its problem; the next good reading covers the gap, as after a failed read. */
  private refuse(energyJ: number, watts: number, atMs: number): boolean {
    const why = this.refusal(energyJ, watts, atMs);
    if (why === null) return false;
    this.skipped++;
    this.pendingS = this.sinceLastS(atMs);
    this.problem = readingProblem(
      "out-of-range",
      this.device.id,
      `${this.device.reader} ${this.device.name}: ${why}; this reading is skipped and the next good one covers the gap`,
    );
    return true;
  }

  private neither(atMs: number): void {
    this.skipped++;
    this.pendingS = this.sinceLastS(atMs);
    this.problem = readingProblem(
      "malformed",
      this.device.id,
      `${this.device.reader} ${this.device.name}: the reading has neither energy nor power`,
    );
  }

  /** Slot `i` of `frame`, whose counter reading `addSlot` has checked. */
  private addCounter(frame: ReadingFrame, i: number): void {
    const energyJ = frame.energyJ[i] as number;
    const atMs = frame.atMs;
    this.samples++;
    this.pendingS = 0;
    // A counter device whose last good reading carried only power (or none) has no counter
    // value to subtract from: NaN − x made the energy NaN. This reading starts the counter
    // afresh, and the time since the last reading is not counted.
    this.lastWatts = Number.NaN;
    if (Number.isNaN(this.lastEnergyJ)) {
      this.uncountedS += this.sinceLastS(atMs);
      this.lastEnergyJ = energyJ;
      this.lastAtMs = atMs;
      return;
    }
    const elapsedS = Math.max(0, atMs - this.lastAtMs) / 1000;
    // The accumulator's own copies, not the device's: a meter over several readers sees device
    // objects of several shapes, and V8 boxed the double such a load gives, once a sample.
    const maxJ = this.maxWatts * (elapsedS * PLAUSIBILITY_FACTOR + PLAUSIBILITY_SLACK_S);
    const rangeJ = this.rangeJ;
    const step = this.step;
    step.previousJ = this.lastEnergyJ;
    step.nextJ = energyJ;
    step.rangeJ = rangeJ;
    step.maxJ = maxJ;
    stepCounter(step);
    this.energyJ += step.joules;
    switch (step.verdict) {
      case "ok":
      case "wrapped":
        this.watts = elapsedS > 0 ? step.joules / elapsedS : this.watts;
        break;
      case "ambiguous-wraps":
        this.lowerBound = true;
        this.watts = Number.NaN;
        this.problem = readingProblem(
          "ambiguous-wraps",
          this.device.id,
          `${this.device.reader} ${this.device.name}: ${elapsedS.toFixed(1)} s passed between two readings of a counter that wraps every ${rangeJ.toFixed(0)} J; at up to ${this.device.maxWatts} W it may have wrapped more than once, so ${step.joules.toFixed(3)} J (the least it can be) was counted and the device's energy is now a lower bound.`,
          safeIntervalFix(rangeJ, this.device.maxWatts),
        );
        break;
      case "implausible-delta":
      case "counter-reset":
        this.uncountedS += elapsedS;
        this.watts = Number.NaN;
        this.problem = readingProblem(
          step.verdict,
          this.device.id,
          step.verdict === "counter-reset"
            ? `${this.device.reader} ${this.device.name}: the energy counter went back from ${this.lastEnergyJ} J to ${energyJ} J (driver reloaded?); the ${elapsedS.toFixed(1)} s interval is not counted.`
            : `${this.device.reader} ${this.device.name}: the energy counter moved from ${this.lastEnergyJ} J to ${energyJ} J in ${elapsedS.toFixed(1)} s, more than ${this.device.maxWatts} W could draw; the interval is not counted.`,
        );
        break;
    }
    this.lastEnergyJ = energyJ;
    this.lastAtMs = atMs;
  }

  /** Slot `i` of `frame`, whose power reading `addSlot` has checked. */
  private addPower(frame: ReadingFrame, i: number): void {
    const watts = frame.watts[i] as number;
    const atMs = frame.atMs;
    this.samples++;
    this.pendingS = 0;
    this.watts = watts;
    // The same for power after a counter reading: no earlier power to draw the line from.
    this.lastEnergyJ = Number.NaN;
    if (Number.isNaN(this.lastWatts)) {
      this.uncountedS += this.sinceLastS(atMs);
    } else {
      const elapsedS = Math.max(0, atMs - this.lastAtMs) / 1000;
      this.energyJ += ((this.lastWatts + watts) / 2) * elapsedS;
      if (elapsedS >= this.longBridgeS) this.bridged(elapsedS);
    }
    this.lastWatts = watts;
    this.lastAtMs = atMs;
  }

  /**
   * Counted, but flagged: power was drawn as a line across a gap the sampling did not see
   * (SIGSTOP, a paused VM, a run of failed readings). A counter device needs no flag: its
   * next delta measures the gap.
   */
  private bridged(elapsedS: number): void {
    const intervalS = this.sampleIntervalS;
    this.problem = readingProblem(
      "long-bridge",
      this.device.id,
      `${this.device.reader} ${this.device.name}: ${elapsedS.toFixed(1)} s passed between two power readings sampled every ${intervalS >= 1 ? `${intervalS.toFixed(1)} s` : `${(intervalS * 1000).toFixed(0)} ms`} (was the process or the machine paused, or did readings fail?); the energy in between is a straight line from one to the other, an estimate rather than a measurement.`,
    );
  }

  /** Seconds from the last reading (or the meter's start) to `atMs`. */
  private sinceLastS(atMs: number): number {
    const from = Number.isNaN(this.lastAtMs) ? this.startedAtMs : this.lastAtMs;
    return Number.isNaN(from) ? 0 : Math.max(0, atMs - from) / 1000;
  }

  /** Sets where metered time begins (the meter's first sample), once. */
  startAt(ms: number): void {
    if (Number.isNaN(this.startedAtMs)) this.startedAtMs = ms;
  }

  snapshot(): DeviceEnergy {
    return {
      device: this.device,
      energyJ: this.energyJ,
      watts: this.watts,
      utilisation: this.utilisation,
      samples: this.samples,
      skipped: this.skipped,
      lowerBound: this.lowerBound,
      uncountedS: this.uncountedS,
      pendingS: this.pendingS,
      problem: this.problem,
    };
  }

  /** Rewrites `target` (a snapshot of this device) with the current figures, allocating nothing. */
  snapshotInto(target: DeviceEnergy): void {
    const t = target as Mutable<DeviceEnergy>;
    t.energyJ = this.energyJ;
    t.watts = this.watts;
    t.utilisation = this.utilisation;
    t.samples = this.samples;
    t.skipped = this.skipped;
    t.lowerBound = this.lowerBound;
    t.uncountedS = this.uncountedS;
    t.pendingS = this.pendingS;
    t.problem = this.problem;
  }
}
