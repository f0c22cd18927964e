import { cpus } from "node:os";
import { memoryPower } from "@wattprint/core";
import { monotonicMs } from "../clock.ts";
import type { PowerDevice } from "../device.ts";
import { readingProblem } from "../failures.ts";
import type { FrameCallback, ReadingFrame } from "../frame.ts";
import { SourceRounds } from "../rounds.ts";
import {
  type Detection,
  emptySourceCounters,
  type PowerSource,
  type SourceCounters,
  type SourceSample,
} from "../source.ts";
import { SysfsAttribute } from "../sysfs/attribute.ts";
import type { SysfsIo } from "../sysfs/io.ts";
import { type CpuPowerModel, modelCpu } from "./cpu-model.ts";
import { gatherFacts, type MachineFacts } from "./facts.ts";
import { type CpuTimes, parseProcStat } from "./proc-stat.ts";
import { procStatIo } from "./proc-stat-io.ts";

const BYTES_PER_GIB = 1024 ** 3;
/** Long enough for the aggregate line of /proc/stat on any machine. */
const PROC_STAT_BYTES = 512;

export interface ModelOptions {
  /** Which devices to model: the meter asks only for what no reader measures. */
  readonly cpu: boolean;
  readonly dram: boolean;
  /** Facts instead of asking the OS (tests, or a user who knows better). */
  readonly facts?: MachineFacts;
  /** A CPU name to look up instead of the one the OS reports. */
  readonly cpuName?: string;
  /** Where `/proc` is; tests point it at a temporary tree. */
  readonly procRoot?: string;
  readonly io?: SysfsIo;
  readonly platform?: NodeJS.Platform;
}

/** Reads machine-wide CPU time: `/proc/stat` on Linux (one positional read), `os.cpus()` elsewhere. */
interface LoadProbe {
  read(into: CpuTimes, done: (ok: boolean) => void): void;
  close(): void;
}

/**
 * `/proc/stat` is generated from the kernel's per-CPU counters without sleeping, so on the real
 * file layer it is read at once on the calling thread (`readNow`); an injected layer without
 * `readNow` reads through `read`.
 */
class ProcStatProbe implements LoadProbe {
  private into: CpuTimes | null = null;
  private done: ((ok: boolean) => void) | null = null;
  private readonly onRead = (): void => {
    const done = this.done;
    this.done = null;
    done?.(this.parse(this.into as CpuTimes));
  };
  constructor(private readonly file: SysfsAttribute) {}
  read(into: CpuTimes, done: (ok: boolean) => void): void {
    if (this.file.readNow()) {
      done(this.parse(into));
      return;
    }
    this.into = into;
    this.done = done;
    this.file.read(this.onRead);
  }
  private parse(into: CpuTimes): boolean {
    return (
      this.file.lastErrorCode === null && parseProcStat(this.file.rawBytes, this.file.length, into)
    );
  }
  close(): void {
    this.file.close();
  }
}

const osCpusProbe: LoadProbe = {
  read(into, done) {
    let busy = 0;
    let total = 0;
    for (const c of cpus()) {
      busy += c.times.user + c.times.nice + c.times.sys + c.times.irq;
      total += c.times.user + c.times.nice + c.times.sys + c.times.irq + c.times.idle;
    }
    into.busy = busy;
    into.total = total;
    queueMicrotask(() => done(total > 0));
  },
  close() {},
};

/**
 * The fallback when nothing measures the CPU or the memory: power from the hardware table and
 * the OS load, every device flagged `modelled` with its assumptions and sources. It keeps its
 * own energy counter (power × time over each interval, with the interval's mean load), so the
 * meter treats it like a hardware counter.
 */
export class ModelSource implements PowerSource {
  readonly reader = "model";
  private devices: PowerDevice[] = [];
  private cpuModel: CpuPowerModel | null = null;
  private dramWatts = 0;
  private probe: LoadProbe | null = null;
  private readonly times: CpuTimes = { busy: 0, total: 0 };
  private lastBusy = 0;
  private lastTotal = 0;
  private lastLoad = 0;
  private lastAtMs = 0;
  private cpuEnergyJ = 0;
  private dramEnergyJ = 0;
  private readonly counters = emptySourceCounters();
  private loadOk = false;
  private readonly rounds = new SourceRounds(
    (done) => this.read(done),
    this.counters,
    (frame) => this.advance(this.loadOk, frame.atMs, frame),
  );
  /** The model's reading is as of when the load was read, not when it was asked for. */
  private readonly onLoad = (ok: boolean): void => {
    this.loadOk = ok;
    this.rounds.atMs = monotonicMs();
    this.rounds.finish();
  };

  constructor(private readonly options: ModelOptions) {}

  async detect(): Promise<Detection> {
    const { options } = this;
    if (!options.cpu && !options.dram) return { devices: [], skipped: [] };
    const facts = options.facts ?? (await gatherFacts());
    if (options.cpu) {
      const brand = options.cpuName ?? facts.cpu.brand;
      this.cpuModel = modelCpu({ ...facts.cpu, brand });
      const m = this.cpuModel;
      this.probe = await this.openProbe();
      this.devices.push({
        id: "model:cpu",
        name: m.name,
        kind: "cpu",
        reader: "model",
        basis: "modelled",
        confidence: m.confidence,
        counter: { rangeJ: Number.POSITIVE_INFINITY },
        maxWatts: Math.max(1, m.ratedWatts * 1.5),
        notes: [
          ...m.notes,
          `load: machine-wide CPU time from ${this.probe instanceof ProcStatProbe ? `${options.procRoot ?? "/proc"}/stat` : "os.cpus()"}, averaged over each sample interval`,
          ...(options.cpuName === undefined
            ? facts.origin.slice(0, 1)
            : [`CPU name "${options.cpuName}" given by the user`]),
        ],
        provenance: m.provenance,
      });
    }
    if (options.dram) {
      // Tenths of a GiB: the model cannot use more precision, and the notes stay readable.
      const gib = Math.round((facts.memoryBytes / BYTES_PER_GIB) * 10) / 10;
      const power = memoryPower(gib, facts.dimms === undefined ? {} : { dimms: facts.dimms });
      // memoryPower refuses only negative or non-finite sizes; the OS never reports those.
      if (!power.ok) throw new Error(`memoryPower refused ${gib} GiB`);
      this.dramWatts = power.value.value;
      this.devices.push({
        id: "model:dram",
        name: `memory (${gib.toFixed(1)} GiB)`,
        kind: "dram",
        reader: "model",
        basis: "modelled",
        confidence: facts.dimms === undefined ? "low" : "high",
        counter: { rangeJ: Number.POSITIVE_INFINITY },
        maxWatts: Math.max(1, this.dramWatts * 1.5),
        notes: [
          // Two decimals: the model is no finer, and the note stays readable.
          `${power.value.provenance.method} = ${Number(this.dramWatts.toFixed(2))} W, constant: module power barely follows load`,
          // The OS reports bytes; DIMMs are sold in binary sizes named "GB" (a "32 GB" module
          // holds 32 GiB), so the model's GB are these GiB.
          `GB here are the GiB the OS reports (${gib.toFixed(1)} GiB = ${(facts.memoryBytes / 1e9).toFixed(1)} GB decimal), as module sizes are named`,
          facts.origin[1] ?? "",
          "a VM or container sees its host's memory size; the module count is then assumed",
        ].filter((note) => note !== ""),
        provenance: [power.value.provenance],
      });
    }
    this.rounds.resize(this.devices.map((d) => d.id));
    this.lastAtMs = monotonicMs();
    await this.baseline();
    return { devices: this.devices, skipped: [] };
  }

  private async openProbe(): Promise<LoadProbe> {
    const platform = this.options.platform ?? process.platform;
    if (platform !== "linux") return osCpusProbe;
    const io = this.options.io ?? procStatIo;
    const path = `${this.options.procRoot ?? "/proc"}/stat`;
    try {
      const fd = await io.open(path);
      return new ProcStatProbe(new SysfsAttribute(path, fd, io, PROC_STAT_BYTES));
    } catch {
      return osCpusProbe;
    }
  }

  /** The load of the first interval counts from detect, not from boot. */
  private baseline(): Promise<void> {
    const probe = this.probe;
    if (probe === null) return Promise.resolve();
    return new Promise((resolve) =>
      probe.read(this.times, (ok) => {
        if (ok) {
          this.lastBusy = this.times.busy;
          this.lastTotal = this.times.total;
        }
        resolve();
      }),
    );
  }

  sample(): Promise<SourceSample> {
    return this.rounds.sample();
  }

  read(done: FrameCallback): void {
    if (!this.rounds.begin(done)) return;
    const probe = this.probe;
    if (probe === null) this.onLoad(true);
    else probe.read(this.times, this.onLoad);
  }

  private advance(loadOk: boolean, atMs: number, frame: ReadingFrame): void {
    const dt = Math.max(0, atMs - this.lastAtMs) / 1000;
    let i = 0;
    const m = this.cpuModel;
    if (m !== null) {
      const dTotal = this.times.total - this.lastTotal;
      if (loadOk && dTotal >= 0) {
        if (dTotal > 0)
          this.lastLoad = Math.min(1, Math.max(0, (this.times.busy - this.lastBusy) / dTotal));
        this.lastBusy = this.times.busy;
        this.lastTotal = this.times.total;
        const watts = m.idleWatts + (m.ratedWatts - m.idleWatts) * this.lastLoad;
        this.cpuEnergyJ += watts * dt;
        frame.set(i++, this.cpuEnergyJ, watts, this.lastLoad);
      } else {
        // Unknown load: assume the last one rather than lose the interval, and say so.
        const watts = m.idleWatts + (m.ratedWatts - m.idleWatts) * this.lastLoad;
        this.cpuEnergyJ += watts * dt;
        frame.fail(
          i++,
          readingProblem(
            "malformed",
            "model:cpu",
            `model ${m.name}: the CPU load could not be read from ${this.options.procRoot ?? "/proc"}/stat; the previous load (${(this.lastLoad * 100).toFixed(0)} %) was assumed for this interval`,
          ),
        );
      }
    }
    if (this.options.dram) {
      this.dramEnergyJ += this.dramWatts * dt;
      frame.set(i, this.dramEnergyJ, this.dramWatts, Number.NaN);
    }
    this.lastAtMs = atMs;
  }

  close(): void {
    this.probe?.close();
    this.probe = null;
  }

  introspect(): SourceCounters {
    return structuredClone(this.counters);
  }
}
