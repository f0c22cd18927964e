import { type ReaderSkip, readerSkip, readingProblem } from "../failures.ts";
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
import { readThread } from "../sysfs/read-thread.ts";
import { NVML_CALL_TIMED_OUT } from "../sysfs/read-thread-layout.ts";
import { bindNvml, type NvmlBindings } from "./bindings.ts";
import { callOnThread, callWithin } from "./call-within.ts";
import { chooseGpus } from "./choose-gpus.ts";
import { DetectCalls } from "./detect-calls.ts";
import {
  bindSkip,
  initFailedSkip,
  initTimedOutSkip,
  type LibraryChoice,
  noKernelDriver,
  notALibraryFile,
  skipOnly,
} from "./detect-skips.ts";
import { enumerateGpus } from "./enumerate.ts";
import { NVML_ERROR_GPU_IS_LOST, NVML_SUCCESS, nvmlCodeName, nvmlFix } from "./errors.ts";
import type { Gpu } from "./gpu.ts";
import { type GpuProcesses, listCall, listProcesses, unlistedProcesses } from "./gpu-processes.ts";
import { HUNG_FIX, hungText, readingCall } from "./hung.ts";
import { type FirstReading, firstReadings, probeGpu } from "./probe.ts";

const TWO_POW_32 = 2 ** 32;
/** The shared memory of a call that has no argument or output (`nvmlShutdown`). */
const NO_WORDS = new Uint32Array(0);
/**
 * How long `nvmlInit_v2` may take: a second or two with persistence mode off, far more only
 * when the driver does not answer at all.
 */
export const DEFAULT_NVML_INIT_TIMEOUT_MS = 10_000;
/** What a GPU's code holds while its call on koffi's thread pool is out (no NVML code is negative). */
const CALL_PENDING = -3;

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

/**
 * NVIDIA GPUs through NVML (`libnvidia-ml.so.1`, loaded with koffi). The total-energy counter
 * (millijoules since the driver loaded, Volta and later) where the GPU has one, the power
 * reading otherwise. `CUDA_VISIBLE_DEVICES` is honoured as CUDA reads it; a MIG instance is
 * measured through its parent GPU, which is the only thing NVML can measure. `nvmlInit_v2`,
 * the calls at detect (`detect-calls.ts`) and those on the sampling path run on the read
 * thread (`sysfs/read-thread.ts`): an NVML query can take a millisecond, a second on a GPU
 * without persistence mode, or hang on a lost GPU, and the event loop must not wait for it.
 * `close()` ends with `nvmlShutdown` unless a call hung.
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
    if (!this.closed) return;
    const closedDown = this.onClosedDown;
    this.onClosedDown = null;
    void this.shutdown().then(closedDown ?? undefined);
  };
  /** What `close()` answers: settles once NVML is shut down, or was not to be. */
  private closedDown: Promise<void> | null = null;
  private onClosedDown: (() => void) | null = null;
  /** `nvmlShutdown`, asked for once. */
  private shutDown: Promise<void> | null = null;
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

  /** The library and whether the user named it, as the skips at detect word them. */
  private get libraryChoice(): LibraryChoice {
    return { library: this.library, named: this.options.library !== undefined };
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
      const { procRoot, devRoot } = this.options;
      const noDriver = await noKernelDriver(this.library, procRoot, devRoot);
      if (noDriver !== null) return skipOnly(noDriver);
    }
    const notLibrary = await notALibraryFile(this.libraryChoice);
    if (notLibrary !== null) return skipOnly(notLibrary);
    const bound = await bindNvml(this.library);
    if (!bound.ok) return skipOnly(bindSkip(this.libraryChoice, bound.stage, bound.message));
    const nvml = bound.bindings;
    this.bindings = nvml;
    const initCode = await this.initWithTimeout(nvml);
    if (initCode !== NVML_SUCCESS) this.letGoOfThread();
    if (initCode === "timed-out") {
      const ms = this.options.initTimeoutMs ?? DEFAULT_NVML_INIT_TIMEOUT_MS;
      return skipOnly(initTimedOutSkip(this.library, ms));
    }
    if (initCode !== NVML_SUCCESS) return skipOnly(initFailedSkip(nvml, initCode));
    this.initialised = true;
    const skipped: ReaderSkip[] = [];
    const calls = new DetectCalls(
      nvml,
      this.threadLibrary,
      this.library,
      readThread.roundDeadlineMs,
    );
    const all = await enumerateGpus(calls, skipped);
    const chosen = calls.hung === null ? await chooseGpus(calls, all, skipped, this.options) : [];
    const firsts = await firstReadings(
      calls,
      chosen.map((c) => c.gpu),
    );
    const found: Gpu[] = [];
    for (const [i, { gpu, notes }] of chosen.entries()) {
      if (calls.hung !== null) break;
      const outcome = await probeGpu(calls, gpu, notes, this.countdown, firsts[i] as FirstReading);
      if ("kind" in outcome) skipped.push(outcome);
      else found.push(outcome);
    }
    if (calls.hung !== null) {
      // The driver may hold its lock inside that call: nothing more is asked of it.
      this.hungWhy = calls.hung;
      skipped.push(
        readerSkip("nvml", "driver-error", `NVML: ${this.hungWhy}. Fix: ${HUNG_FIX}`, {
          device: calls.hungDevice,
          fix: HUNG_FIX,
        }),
      );
    } else this.gpus.push(...found);
    if (this.gpus.length === 0) {
      if (skipped.length === 0) {
        skipped.push(readerSkip("nvml", "not-present", "NVML is loaded but reports no GPU"));
      }
      await this.shutdown();
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
        const code = await callOnThread(lib, "init", 0, 0, new Uint32Array(2), ms);
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
        if (late === NVML_SUCCESS) nvml.shutdown.async(() => {});
      },
    );
  }

  private letGoOfThread(): void {
    this.threadLibrary = -1;
    if (!this.holdsThread) return;
    this.holdsThread = false;
    readThread.release();
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
          ? readingCall(gpu.useCounter)
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
      this.hungWhy = hungText(readingCall(gpu.useCounter), gpu.device, readThread.roundDeadlineMs);
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
      const message = `NVML ${gpu.device.name} (${id}): ${readingCall(gpu.useCounter)} returned ${nvmlCodeName(gpu.code)}${fix === undefined ? "" : `: ${fix}`}`;
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
    const processes = this.bindings?.computeProcesses;
    const lists: GpuProcesses[] = [];
    // One GPU at a time: a round of the read thread holds any one list (up to 49 slots), not
    // every GPU's at once; and after a listing that hung, the next GPU's is not asked for.
    for (const gpu of this.gpus) {
      if (processes === undefined || this.closed || this.hungWhy !== null) {
        lists.push(unlistedProcesses(gpu.device, this.closed, this.hungWhy));
        continue;
      }
      const list = listCall(processes, this.threadLibrary, gpu.handle);
      lists.push(await listProcesses(list, gpu.device, this.noteHung));
    }
    return lists;
  }

  /** Keeps the first reason NVML is no longer called, and answers it. */
  private readonly noteHung = (why: string): string => {
    this.hungWhy ??= why;
    return this.hungWhy;
  };

  /**
   * Shuts NVML down, off the event loop: with persistence mode off the driver tears the GPUs'
   * state down then, which can take a second. The promise settles once it has returned (or
   * outlived the read deadline); it never rejects.
   */
  close(): Promise<void> {
    if (this.closedDown === null) {
      this.closed = true;
      // A sample in flight still has calls out: NVML is shut down once it is back.
      this.closedDown = this.rounds.running
        ? new Promise((resolve) => {
            this.onClosedDown = resolve;
          })
        : this.shutdown();
    }
    return this.closedDown;
  }

  private shutdown(): Promise<void> {
    this.shutDown ??= this.shutNvmlDown();
    return this.shutDown;
  }

  private async shutNvmlDown(): Promise<void> {
    const nvml = this.bindings;
    if (!this.initialised || nvml === null) return;
    this.initialised = false;
    // Not after a hung call: nvmlShutdown would wait on the lock the hung call may hold.
    if (this.hungWhy === null && !readThread.isHung(this.library)) {
      // Not `callOffLoop`: a thread that died in it may have counted NVML's users down
      // already, and a second nvmlShutdown would end another reader's NVML.
      const lib = readThread.usable ? this.threadLibrary : -1;
      if (lib >= 0) await callOnThread(lib, "shutdown", 0, 0, NO_WORDS);
      else await callWithin(readThread.roundDeadlineMs, (done) => nvml.shutdown.async(done));
    }
    this.letGoOfThread();
  }

  introspect(): SourceCounters {
    return structuredClone(this.counters);
  }
}
