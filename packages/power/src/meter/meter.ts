import { describeThrown } from "@wattprint/core";
import { monotonicMs } from "../clock.ts";
import { COMPONENTS, type Component, type PowerDevice } from "../device.ts";
import {
  emptyProblemCounters,
  type ProblemCounters,
  type ReaderSkip,
  readingProblem,
} from "../failures.ts";
import type { ReadingFrame } from "../frame.ts";
import type { GpuProcesses } from "../nvml/gpu-processes.ts";
import { NvmlSource } from "../nvml/nvml-source.ts";
import { rethrowLater } from "../rethrow.ts";
import {
  type DeviceReading,
  failedReading,
  type PowerSource,
  type SourceCounters,
  type SourceSample,
} from "../source.ts";
import { readThread } from "../sysfs/read-thread.ts";
import type { DeviceAccumulator, Mutable } from "./accumulator.ts";
import { fillReading, type MeterReading, type MeterTimes, newReading } from "./reading.ts";

export interface Picks {
  readonly source: PowerSource;
  /** Index into the source's readings, and the accumulator, of each selected device. */
  readonly picks: readonly { readonly index: number; readonly acc: DeviceAccumulator }[];
}

/** A source as the meter drives it: its picks and handlers made once. */
interface Wired extends Picks {
  /** Starts the source's round; one of the handlers below answers it. */
  readonly start: () => void;
}

export interface MeterCounters {
  samples: number;
  /** `sample()` and `sampleInto()` calls answered with the sample already running. */
  coalesced: number;
  /** Ticks of `start()` that found the previous sample still running. */
  overlappedTicks: number;
  /** Every problem of every device so far, by kind. */
  problems: ProblemCounters;
  readonly sources: Readonly<Record<string, SourceCounters>>;
}

/** Called by `sampleInto` with the reading it filled. */
export type ReadingCallback = (reading: MeterReading) => void;

/**
 * Composes the detected power sources into energy per device, per component and in total.
 * Open it with `openPowerMeter`; it starts metering at once. Dispose of it with `close()`,
 * `await using` or `using`: files, the NVML library (`nvmlShutdown`) and child processes are
 * released.
 *
 * Two ways to sample: `sample()` resolves to a new `MeterReading` the caller may keep, and
 * `sampleInto(reading, done)` rewrites a reading made once by `createReading()`, which with
 * the package's readers allocates nothing per sample (see the README's "Performance").
 */
export class PowerMeter implements AsyncDisposable, Disposable {
  private readonly accumulators: DeviceAccumulator[];
  private readonly wired: readonly Wired[];
  private running = false;
  private remaining = 0;
  private latestMs = Number.NEGATIVE_INFINITY;
  /** When the meter opened and when the latest round's readings were taken. */
  private readonly times: Mutable<MeterTimes>;
  /** The latest reading as a kept object: built on demand after a `sampleInto` round. */
  private last: MeterReading | null;
  /** The promise of the round in flight, made by the first `sample()` that joined it. */
  private inFlight: Promise<MeterReading> | null = null;
  /** `kick` is starting rounds: a sample asked for meanwhile is started by its loop. */
  private starting = false;
  private roundWanted = false;
  private resolveInFlight: ((reading: MeterReading) => void) | null = null;
  private waiters = new ReadingWaiters();
  private spareWaiters = new ReadingWaiters();
  private readonly idle: (() => void)[] = [];
  private readonly mine = new WeakSet<MeterReading>();
  private timer: NodeJS.Timeout | null = null;
  /** Set when `close()` begins: no round starts after it, so a caller sampling again from its callback cannot keep the meter open. */
  private closing = false;
  private released = false;
  /** Settles once every reader is released (see `close`). */
  private sourcesClosed: Promise<void> = Promise.resolve();
  private readonly counters = {
    samples: 0,
    coalesced: 0,
    overlappedTicks: 0,
    problems: emptyProblemCounters(),
  };

  private constructor(
    picks: readonly Picks[],
    readonly devices: readonly PowerDevice[],
    readonly skipped: readonly ReaderSkip[],
    startedAtMs: number,
  ) {
    this.wired = picks.map((p) => this.wire(p));
    this.accumulators = this.wired.flatMap((w) => w.picks.map((p) => p.acc));
    this.times = { startedAtMs, atMs: startedAtMs };
    this.last = newReading(this.accumulators, this.times);
  }

  /** @internal Used by `openPowerMeter` once the selection is valid. */
  static async create(
    wired: readonly Picks[],
    devices: readonly PowerDevice[],
    skipped: readonly ReaderSkip[],
    startedAtMs: number,
  ): Promise<PowerMeter> {
    const meter = new PowerMeter(wired, devices, skipped, startedAtMs);
    await meter.sample();
    return meter;
  }

  /**
   * The handlers of one source, made once: a source with `read` fills its own frame, which is
   * counted into the accumulators as it arrives; a source with only `sample()` is awaited.
   */
  private wire(p: Picks): Wired {
    const { source, picks } = p;
    const read = source.read;
    if (read !== undefined) {
      const onFrame = (frame: ReadingFrame): void => {
        // Indexed: a for-of allocates until optimised, and at 1 Hz this may never be.
        for (let p = 0; p < picks.length; p++) {
          const pick = picks[p] as Picks["picks"][number];
          if (pick.index < frame.size) pick.acc.addSlot(frame, pick.index);
          else pick.acc.add(this.missing(pick.acc.device, false, undefined), frame.atMs);
          this.countProblem(pick.acc);
        }
        // Compared here rather than passed to `arrive`: a double passed to a call is boxed.
        if (frame.atMs > this.latestMs) this.latestMs = frame.atMs;
        this.sourceDone();
      };
      return {
        ...p,
        start: () => {
          try {
            read.call(source, onFrame);
          } catch (error) {
            // A reader that throws (a bug): its devices get a driver-error, the round goes on.
            this.rejected(picks, error);
          }
        },
      };
    }
    const fulfilled = (sample: SourceSample): void => {
      for (const pick of picks) {
        pick.acc.add(
          sample.readings[pick.index] ?? this.missing(pick.acc.device, false, undefined),
          sample.atMs,
        );
        this.countProblem(pick.acc);
      }
      this.arrive(sample.atMs);
    };
    const rejected = (reason: unknown): void => this.rejected(picks, reason);
    return {
      ...p,
      start: () => {
        let pending: Promise<SourceSample>;
        try {
          pending = source.sample();
        } catch (error) {
          pending = Promise.reject(error);
        }
        pending.then(fulfilled, rejected);
      },
    };
  }

  private rejected(picks: Picks["picks"], reason: unknown): void {
    const atMs = monotonicMs();
    for (const pick of picks) {
      pick.acc.add(this.missing(pick.acc.device, true, reason), atMs);
      this.countProblem(pick.acc);
    }
    this.arrive(atMs);
  }

  private countProblem(acc: DeviceAccumulator): void {
    const problem = acc.problem;
    if (problem !== null) this.counters.problems[problem.kind]++;
  }

  /** The components that have at least one device, in the order cpu, dram, gpu, psys, machine. */
  get components(): readonly Component[] {
    return COMPONENTS.filter((c) => this.devices.some((d) => d.kind === c));
  }

  /** True once `close()` (or disposal) has begun: samples then answer the final figures without reading. */
  get closed(): boolean {
    return this.closing;
  }

  /** Reads every device once and returns the energy since the meter opened. Never rejects. */
  sample(): Promise<MeterReading> {
    if (this.closing && this.inFlight === null) return Promise.resolve(this.latest());
    if (this.inFlight !== null) {
      this.counters.coalesced++;
      return this.inFlight;
    }
    if (this.running) this.counters.coalesced++;
    const joining = this.running;
    this.inFlight = new Promise((resolve) => {
      this.resolveInFlight = resolve;
    });
    const promise = this.inFlight;
    if (!joining) this.kick();
    return promise;
  }

  /**
   * A reading whose objects `sampleInto` rewrites in place: make one (or a few) and reuse it
   * for every sample. It holds this meter's devices and components, as of the latest sample.
   */
  createReading(): MeterReading {
    const reading = newReading(this.accumulators, this.times);
    this.mine.add(reading);
    return reading;
  }

  /**
   * Reads every device once and rewrites `reading` (made by `createReading()`) with the energy
   * since the meter opened, then calls `done(reading)`. With the package's readers it allocates
   * nothing per sample; `done` runs before `sampleInto` returns when every device could be
   * read at once on this thread (RAPL, the model, simulated devices), later otherwise. The
   * reading changes on the next `sampleInto`: copy what must be kept. Never throws, except for
   * a reading this meter did not make (a programmer error).
   */
  sampleInto(reading: MeterReading, done: ReadingCallback): void {
    if (!this.mine.has(reading)) {
      throw new Error("sampleInto: pass a reading made by this meter's createReading()");
    }
    if (this.closing && !this.running) {
      // The final figures, on a later turn: answered at once, a callback that samples again
      // on a closed meter would recurse until the stack overflowed. The timer does not keep
      // the process alive.
      setTimeout(() => {
        fillReading(reading, this.accumulators, this.times);
        done(reading);
      }, 0).unref();
      return;
    }
    this.waiters.add(reading, done);
    if (this.running) this.counters.coalesced++;
    else this.kick();
  }

  /** The latest reading, without sampling. */
  latest(): MeterReading {
    this.last ??= newReading(this.accumulators, this.times);
    return this.last;
  }

  /**
   * Starts a round, or, when called while one is being started (a callback that samples again
   * from a round that completed at once), asks the loop below for the next. Readers that answer
   * on this thread complete a round before `startRound` returns: a `done` that sampled again
   * recursed, and a loop sampling as fast as it could overflowed the stack after about 645
   * samples.
   */
  private kick(): void {
    if (this.starting) {
      this.roundWanted = true;
      return;
    }
    this.starting = true;
    try {
      do {
        this.roundWanted = false;
        this.startRound();
      } while (this.roundWanted && !this.running);
    } finally {
      this.starting = false;
    }
  }

  /**
   * Starts every source's round and counts them back with handlers made once per source (not
   * `Promise.allSettled` and an async function, which allocate arrays, result objects and a
   * generator state per sample).
   */
  private startRound(): void {
    this.running = true;
    this.latestMs = Number.NEGATIVE_INFINITY;
    this.remaining = this.wired.length;
    if (this.remaining === 0) {
      this.complete();
      return;
    }
    // The read thread's round starts once every source has asked, here, rather than from a
    // promise reaction after this tick: one allocation less per sample.
    readThread.holdRound();
    try {
      for (let s = 0; s < this.wired.length; s++) (this.wired[s] as Wired).start();
    } finally {
      readThread.releaseRound();
    }
  }

  private arrive(atMs: number): void {
    if (atMs > this.latestMs) this.latestMs = atMs;
    this.sourceDone();
  }

  /** A source's readings are all counted; the round completes with the last source. */
  private sourceDone(): void {
    if (--this.remaining === 0) this.complete();
  }

  private complete(): void {
    this.counters.samples++;
    // The reading is as of its latest device reading, so intervals between readings match the energy in them.
    this.times.atMs = Number.isFinite(this.latestMs) ? this.latestMs : monotonicMs();
    if (this.counters.samples === 1) {
      // Metered time, `elapsedS` and `uncountedS`, starts at the first sample as documented,
      // not at `openPowerMeter` (detection can take seconds: NVML's init, powermetrics).
      this.times.startedAtMs = this.times.atMs;
      for (let a = 0; a < this.accumulators.length; a++) {
        (this.accumulators[a] as DeviceAccumulator).startAt(this.times.atMs);
      }
    }
    this.last = null;
    this.running = false;
    const resolve = this.resolveInFlight;
    this.resolveInFlight = null;
    this.inFlight = null;
    // Callbacks may sample again: the next round's waiters go to the other list (a new one only
    // when that list is itself still being handed out, two rounds up the stack).
    const waiters = this.waiters;
    this.waiters = this.spareWaiters.handingOut ? new ReadingWaiters() : this.spareWaiters;
    this.spareWaiters = waiters;
    // Resolved before any callback runs: a callback that throws must not strand a sample().
    if (resolve !== null) resolve(this.latest());
    waiters.finish(this.accumulators, this.times);
    while (this.idle.length > 0 && !this.running) (this.idle.pop() as () => void)();
  }

  private missing(device: PowerDevice, rejected: boolean, reason: unknown): DeviceReading {
    const why = rejected
      ? `the ${device.reader} reader failed: ${describeThrown(reason)}`
      : `the ${device.reader} reader returned no reading for it`;
    return failedReading(readingProblem("driver-error", device.id, `${device.name}: ${why}`));
  }

  /**
   * Samples every `intervalMs` until `stop()` or `close()`, handing each reading to `onReading`.
   * With `into` (a reading from `createReading()`) every tick rewrites that one reading, which
   * allocates nothing per sample; without it each tick gets a new reading. The timer does not
   * keep the process alive unless `keepAlive` is set.
   */
  start(
    intervalMs: number,
    onReading: (reading: MeterReading) => void = () => {},
    keepAlive = false,
    into?: MeterReading,
  ): void {
    // Past 2^31 − 1 ms Node's timers fire every millisecond instead (with a warning).
    if (!Number.isFinite(intervalMs) || intervalMs < 1 || intervalMs > MAX_TIMER_MS)
      throw new Error(
        `start: intervalMs must be from 1 to ${MAX_TIMER_MS} (about 24.8 days), got ${intervalMs}`,
      );
    if (into !== undefined && !this.mine.has(into)) {
      throw new Error("start: pass a reading made by this meter's createReading()");
    }
    this.stop();
    const fresh: ReadingCallback = () => onReading(this.latest());
    const target = into ?? this.createReading();
    const done = into === undefined ? fresh : onReading;
    this.timer = setInterval(() => {
      if (this.running) {
        this.counters.overlappedTicks++;
        return;
      }
      this.sampleInto(target, done);
    }, intervalMs);
    if (!keepAlive) this.timer.unref();
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  /** Compute processes per NVIDIA GPU (empty without NVML devices). */
  async gpuProcesses(): Promise<readonly GpuProcesses[]> {
    const lists = await Promise.all(
      this.wired.map((w) =>
        w.source instanceof NvmlSource ? w.source.processes() : Promise.resolve([]),
      ),
    );
    return lists.flat();
  }

  introspect(): MeterCounters {
    const sources: Record<string, SourceCounters> = {};
    for (const w of this.wired) sources[w.source.reader] = w.source.introspect();
    return { ...structuredClone(this.counters), sources };
  }

  /**
   * Waits for a running sample, then releases every reader, and settles once they are
   * released (NVML's `nvmlShutdown` included, which runs off the event loop).
   */
  async close(): Promise<void> {
    if (this.released) return this.sourcesClosed;
    this.closing = true;
    this.stop();
    if (this.running) {
      await new Promise<void>((resolve) => {
        this.idle.push(resolve);
        // A round the read thread gave up on ends at its deadline; a source that never answers
        // at all (an injected one) must not hold close() either. The timer keeps nothing alive.
        setTimeout(resolve, readThread.roundDeadlineMs + CLOSE_SLACK_MS).unref();
      });
    }
    this.closeNow();
    await this.sourcesClosed;
  }

  private closeNow(): void {
    if (this.released) return;
    this.closing = true;
    this.released = true;
    this.stop();
    this.sourcesClosed = closeSources(this.wired.map((w) => w.source));
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  /**
   * Synchronous disposal: a sample still running finishes against closed readers, and NVML
   * is shut down after it returns (the process stays alive until it is).
   */
  [Symbol.dispose](): void {
    this.closeNow();
  }
}

/** Closes every source; settles once those that release through a driver call have. */
export async function closeSources(sources: readonly PowerSource[]): Promise<void> {
  await Promise.all(sources.map((source) => source.close()));
}

/** A caller's callback whose throw reaches neither the meter nor the round's other callers. */
function callGuarded(done: ReadingCallback, reading: MeterReading): void {
  try {
    done(reading);
  } catch (error) {
    rethrowLater(error);
  }
}

/** How much longer than the read thread's deadline `close()` waits for a running sample. */
const CLOSE_SLACK_MS = 1000;

/** The longest delay Node's timers keep. */
const MAX_TIMER_MS = 2_147_483_647;

/** The `sampleInto` calls waiting for a round: slot arrays with a count, never shrunk. */
class ReadingWaiters {
  private readonly readings: (MeterReading | null)[] = [];
  private readonly callbacks: (ReadingCallback | null)[] = [];
  private count = 0;
  handingOut = false;

  add(reading: MeterReading, done: ReadingCallback): void {
    if (this.count === this.readings.length) {
      this.readings.push(reading);
      this.callbacks.push(done);
    } else {
      this.readings[this.count] = reading;
      this.callbacks[this.count] = done;
    }
    this.count++;
  }

  /** Fills each waiting reading and calls its callback (which may start the next round). */
  finish(accumulators: readonly DeviceAccumulator[], times: MeterTimes): void {
    const n = this.count;
    this.count = 0;
    this.handingOut = true;
    try {
      for (let i = 0; i < n; i++) {
        const reading = this.readings[i] as MeterReading;
        const done = this.callbacks[i] as ReadingCallback;
        this.readings[i] = null;
        this.callbacks[i] = null;
        fillReading(reading, accumulators, times);
        callGuarded(done, reading);
      }
    } finally {
      this.handingOut = false;
    }
  }
}
