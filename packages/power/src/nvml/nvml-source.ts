import { access, stat } from "node:fs/promises";
import { cutText } from "@wattprint/core";
import { measuredDevice, type PowerDevice } from "../device.ts";
import { type ReaderSkip, type ReadingProblem, readerSkip, readingProblem } from "../failures.ts";
import type { FrameCallback, ReadingFrame } from "../frame.ts";
import { hungCallBegan } from "../hung-calls.ts";
import { SourceRounds } from "../rounds.ts";
import {
  type Detection,
  emptySourceCounters,
  type PowerSource,
  type SourceCounters,
  type SourceSample,
} from "../source.ts";
import { Countdown } from "../sysfs/attribute.ts";
import { NVML_CALL_TIMED_OUT, readThread } from "../sysfs/read-thread.ts";
import {
  bindNvml,
  type NvmlBindings,
  type NvmlCallback,
  PROCESS_INFO_BYTES,
  VALUE_NOT_AVAILABLE,
} from "./bindings.ts";
import { callWithin } from "./call-within.ts";
import {
  initSkipKind,
  NVML_ERROR_GPU_IS_LOST,
  NVML_ERROR_INSUFFICIENT_SIZE,
  NVML_ERROR_NOT_SUPPORTED,
  NVML_SUCCESS,
  nvmlCodeName,
  nvmlFix,
} from "./errors.ts";
import { parseVisibleDevices, type VisibleEntry } from "./visible-devices.ts";

/** Above any board's enforced limit × the headroom below, when the driver does not say. */
const DEFAULT_MAX_WATTS = 2000;
/** Power spikes run above the enforced limit for milliseconds. */
const LIMIT_HEADROOM = 2;
/** GPUs enumerated at most: more than one host holds (an HGX board has 8, NVL racks are many hosts). */
export const MAX_NVML_GPUS = 64;

/** Process records read per GPU at first; a busier GPU gets one retry at its own count, up to the cap. */
const PROCESSES_FIRST_TRY = 64;
export const MAX_PROCESSES = 1024;
const TEXT_BYTES = 96;
const TWO_POW_32 = 2 ** 32;
/**
 * How long `nvmlInit_v2` may take: a second or two with persistence mode off, far more only
 * when the driver does not answer at all.
 */
export const DEFAULT_NVML_INIT_TIMEOUT_MS = 10_000;
/** What a GPU's code holds while its call on koffi's thread pool is out (no NVML code is negative). */
const CALL_PENDING = -3;
/** What to do about a driver that does not answer. */
const HUNG_FIX =
  "check nvidia-smi and dmesg for Xid errors; the GPU may need a reset (nvidia-smi -r) or a reboot, then start this process again";

export interface NvmlOptions {
  /** Path or name of the NVML library; `libnvidia-ml.so.1` on Linux, `nvml.dll` on Windows. */
  readonly library?: string;
  /** Defaults to `process.env.CUDA_VISIBLE_DEVICES`; `null` reads every GPU whatever the environment says. */
  readonly cudaVisibleDevices?: string | null;
  /** Defaults to `process.env.CUDA_DEVICE_ORDER`; only used to warn about index order. */
  readonly cudaDeviceOrder?: string;
  /** Also read utilisation on every sample: one more NVML call per GPU. */
  readonly utilisation?: boolean;
  readonly platform?: NodeJS.Platform;
  /** How long `nvmlInit_v2` may take before NVML is skipped (default `DEFAULT_NVML_INIT_TIMEOUT_MS`). */
  readonly initTimeoutMs?: number;
  /**
   * Where the kernel's driver files are looked for (`<procRoot>/driver/nvidia`, `<devRoot>/dxg`);
   * tests point them at a temporary tree.
   */
  readonly procRoot?: string;
  readonly devRoot?: string;
}

export interface GpuProcess {
  readonly pid: number;
  /** GPU memory the process holds; null where the driver does not report it (MIG, some drivers). */
  readonly usedMemoryBytes: number | null;
}

export interface GpuProcesses {
  readonly device: string;
  readonly processes: readonly GpuProcess[];
  /** True when more processes ran than `MAX_PROCESSES`; the list is then empty. */
  readonly truncated: boolean;
  readonly problem: ReadingProblem | null;
}

/**
 * A device handle as the read thread's two Int32Array slots take it: the low and high 32 bits,
 * each as a signed 32-bit integer (the thread reads them back with `>>> 0`).
 */
export function handleHalves(handle: bigint): {
  readonly handleLo: number;
  readonly handleHi: number;
} {
  return {
    handleLo: Number(BigInt.asIntN(32, handle)),
    handleHi: Number(BigInt.asIntN(32, handle >> 32n)),
  };
}

interface Gpu {
  readonly device: PowerDevice;
  readonly handle: bigint;
  /**
   * The handle as two 32-bit halves, for the read thread (no BigInt per call), each as a signed
   * 32-bit integer (the read thread's Int32Array holds it so): V8 passes such a number to a call
   * as it is, where a half of 2^31 or more would be boxed in a new heap number on every sample.
   */
  readonly handleLo: number;
  readonly handleHi: number;
  readonly useCounter: boolean;
  readonly out: Uint32Array;
  readonly util: Uint32Array;
  code: number;
  utilCode: number;
  lost: ReadingProblem | null;
  readonly onValue: NvmlCallback;
  readonly onUtil: NvmlCallback;
}

interface Enumerated {
  readonly index: number;
  readonly handle: bigint;
  readonly uuid: string;
}

/**
 * NVIDIA GPUs through NVML (`libnvidia-ml.so.1`, loaded with koffi). The total-energy counter
 * (millijoules since the driver loaded, Volta and later) where the GPU has one, the power
 * reading otherwise. `CUDA_VISIBLE_DEVICES` is honoured as CUDA reads it; a MIG instance is
 * measured through its parent GPU, which is the only thing NVML can measure. `nvmlInit_v2`
 * and the calls on the sampling path run on the read thread (`sysfs/read-thread.ts`): an NVML
 * query can take a millisecond, or hang on a lost GPU, and the event loop must not wait for
 * it. `close()` ends with `nvmlShutdown` unless a call hung.
 */
export class NvmlSource implements PowerSource {
  readonly reader = "nvml";
  private bindings: NvmlBindings | null = null;
  private initialised = false;
  private closed = false;
  private gpus: Gpu[] = [];
  private readonly countdown = new Countdown();
  private readonly counters = emptySourceCounters();
  private readonly rounds = new SourceRounds(
    (done) => this.read(done),
    this.counters,
    (frame) => {
      const withUtil = this.options.utilisation === true;
      for (let i = 0; i < this.gpus.length; i++) this.fill(frame, i, this.gpus[i] as Gpu, withUtil);
    },
  );
  /** A close during a round shuts NVML down once the round is back. */
  private readonly finishRound = (): void => {
    this.rounds.finish();
    if (this.closed) this.shutdown();
  };
  private readonly library: string;
  /** The library's number on the read thread, or -1 while this reader does not use it. */
  private threadLibrary = -1;
  /** Whether this reader holds the read thread (from its `nvmlInit_v2` until shutdown). */
  private holdsThread = false;
  /**
   * Set once a call outlived the read thread's deadline: why NVML is no longer called. The
   * driver may hold its lock inside that call, so every later call (`nvmlShutdown` included)
   * could hang as well, this time perhaps on the event loop.
   */
  private hungWhy: string | null = null;

  constructor(private readonly options: NvmlOptions = {}) {
    const platform = options.platform ?? process.platform;
    this.library = options.library ?? (platform === "win32" ? "nvml.dll" : "libnvidia-ml.so.1");
  }

  async detect(): Promise<Detection> {
    const platform = this.options.platform ?? process.platform;
    if (platform !== "linux" && platform !== "win32") {
      return skipOnly(
        readerSkip(
          "nvml",
          "unsupported-platform",
          `NVIDIA NVML exists on Linux and Windows; this is ${platform}`,
        ),
      );
    }
    if (platform === "linux" && this.options.library === undefined) {
      const noDriver = await this.noKernelDriver();
      if (noDriver !== null) return skipOnly(noDriver);
    }
    const notLibrary = await this.notALibraryFile();
    if (notLibrary !== null) return skipOnly(notLibrary);
    const bound = await bindNvml(this.library);
    if (!bound.ok) return skipOnly(this.bindSkip(bound.stage, bound.message));
    const nvml = bound.bindings;
    this.bindings = nvml;
    const initCode = await this.initWithTimeout(nvml);
    if (initCode !== NVML_SUCCESS) this.letGoOfThread();
    if (initCode === "timed-out") {
      const ms = this.options.initTimeoutMs ?? DEFAULT_NVML_INIT_TIMEOUT_MS;
      return skipOnly(
        readerSkip(
          "nvml",
          "driver-error",
          `nvmlInit_v2 in ${this.library} did not return within ${ms} ms: the NVIDIA driver is not answering, and NVML is skipped. Fix: ${HUNG_FIX}`,
          { fix: HUNG_FIX },
        ),
      );
    }
    if (initCode !== NVML_SUCCESS) {
      const fix = nvmlFix(initCode);
      return skipOnly(
        readerSkip(
          "nvml",
          initSkipKind(initCode),
          `nvmlInit_v2 failed with ${nvmlCodeName(initCode)} "${safeErrorString(nvml, initCode)}"${fix === undefined ? "" : `: ${fix}`}`,
          fix === undefined ? {} : { fix },
        ),
      );
    }
    this.initialised = true;
    const skipped: ReaderSkip[] = [];
    const all = this.enumerate(skipped);
    const chosen = this.choose(all, skipped);
    for (const { gpu, notes } of chosen) {
      const outcome = this.probe(gpu, notes);
      if ("kind" in outcome) skipped.push(outcome);
      else this.gpus.push(outcome);
    }
    if (this.gpus.length === 0) {
      if (skipped.length === 0) {
        skipped.push(readerSkip("nvml", "not-present", "NVML is loaded but reports no GPU"));
      }
      this.shutdown();
    } else if (this.threadLibrary < 0 && !this.holdsThread) {
      // nvmlInit_v2 ran on koffi's thread (the read thread could not be used then): try again.
      readThread.acquire();
      this.holdsThread = true;
      this.threadLibrary = readThread.nvmlLibrary(this.library);
    }
    this.rounds.resize(this.gpus.map((g) => g.device.id));
    return { devices: this.gpus.map((g) => g.device), skipped };
  }

  /**
   * `nvmlInit_v2`, never on the event loop, given `initTimeoutMs`: a driver that never answers
   * must not keep `openPowerMeter` from returning. It runs on the read thread, which this
   * reader then holds for its samples: a call that outlives the deadline leaves the thread
   * behind and the library is never called again (`ReadThread.abandon`). Nothing can end a C
   * call from outside; a thread left inside one no longer keeps the event loop alive, and
   * `hung-calls.ts` ends the process past it at exit.
   */
  private async initWithTimeout(nvml: NvmlBindings): Promise<number | "timed-out"> {
    const ms = this.options.initTimeoutMs ?? DEFAULT_NVML_INIT_TIMEOUT_MS;
    if (readThread.usable) {
      readThread.acquire();
      this.holdsThread = true;
      const lib = readThread.nvmlLibrary(this.library);
      if (lib >= 0) {
        this.threadLibrary = lib;
        const code = await new Promise<number>((resolve) =>
          readThread.call(
            lib,
            "init",
            0,
            0,
            new Uint32Array(2),
            (_error, result) => resolve(result),
            ms,
          ),
        );
        if (code === NVML_CALL_TIMED_OUT) return "timed-out";
        // -1: the thread could not load the library or died; koffi's thread pool is left.
        if (code !== -1) return code;
      }
      this.letGoOfThread();
    }
    // On koffi's thread pool: until a hung init returns, its pending call keeps the event loop
    // alive, so a program that must end then calls `process.exit()` (see `hung-calls.ts`).
    // An init that succeeds after the timeout is shut down again, keeping NVML's count balanced.
    return callWithin(
      ms,
      (done) => nvml.init.async(done),
      (late) => {
        if (late === NVML_SUCCESS) nvml.shutdown();
      },
    );
  }

  private letGoOfThread(): void {
    this.threadLibrary = -1;
    if (!this.holdsThread) return;
    this.holdsThread = false;
    readThread.release();
  }

  /**
   * NVML answers only through the NVIDIA kernel driver, which shows itself as
   * /proc/driver/nvidia (on a host, and in a container given GPUs) or, under WSL 2, as
   * /dev/dxg. Without either, nvmlInit could only fail, so koffi and the library are not
   * loaded at all: loading them cost about 20-50 ms of CPU at every `wattprint track` on a
   * machine without a GPU (issue 13). A library named by the user is always tried.
   */
  private async noKernelDriver(): Promise<ReaderSkip | null> {
    const proc = `${this.options.procRoot ?? "/proc"}/driver/nvidia`;
    const dxg = `${this.options.devRoot ?? "/dev"}/dxg`;
    const present = await Promise.all(
      [proc, dxg].map((path) =>
        access(path).then(
          () => true,
          () => false,
        ),
      ),
    );
    if (present.includes(true)) return null;
    const fix = `install the NVIDIA driver; in a container use the NVIDIA Container Toolkit (docker run --gpus all); or point WATTPRINT_NVML_LIBRARY at ${this.library} to try it anyway`;
    return readerSkip(
      "nvml",
      "no-driver",
      `no NVIDIA kernel driver is loaded (neither ${proc} nor ${dxg} exists), so ${this.library} was not loaded. Fix: ${fix}`,
      { fix },
    );
  }

  /**
   * A library path the user named that is a FIFO, a device or a directory: `dlopen` (koffi's
   * load, synchronous on the main thread) would block on a FIFO until a writer came, freezing
   * the event loop, perhaps forever. A bare name (`libnvidia-ml.so.1`) is left to the loader.
   */
  private async notALibraryFile(): Promise<ReaderSkip | null> {
    if (this.options.library === undefined || !/[/\\]/.test(this.library)) return null;
    const stats = await stat(this.library).catch(() => null);
    if (stats === null || stats.isFile()) return null; // a missing file: the loader says so
    const what = stats.isDirectory()
      ? "a directory"
      : stats.isFIFO()
        ? "a FIFO"
        : "not a regular file";
    const fix = `${this.library} was named as the NVML library (WATTPRINT_NVML_LIBRARY or the library option) and is ${what}: point it at the driver's libnvidia-ml.so.1, or unset it`;
    return readerSkip("nvml", "no-driver", `cannot load ${this.library}: ${what}. Fix: ${fix}`, {
      fix,
    });
  }

  private bindSkip(stage: "koffi" | "library" | "symbol", message: string): ReaderSkip {
    if (stage === "koffi") {
      return readerSkip(
        "nvml",
        "unsupported-platform",
        `koffi, which calls NVML, has no binary for ${process.platform}-${process.arch}: ${message}`,
      );
    }
    if (stage === "library") {
      // A library the user named (WATTPRINT_NVML_LIBRARY, the `library` option) is theirs to
      // fix; the driver does not ship a file of their choosing.
      const fix =
        this.options.library === undefined
          ? `install the NVIDIA driver (it ships ${this.library}); in a container use the NVIDIA Container Toolkit (docker run --gpus all); or point WATTPRINT_NVML_LIBRARY at the library`
          : `${this.library} was named as the NVML library (WATTPRINT_NVML_LIBRARY or the library option) and is not one: point it at the driver's libnvidia-ml.so.1, or unset it`;
      return readerSkip(
        "nvml",
        "no-driver",
        `cannot load ${this.library}: ${firstLine(message)}. Fix: ${fix}`,
        { fix },
      );
    }
    return readerSkip(
      "nvml",
      "driver-error",
      `${this.library} lacks a function NVML has had since driver R410 (${firstLine(message)}): update the NVIDIA driver`,
      { fix: "update the NVIDIA driver" },
    );
  }

  private enumerate(skipped: ReaderSkip[]): Enumerated[] {
    const nvml = this.bindings as NvmlBindings;
    const count = new Uint32Array(1);
    const code = nvml.deviceCount(count);
    if (code !== NVML_SUCCESS) {
      skipped.push(
        readerSkip(
          "nvml",
          "driver-error",
          `nvmlDeviceGetCount_v2 failed with ${nvmlCodeName(code)}`,
        ),
      );
      return [];
    }
    const reported = count[0] as number;
    if (reported > MAX_NVML_GPUS) {
      // A driver that miscounts (or a library that is not the driver) must not drive a loop,
      // and a skip per missing GPU, billions long.
      skipped.push(
        readerSkip(
          "nvml",
          "malformed",
          `nvmlDeviceGetCount_v2 reports ${reported} GPUs, more than any machine holds; the first ${MAX_NVML_GPUS} are read`,
        ),
      );
    }
    const out: Enumerated[] = [];
    const handle = new BigUint64Array(1);
    for (let index = 0; index < Math.min(reported, MAX_NVML_GPUS); index++) {
      const got = nvml.handleByIndex(index, handle);
      if (got !== NVML_SUCCESS) {
        const fix = nvmlFix(got);
        skipped.push(
          readerSkip(
            "nvml",
            got === NVML_ERROR_GPU_IS_LOST ? "not-present" : "driver-error",
            `GPU ${index}: nvmlDeviceGetHandleByIndex_v2 failed with ${nvmlCodeName(got)}${fix === undefined ? "" : `: ${fix}`}`,
            { device: `nvml:${index}` },
          ),
        );
        continue;
      }
      const h = handle[0] as bigint;
      out.push({ index, handle: h, uuid: readText(nvml.uuid, h) ?? `index-${index}` });
    }
    return out;
  }

  /** Applies CUDA_VISIBLE_DEVICES; returns each chosen GPU once with its MIG notes. */
  private choose(
    all: readonly Enumerated[],
    skipped: ReaderSkip[],
  ): { gpu: Enumerated; notes: string[] }[] {
    const raw =
      this.options.cudaVisibleDevices === undefined
        ? process.env.CUDA_VISIBLE_DEVICES
        : this.options.cudaVisibleDevices;
    const visible = parseVisibleDevices(raw ?? undefined);
    if (visible.all) {
      return all.map((gpu) => ({ gpu, notes: this.migModeNote(gpu) }));
    }
    const chosen = new Map<string, { gpu: Enumerated; notes: string[] }>();
    let stoppedAt: string[] = [...visible.invalid];
    let usedIndex = false;
    for (let i = 0; i < visible.entries.length; i++) {
      const entry = visible.entries[i] as VisibleEntry;
      const resolved = this.resolve(entry, all);
      if (resolved === undefined) {
        stoppedAt = visible.entries
          .slice(i)
          .map((e) => e.text)
          .concat(visible.invalid);
        break;
      }
      usedIndex ||= entry.kind === "index";
      const existing = chosen.get(resolved.gpu.uuid);
      if (existing === undefined)
        chosen.set(resolved.gpu.uuid, { gpu: resolved.gpu, notes: [...resolved.notes] });
      else existing.notes.push(...resolved.notes);
    }
    if (stoppedAt.length > 0) {
      skipped.push(
        readerSkip(
          "nvml",
          "malformed",
          `CUDA_VISIBLE_DEVICES="${clip(raw ?? "")}": "${clip(stoppedAt[0] ?? "")}" is not a GPU of this machine (an index below ${all.length}, or a GPU-/MIG- UUID NVML knows); CUDA stops at it and ignores ${stoppedAt.length > 1 ? `it and ${stoppedAt.length - 1} entries after it (${clip(stoppedAt.slice(1, 8).join(", "))}${stoppedAt.length > 8 ? ", …" : ""})` : "it"}, and so does this reader`,
          {
            device: clip(stoppedAt[0] ?? ""),
            fix: "list the GPUs with nvidia-smi -L and correct CUDA_VISIBLE_DEVICES",
          },
        ),
      );
    }
    if (chosen.size === 0 && stoppedAt.length === 0) {
      skipped.push(
        readerSkip(
          "nvml",
          "not-present",
          `CUDA_VISIBLE_DEVICES="${clip(raw ?? "")}" hides every GPU from this process`,
        ),
      );
    }
    const order = this.options.cudaDeviceOrder ?? process.env.CUDA_DEVICE_ORDER;
    if (usedIndex && all.length > 1 && order !== "PCI_BUS_ID") {
      for (const entry of chosen.values()) {
        entry.notes.push(
          "CUDA_VISIBLE_DEVICES indices are read as NVML indices (PCI bus order); CUDA numbers GPUs fastest first unless CUDA_DEVICE_ORDER=PCI_BUS_ID: set it so both agree",
        );
      }
    }
    return [...chosen.values()];
  }

  private resolve(
    entry: VisibleEntry,
    all: readonly Enumerated[],
  ): { gpu: Enumerated; notes: string[] } | undefined {
    const nvml = this.bindings as NvmlBindings;
    switch (entry.kind) {
      case "index": {
        const gpu = all.find((g) => g.index === entry.index);
        return gpu === undefined ? undefined : { gpu, notes: this.migModeNote(gpu) };
      }
      case "gpu-uuid": {
        const matches = all.filter((g) =>
          g.uuid.toLowerCase().startsWith(entry.prefix.toLowerCase()),
        );
        return matches.length === 1
          ? { gpu: matches[0] as Enumerated, notes: this.migModeNote(matches[0] as Enumerated) }
          : undefined;
      }
      case "mig-legacy": {
        const gpu = all.find((g) => g.uuid.toLowerCase() === entry.gpuUuid.toLowerCase());
        return gpu === undefined ? undefined : { gpu, notes: [migNote(entry.text, gpu.uuid)] };
      }
      case "mig-uuid": {
        if (nvml.parentOfMig === undefined) return undefined;
        const handle = new BigUint64Array(1);
        if (nvml.handleByUuid(entry.uuid, handle) !== NVML_SUCCESS) return undefined;
        const parent = new BigUint64Array(1);
        if (nvml.parentOfMig(handle[0] as bigint, parent) !== NVML_SUCCESS) return undefined;
        const parentUuid = readText(nvml.uuid, parent[0] as bigint);
        const gpu = all.find((g) => g.uuid === parentUuid);
        return gpu === undefined ? undefined : { gpu, notes: [migNote(entry.uuid, gpu.uuid)] };
      }
    }
  }

  private migModeNote(gpu: Enumerated): string[] {
    const nvml = this.bindings as NvmlBindings;
    if (nvml.migMode === undefined) return [];
    const current = new Uint32Array(1);
    const pending = new Uint32Array(1);
    if (nvml.migMode(gpu.handle, current, pending) !== NVML_SUCCESS || current[0] !== 1) return [];
    return ["MIG mode is on: the energy is the whole GPU's, shared by all its instances"];
  }

  private probe(gpu: Enumerated, notes: string[]): Gpu | ReaderSkip {
    const nvml = this.bindings as NvmlBindings;
    const id = `nvml:${gpu.uuid}`;
    const name = readText(nvml.name, gpu.handle) ?? `NVIDIA GPU ${gpu.index}`;
    const out = new Uint32Array(2);
    let useCounter = true;
    let code = nvml.totalEnergy(gpu.handle, out);
    if (code === NVML_ERROR_NOT_SUPPORTED) {
      useCounter = false;
      code = nvml.powerUsage(gpu.handle, out);
    }
    if (code !== NVML_SUCCESS) {
      const fix = nvmlFix(code);
      return readerSkip(
        "nvml",
        code === NVML_ERROR_NOT_SUPPORTED ? "not-supported" : "driver-error",
        code === NVML_ERROR_NOT_SUPPORTED
          ? `${name} (${gpu.uuid}) reports neither a total-energy counter nor power usage (${nvmlCodeName(code)}); it is not measured`
          : `${name} (${gpu.uuid}): reading energy failed with ${nvmlCodeName(code)}${fix === undefined ? "" : `: ${fix}`}`,
        fix === undefined ? { device: id } : { device: id, fix },
      );
    }
    const limit = new Uint32Array(1);
    const limitWatts =
      nvml.enforcedPowerLimit(gpu.handle, limit) === NVML_SUCCESS
        ? (limit[0] as number) / 1000
        : Number.NaN;
    const allNotes = [
      useCounter
        ? "energy from nvmlDeviceGetTotalEnergyConsumption (millijoules since the driver loaded)"
        : "no energy counter on this GPU (before Volta): power from nvmlDeviceGetPowerUsage, integrated by the meter",
      Number.isNaN(limitWatts)
        ? "enforced power limit not reported"
        : `enforced power limit ${limitWatts} W`,
      ...notes,
    ];
    const source: Gpu = {
      device: measuredDevice({
        id,
        name,
        kind: "gpu",
        reader: "nvml",
        counter: useCounter ? { rangeJ: Number.POSITIVE_INFINITY } : null,
        maxWatts:
          Number.isNaN(limitWatts) || limitWatts <= 0
            ? DEFAULT_MAX_WATTS
            : limitWatts * LIMIT_HEADROOM,
        notes: allNotes,
      }),
      handle: gpu.handle,
      ...handleHalves(gpu.handle),
      useCounter,
      out,
      util: new Uint32Array(2),
      code: NVML_SUCCESS,
      utilCode: NVML_ERROR_NOT_SUPPORTED,
      lost: null,
      onValue: (_error, result) => {
        source.code = typeof result === "number" ? result : -1;
        this.countdown.arrive();
      },
      onUtil: (_error, result) => {
        source.utilCode = typeof result === "number" ? result : -1;
        this.countdown.arrive();
      },
    };
    return source;
  }

  sample(): Promise<SourceSample> {
    return this.rounds.sample();
  }

  /** Reads every GPU on the read thread (an NVML query can take milliseconds, or hang on a lost GPU). */
  read(done: FrameCallback): void {
    if (!this.rounds.begin(done)) return;
    const nvml = this.bindings;
    const withUtil = this.options.utilisation === true;
    let calls = 0;
    if (!this.closed && nvml !== null && this.hungWhy === null) {
      // Indexed loops on the sampling path (see RaplSource.read).
      for (let g = 0; g < this.gpus.length; g++)
        if (this.gpus[g]?.lost === null) calls += withUtil ? 2 : 1;
    }
    if (calls === 0 || nvml === null) {
      this.finishRound();
      return;
    }
    // On the read thread, with the sysfs reads of the same sample: one hand-off for all.
    const lib = readThread.usable ? this.threadLibrary : -1;
    if (lib < 0) {
      this.readOnKoffiThreads(nvml, withUtil, calls);
      return;
    }
    this.countdown.start(calls, this.finishRound);
    for (let g = 0; g < this.gpus.length; g++) {
      const gpu = this.gpus[g] as Gpu;
      if (gpu.lost !== null) continue;
      const fn = gpu.useCounter ? "totalEnergy" : "powerUsage";
      readThread.call(lib, fn, gpu.handleLo, gpu.handleHi, gpu.out, gpu.onValue);
      if (withUtil) {
        readThread.call(lib, "utilisation", gpu.handleLo, gpu.handleHi, gpu.util, gpu.onUtil);
      }
    }
  }

  /**
   * Without the read thread (it could not start, or died): each call on koffi's thread pool,
   * one hand-off per call, held to the thread's deadline all the same. A call still out then
   * fails the round as the thread's deadline would, and NVML is not called again.
   */
  private readOnKoffiThreads(nvml: NvmlBindings, withUtil: boolean, calls: number): void {
    const timer = setTimeout(this.koffiRoundTimedOut, readThread.roundDeadlineMs);
    this.countdown.start(calls, () => {
      clearTimeout(timer);
      this.finishRound();
    });
    for (let g = 0; g < this.gpus.length; g++) {
      const gpu = this.gpus[g] as Gpu;
      if (gpu.lost !== null) continue;
      gpu.code = CALL_PENDING;
      nvml[gpu.useCounter ? "totalEnergy" : "powerUsage"].async(gpu.handle, gpu.out, gpu.onValue);
      if (!withUtil) continue;
      gpu.utilCode = CALL_PENDING;
      nvml.utilisation.async(gpu.handle, gpu.util, gpu.onUtil);
    }
  }

  private readonly koffiRoundTimedOut = (): void => {
    for (const gpu of this.gpus) {
      if (this.hungWhy !== null) break;
      const call =
        gpu.code === CALL_PENDING
          ? gpu.useCounter
            ? "nvmlDeviceGetTotalEnergyConsumption"
            : "nvmlDeviceGetPowerUsage"
          : gpu.utilCode === CALL_PENDING
            ? "nvmlDeviceGetUtilizationRates"
            : null;
      if (call !== null) this.hungWhy = hungText(call, gpu.device, readThread.roundDeadlineMs);
    }
    // The calls still out count as hung until they are all back.
    this.countdown.abandon(hungCallBegan());
    this.finishRound();
  };

  private fill(frame: ReadingFrame, i: number, gpu: Gpu, withUtil: boolean): void {
    const id = gpu.device.id;
    if (frame.failGone(i, this.closed ? "NVML" : null, id, gpu.lost)) return;
    if (gpu.code === NVML_CALL_TIMED_OUT && this.hungWhy === null) {
      const call = gpu.useCounter
        ? "nvmlDeviceGetTotalEnergyConsumption"
        : "nvmlDeviceGetPowerUsage";
      this.hungWhy = hungText(call, gpu.device, readThread.roundDeadlineMs);
    }
    if (this.hungWhy !== null) {
      frame.fail(
        i,
        readingProblem(
          "driver-error",
          id,
          `NVML ${gpu.device.name} (${id}): ${this.hungWhy}. Fix: ${HUNG_FIX}`,
          HUNG_FIX,
        ),
      );
      return;
    }
    if (gpu.code !== NVML_SUCCESS) {
      const fix = nvmlFix(gpu.code);
      const call = gpu.useCounter
        ? "nvmlDeviceGetTotalEnergyConsumption"
        : "nvmlDeviceGetPowerUsage";
      const message = `NVML ${gpu.device.name} (${id}): ${call} returned ${nvmlCodeName(gpu.code)}${fix === undefined ? "" : `: ${fix}`}`;
      if (gpu.code === NVML_ERROR_GPU_IS_LOST) {
        gpu.lost = readingProblem(
          "vanished",
          id,
          `${message}. Its energy up to the last good sample is kept.`,
          fix,
        );
        frame.fail(i, gpu.lost);
        return;
      }
      frame.fail(i, readingProblem("driver-error", id, message, fix));
      return;
    }
    const utilisation =
      withUtil && gpu.utilCode === NVML_SUCCESS ? (gpu.util[0] as number) / 100 : Number.NaN;
    if (gpu.useCounter) {
      const mj = (gpu.out[0] as number) + (gpu.out[1] as number) * TWO_POW_32;
      frame.set(i, mj / 1000, Number.NaN, utilisation);
    } else frame.set(i, Number.NaN, (gpu.out[0] as number) / 1000, utilisation);
  }

  /** Compute processes on each GPU and the GPU memory they hold (NVML has no per-process energy). */
  async processes(): Promise<readonly GpuProcesses[]> {
    const nvml = this.bindings;
    const call = nvml?.computeProcesses;
    return Promise.all(
      this.gpus.map(async (gpu): Promise<GpuProcesses> => {
        const id = gpu.device.id;
        if (call === undefined || this.closed || this.hungWhy !== null) {
          return {
            device: id,
            processes: [],
            truncated: false,
            problem: readingProblem(
              "driver-error",
              id,
              this.closed
                ? "the NVML reader is closed"
                : this.hungWhy !== null
                  ? `NVML ${gpu.device.name}: ${this.hungWhy}`
                  : "this driver has no nvmlDeviceGetComputeRunningProcesses: update the NVIDIA driver",
              this.hungWhy === null ? undefined : HUNG_FIX,
            ),
          };
        }
        let capacity = PROCESSES_FIRST_TRY;
        for (let attempt = 0; attempt < 2; attempt++) {
          const count = new Uint32Array([capacity]);
          const records = Buffer.alloc(capacity * PROCESS_INFO_BYTES);
          const code = await callWithin(readThread.roundDeadlineMs, (done) =>
            call.async(gpu.handle, count, records, done),
          );
          if (code === "timed-out") {
            const ms = readThread.roundDeadlineMs;
            this.hungWhy ??= hungText("listing processes", gpu.device, ms);
            return {
              device: id,
              processes: [],
              truncated: false,
              problem: readingProblem(
                "driver-error",
                id,
                `NVML ${gpu.device.name}: ${this.hungWhy}`,
                HUNG_FIX,
              ),
            };
          }
          if (code === NVML_SUCCESS) {
            return {
              device: id,
              processes: decodeProcesses(records, count[0] as number),
              truncated: false,
              problem: null,
            };
          }
          if (code === NVML_ERROR_INSUFFICIENT_SIZE && (count[0] as number) > capacity) {
            if ((count[0] as number) > MAX_PROCESSES) {
              return { device: id, processes: [], truncated: true, problem: null };
            }
            capacity = count[0] as number;
            continue;
          }
          return {
            device: id,
            processes: [],
            truncated: false,
            problem: readingProblem(
              "driver-error",
              id,
              `NVML ${gpu.device.name}: listing processes returned ${nvmlCodeName(code)}`,
              nvmlFix(code),
            ),
          };
        }
        return { device: id, processes: [], truncated: true, problem: null };
      }),
    );
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    // A sample in flight still has calls on koffi's threads: shut down when it is back.
    if (!this.rounds.running) this.shutdown();
  }

  private shutdown(): void {
    if (!this.initialised || this.bindings === null) return;
    this.initialised = false;
    // Not after a hung call: nvmlShutdown would wait on the driver on the event loop, for good.
    if (this.hungWhy === null && !readThread.isHung(this.library)) this.bindings.shutdown();
    this.letGoOfThread();
  }

  introspect(): SourceCounters {
    return structuredClone(this.counters);
  }
}

function skipOnly(skip: ReaderSkip): Detection {
  return { devices: [], skipped: [skip] };
}

function migNote(instance: string, parentUuid: string): string {
  return `MIG instance ${instance} runs on this GPU (${parentUuid}); NVML measures only whole GPUs, so the energy includes every instance's work`;
}

function readText(
  call: (device: bigint, out: Buffer, length: number) => number,
  handle: bigint,
): string | undefined {
  const buffer = Buffer.alloc(TEXT_BYTES);
  if (call(handle, buffer, TEXT_BYTES) !== NVML_SUCCESS) return undefined;
  const end = buffer.indexOf(0);
  return buffer.toString("utf8", 0, end < 0 ? TEXT_BYTES : end);
}

function safeErrorString(nvml: NvmlBindings, code: number): string {
  try {
    return nvml.errorString(code);
  } catch {
    return "unknown";
  }
}

function firstLine(text: string): string {
  return text.split("\n")[0] ?? text;
}

function decodeProcesses(records: Buffer, count: number): GpuProcess[] {
  const out: GpuProcess[] = [];
  for (let i = 0; i < count && (i + 1) * PROCESS_INFO_BYTES <= records.length; i++) {
    const offset = i * PROCESS_INFO_BYTES;
    const memory = records.readBigUInt64LE(offset + 8);
    out.push({
      pid: records.readUInt32LE(offset),
      usedMemoryBytes: memory === VALUE_NOT_AVAILABLE ? null : Number(memory),
    });
  }
  return out;
}

/** Text from the environment as a message quotes it: at most `CLIP_CHARS` characters. */
const CLIP_CHARS = 200;
const clip = (text: string): string => cutText(text, CLIP_CHARS);

/** Why NVML is no longer called, once a call outlived its deadline. */
function hungText(call: string, device: PowerDevice, ms: number): string {
  return `${call} for ${device.name} (${device.id}) did not return within ${ms} ms: the GPU or its driver is hung, and NVML is not called again by this reader`;
}
