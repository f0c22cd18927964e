import { close as closeFd, read as readAsync, readSync } from "node:fs";
import { createRequire } from "node:module";
import type { MessagePort, Worker } from "node:worker_threads";
import { monotonicMs } from "../clock.ts";
import { hungCallBegan } from "../hung-calls.ts";
import { rethrowLater } from "../rethrow.ts";
import { errnoError } from "./errno.ts";
import {
  LAYOUT,
  MAX_CALL_WORDS,
  MAX_ROUND_REQUESTS,
  NVML_CALL_TIMED_OUT,
  NVML_FUNCTIONS,
  type NvmlFunction,
  SLOT_BYTES,
  SLOT_WORDS,
} from "./read-thread-layout.ts";
import { READ_WORKER_SOURCE } from "./read-worker-source.ts";

/** Callback of a positional read: an errno-carrying error, or the bytes read. */
export type ReadCallback = (error: NodeJS.ErrnoException | null, bytesRead: number) => void;
/** Callback of an NVML call: koffi's error (always null here) and the `nvmlReturn_t`. */
export type CallCallback = (error: unknown, code: number) => void;

/**
 * `node:worker_threads`, loaded when the first thread starts: a process that reads only RAPL,
 * the model or simulated devices never needs its five internal modules (3.6 to 3.9 ms to
 * import on the development VM). `require` of a built-in is synchronous.
 */
function workerThreads(): typeof import("node:worker_threads") {
  return createRequire(import.meta.url)("node:worker_threads");
}

/**
 * How long a round may run before its requests still out are failed: far above any real round
 * (microseconds for sysfs, milliseconds for NVML), short enough that a caller notices a hung
 * GPU within a few samples.
 */
export const DEFAULT_ROUND_DEADLINE_MS = 5000;
/** What a request's result slot holds until the worker answers it (no real result is this low). */
const PENDING = -0x80000000;
/** `ETIMEDOUT` on Linux: what a read still out at the deadline reports. */
const ETIMEDOUT = 110;

export interface ReadThreadStats {
  /** Whether the worker thread is running now. */
  running: boolean;
  /** Workers told to stop that have not exited yet (their thread still holds its own descriptors). */
  stopping: number;
  /** Workers started since the process began (a new one after each full release). */
  started: number;
  /** Users holding the thread: open sysfs descriptors and NVML readers. */
  users: number;
  rounds: number;
  reads: number;
  calls: number;
  /** Requests that arrived while a round was running or full, and went in a later round. */
  deferred: number;
  /** Reads done on Node's thread pool because the worker could not start or died. */
  fallbackReads: number;
  /** Reads done on the main thread (`readNow`: files whose read cannot block), outside any round. */
  directReads: number;
  /** Why the worker is not used, when it is not; null while it works. */
  broken: string | null;
  /** Rounds given up at the deadline: their worker was left behind and a new one serves later rounds. */
  abandoned: number;
  /** The deadline of one round now. */
  deadlineMs: number;
  /** NVML libraries a call hung in: never called on the thread again (their calls answer at once). */
  hungLibraries: string[];
}

interface Queue {
  count: number;
  /** The deadline a request of the round asked for instead of the thread's (0: none did). */
  deadlineMs: number;
  readonly op: Int32Array;
  readonly a: Int32Array;
  readonly b: Int32Array;
  readonly c: Int32Array;
  readonly d: Int32Array;
  readonly buffers: (Buffer | Uint32Array | null)[];
  readonly readCallbacks: (ReadCallback | null)[];
  readonly callCallbacks: (CallCallback | null)[];
}

function queue(): Queue {
  return {
    count: 0,
    deadlineMs: 0,
    op: new Int32Array(MAX_ROUND_REQUESTS),
    a: new Int32Array(MAX_ROUND_REQUESTS),
    b: new Int32Array(MAX_ROUND_REQUESTS),
    c: new Int32Array(MAX_ROUND_REQUESTS),
    d: new Int32Array(MAX_ROUND_REQUESTS),
    buffers: new Array(MAX_ROUND_REQUESTS).fill(null),
    readCallbacks: new Array(MAX_ROUND_REQUESTS).fill(null),
    callCallbacks: new Array(MAX_ROUND_REQUESTS).fill(null),
  };
}

/**
 * One worker thread that does every sysfs read and NVML call of a sample synchronously, so a
 * sample costs one hand-off between threads instead of one per file, and the event loop never
 * waits on a device. Requests made in the same tick (every reader of a meter sample) form one
 * round: the main thread writes them into a shared table, bumps the round counter and wakes the
 * worker (`Atomics.notify`); the worker runs them, writes the results into shared memory and
 * posts one empty message to say the round is done (measured cheaper, in CPU and heap, than
 * `Atomics.waitAsync`). The tables, queues and callbacks are allocated once: a round allocates
 * that message's event and nothing per request.
 *
 * Descriptors stay owned by the main thread; closing one waits until no round is running, so
 * the worker never reads a descriptor number that has been closed (and maybe reused). The
 * thread starts with its first user (an open descriptor, an NVML reader) and stops when the
 * last one lets go. If the worker cannot start or dies, reads go to Node's thread pool
 * (`fs.read`) and NVML calls report failure; `stats().broken` says why.
 */
export class ReadThread {
  private worker: Worker | null = null;
  private port: MessagePort | null = null;
  // Shared tables, new for each worker: a stopping worker never sees its successor's rounds.
  private control: Int32Array<ArrayBufferLike> = new Int32Array(0);
  private meta: Int32Array<ArrayBufferLike> = new Int32Array(0);
  private data: Uint8Array<ArrayBufferLike> = new Uint8Array(0);
  private words: Uint32Array<ArrayBufferLike> = new Uint32Array(0);
  private next = queue();
  private current = queue();
  private state: "idle" | "scheduled" | "running" = "idle";
  private round = 0;
  private users = 0;
  private readonly libraries: string[] = [];
  private readonly closing: number[] = [];
  private readonly counters = {
    started: 0,
    rounds: 0,
    reads: 0,
    calls: 0,
    deferred: 0,
    fallbackReads: 0,
    directReads: 0,
  };
  private broken: string | null = null;
  private abandoned = 0;
  private deadlineMs = DEFAULT_ROUND_DEADLINE_MS;
  /** One timer, re-armed with `refresh()` (no allocation per round) while rounds keep coming. */
  private deadlineTimer: NodeJS.Timeout | null = null;
  private deadlineTimerMs = 0;
  private deadlineArmed = false;
  /** When the armed timer fires, on `monotonicMs`'s clock. */
  private deadlineDueMs = 0;
  private roundStartedMs = 0;
  /** The deadline of the round running now: the thread's, or one a request asked for. */
  private roundDeadline = DEFAULT_ROUND_DEADLINE_MS;
  private readonly hungLibraries = new Set<string>();
  private koffiPath: string | null = null;
  private stopping = 0;
  private readonly toldToStop = new WeakSet<Worker>();
  /** Workers left inside a hung call, each with what to call once its thread ends. */
  private readonly hungWorkers = new Map<Worker, () => void>();
  private readonly settled = Promise.resolve();
  /** Callers holding the next round (`holdRound`). */
  private holds = 0;

  private readonly startRound = (): void => {
    const q = this.next;
    if (q.count === 0) {
      this.state = "idle";
      this.settle();
      return;
    }
    const worker = this.ensureWorker();
    if (worker === null) {
      this.state = "idle";
      this.drainToFallback(q);
      return;
    }
    this.next = this.current;
    this.current = q;
    const meta = this.meta;
    for (let i = 0; i < q.count; i++) {
      const at = i * LAYOUT.META;
      meta[at + LAYOUT.OP] = q.op[i] as number;
      meta[at + 1] = q.a[i] as number;
      meta[at + 2] = q.b[i] as number;
      meta[at + 3] = q.c[i] as number;
      meta[at + 5] = q.d[i] as number;
      meta[at + LAYOUT.RESULT] = q.op[i] === LAYOUT.OP_SPAN ? 0 : PENDING;
      if (q.op[i] === LAYOUT.OP_NVML) {
        // The call's words in: outputs start from what the caller holds (zeros, or its input text).
        const out = q.buffers[i] as Uint32Array;
        const from = (i * SLOT_BYTES) / 4;
        meta[at + LAYOUT.WORDS] = out.length;
        for (let k = 0; k < out.length; k++) this.words[from + k] = out[k] as number;
      }
    }
    this.state = "running";
    this.roundStartedMs = monotonicMs();
    this.roundDeadline = q.deadlineMs > 0 ? q.deadlineMs : this.deadlineMs;
    q.deadlineMs = 0;
    this.armDeadline();
    this.counters.rounds++;
    const round = ++this.round;
    Atomics.store(this.control, LAYOUT.COUNT, q.count);
    // The port is referenced while a round runs: it keeps the process alive while a sample is awaited.
    this.port?.ref();
    Atomics.store(this.control, LAYOUT.GEN, round);
    Atomics.notify(this.control, LAYOUT.GEN);
  };

  /**
   * The tick's round, unless one already started: a request made from a finishing round's
   * callback (a caller that reads again at once) is started by that round's end directly.
   */
  private readonly scheduledStart = (): void => {
    if (this.state === "scheduled") this.startRound();
  };

  private readonly onDone = (): void => {
    // A stale wake (after the worker died and the round was failed) finds nothing running.
    if (this.state === "running" && Atomics.load(this.control, LAYOUT.DONE) === this.round) {
      this.finishRound();
    }
  };

  private armDeadline(): void {
    const ms = this.roundDeadline;
    const dueMs = this.roundStartedMs + ms;
    // A timer armed by an earlier round that fires by then checks this round (`onDeadline`).
    if (this.deadlineArmed && this.deadlineDueMs <= dueMs) return;
    this.deadlineArmed = true;
    this.deadlineDueMs = dueMs;
    if (this.deadlineTimer !== null && this.deadlineTimerMs === ms) {
      this.deadlineTimer.refresh();
      return;
    }
    if (this.deadlineTimer !== null) clearTimeout(this.deadlineTimer);
    this.deadlineTimer = setTimeout(this.onDeadline, ms);
    this.deadlineTimerMs = ms;
    // The port keeps the process alive while a round runs; the timer never does.
    this.deadlineTimer.unref();
  }

  /** The timer armed by some earlier round: gives up on the round running now if it is that old. */
  private readonly onDeadline = (): void => {
    this.deadlineArmed = false;
    if (this.state !== "running") return;
    const waitedMs = monotonicMs() - this.roundStartedMs;
    // 1 ms of slack: the timer runs on the event loop's cached clock, not on this one.
    if (waitedMs + 1 < this.roundDeadline) {
      this.deadlineArmed = true;
      this.deadlineDueMs = this.roundStartedMs + this.roundDeadline;
      this.deadlineTimer = setTimeout(this.onDeadline, this.roundDeadline - waitedMs);
      this.deadlineTimerMs = -1; // not the full deadline: the next round makes a new timer
      this.deadlineTimer.unref();
      return;
    }
    this.abandon();
  };

  /**
   * A round that outlived its deadline: a call inside it hung (an NVML call on a lost GPU can
   * block in the driver for good). The requests still out fail (reads with ETIMEDOUT, NVML
   * calls with `NVML_CALL_TIMED_OUT`), and the NVML library they were in is never called on
   * the thread again: a hung call may hold the library's lock, so any later call could hang too.
   *
   * The worker is left behind, not waited for: it is told to stop, which it sees once the
   * call returns (it reads nothing more, and ends); nothing can stop a thread inside a C call
   * safely. It is not `terminate()`d: a worker being terminated keeps the event loop alive
   * until its thread ends (checked on Node 20), so a process with a hung call never reached
   * its exit. Its port is closed, so it no longer keeps the event loop alive either, and later
   * rounds get a new worker with new shared tables (the old one can never write into them).
   * Node still waits for every thread when the process ends, so until the hung call returns
   * the process ends through `hung-calls.ts` instead.
   */
  private abandon(): void {
    const worker = this.worker;
    if (worker === null) return;
    const q = this.current;
    const meta = this.meta;
    for (let i = 0; i < q.count; i++) {
      const at = i * LAYOUT.META + LAYOUT.RESULT;
      if (Atomics.load(meta, at) !== PENDING) continue;
      if (q.op[i] === LAYOUT.OP_PREAD) meta[at] = -ETIMEDOUT;
      else {
        meta[at] = NVML_CALL_TIMED_OUT;
        const library = this.libraries[q.a[i] as number];
        if (library !== undefined) this.hungLibraries.add(library);
      }
    }
    this.abandoned++;
    this.worker = null;
    this.stopping++;
    this.toldToStop.add(worker);
    this.hungWorkers.set(worker, hungCallBegan());
    Atomics.store(this.control, LAYOUT.STOP, 1);
    // Past the round it is in, the worker finds the stop at once instead of waiting for a round.
    Atomics.add(this.control, LAYOUT.GEN, 1);
    Atomics.notify(this.control, LAYOUT.GEN);
    this.port?.close();
    this.port = null;
    this.finishRound();
  }

  private finishRound(): void {
    const q = this.current;
    const n = q.count;
    q.count = 0;
    this.state = "idle";
    this.port?.unref();
    for (let i = 0; i < n; i++) {
      const result = this.meta[i * LAYOUT.META + LAYOUT.RESULT] as number;
      const target = q.buffers[i];
      q.buffers[i] = null;
      if (q.op[i] === LAYOUT.OP_PREAD) {
        const callback = q.readCallbacks[i] as ReadCallback;
        q.readCallbacks[i] = null;
        if (result < 0) this.answerRead(callback, errnoError(-result), 0);
        else {
          // A byte loop, not `set(subarray(...))`: a view per read would be an allocation per read.
          const bytes = target as Buffer;
          const from = i * SLOT_BYTES;
          for (let k = 0; k < result; k++) bytes[k] = this.data[from + k] as number;
          this.answerRead(callback, null, result);
        }
      } else if (q.op[i] === LAYOUT.OP_NVML) {
        const callback = q.callCallbacks[i] as CallCallback;
        q.callCallbacks[i] = null;
        const out = target as Uint32Array;
        const from = (i * SLOT_BYTES) / 4;
        for (let k = 0; k < out.length; k++) out[k] = this.words[from + k] as number;
        try {
          callback(null, result);
        } catch (error) {
          rethrowLater(error);
        }
      }
    }
    if (this.next.count > 0) this.startRound();
    else this.settle();
  }

  /** A read's callback, whose throw must not skip the rest of the round's callbacks. */
  private answerRead(
    callback: ReadCallback,
    error: NodeJS.ErrnoException | null,
    bytesRead: number,
  ): void {
    try {
      callback(error, bytesRead);
    } catch (thrown) {
      rethrowLater(thrown);
    }
  }

  /** Between rounds: close what waited for the worker to be idle, and stop it when unused. */
  private settle(): void {
    if (this.state !== "idle") return;
    while (this.closing.length > 0) {
      closeFd(this.closing.pop() as number, () => {
        // Nothing to do: a close error on a read-only sysfs descriptor loses no data.
      });
    }
    if (this.users === 0 && this.next.count === 0) this.stopWorker();
  }

  private ensureWorker(): Worker | null {
    if (this.worker !== null) return this.worker;
    if (this.broken !== null) return null;
    try {
      const { MessageChannel, Worker } = workerThreads();
      const channel = new MessageChannel();
      const control = new SharedArrayBuffer(16 * 4);
      const meta = new SharedArrayBuffer(MAX_ROUND_REQUESTS * LAYOUT.META * 4);
      const data = new SharedArrayBuffer(MAX_ROUND_REQUESTS * SLOT_BYTES);
      const worker = new Worker(READ_WORKER_SOURCE, {
        eval: true,
        workerData: { layout: LAYOUT, control, meta, data, port: channel.port2 },
        transferList: [channel.port2],
        // The worker needs no loader or flags of the main process (`--import tsx`, test runners).
        execArgv: [],
        stdout: false,
        stderr: false,
        resourceLimits: { maxOldGenerationSizeMb: 32 },
      });
      worker.unref();
      channel.port1.on("message", this.onDone);
      channel.port1.unref();
      worker.on("error", (error) => this.died(worker, `the read thread failed: ${error.message}`));
      worker.on("exit", (code) => {
        if (this.worker === worker) this.died(worker, `the read thread exited (code ${code})`);
        // Only a worker told to stop was counted as stopping: one that died of an 'error'
        // first (out of memory under its limit) was not, and took the count below zero.
        else if (this.toldToStop.delete(worker)) this.stopping--;
        this.hungWorkers.get(worker)?.();
        this.hungWorkers.delete(worker);
      });
      this.worker = worker;
      this.port = channel.port1;
      this.control = new Int32Array(control);
      this.meta = new Int32Array(meta);
      this.data = new Uint8Array(data);
      this.words = new Uint32Array(data);
      this.round = 0;
      this.counters.started++;
      // A worker that replaces an abandoned or dead one keeps the library numbers callers hold;
      // a hung library keeps its number but is never loaded again.
      for (const library of this.libraries) this.postLibrary(library);
      return worker;
    } catch (error) {
      this.broken = `the read thread cannot start: ${error instanceof Error ? error.message : String(error)}`;
      return null;
    }
  }

  private died(worker: Worker, why: string): void {
    if (this.worker !== worker) return; // an old worker told to stop (see `exited`)
    this.worker = null;
    this.port = null;
    this.broken = why;
    if (this.state === "running") {
      // Fail the round in flight: each request reports EIO (read) or -1 (call).
      for (let i = 0; i < this.current.count; i++) {
        this.meta[i * LAYOUT.META + LAYOUT.RESULT] =
          this.current.op[i] === LAYOUT.OP_PREAD ? -LAYOUT.EIO : -1;
      }
      this.finishRound();
    }
  }

  private stopWorker(): void {
    const worker = this.worker;
    if (worker === null) return;
    this.worker = null;
    this.stopping++;
    this.toldToStop.add(worker);
    this.port?.close();
    this.port = null;
    // Stopped because nobody holds it: no caller keeps a library number for the next worker.
    this.libraries.length = 0;
    Atomics.store(this.control, LAYOUT.STOP, 1);
    Atomics.add(this.control, LAYOUT.GEN, 1);
    Atomics.notify(this.control, LAYOUT.GEN);
  }

  private drainToFallback(q: Queue): void {
    const n = q.count;
    q.count = 0;
    for (let i = 0; i < n; i++) {
      const target = q.buffers[i];
      q.buffers[i] = null;
      if (q.op[i] === LAYOUT.OP_PREAD) {
        const callback = q.readCallbacks[i] as ReadCallback;
        q.readCallbacks[i] = null;
        this.counters.fallbackReads++;
        readAsync(
          q.a[i] as number,
          target as Buffer,
          0,
          q.b[i] as number,
          q.c[i] as number,
          callback,
        );
      } else if (q.op[i] === LAYOUT.OP_NVML) {
        const callback = q.callCallbacks[i] as CallCallback;
        q.callCallbacks[i] = null;
        queueMicrotask(() => callback(null, -1));
      }
    }
    this.settle();
  }

  private enqueue(): Queue {
    const q = this.next;
    if (this.state === "running") this.counters.deferred++;
    else if (this.state === "idle") {
      this.state = "scheduled";
      // Held (`holdRound`): the holder starts it. Else a reaction on a settled promise, not
      // queueMicrotask: Node wraps each queueMicrotask in an async resource and a bound
      // function (about 250 bytes a round, measured).
      if (this.holds === 0) void this.settled.then(this.scheduledStart);
    }
    return q;
  }

  /**
   * Holds the next round while a caller asks for several reads and calls (a meter's sources,
   * one after another): they join one round that `releaseRound` starts at once, with no
   * promise reaction to start it after the tick. Calls nest; each hold needs its release.
   */
  holdRound(): void {
    this.holds++;
  }

  releaseRound(): void {
    if (this.holds === 0) return;
    this.holds--;
    if (this.holds === 0 && this.state === "scheduled") this.startRound();
  }

  /** A positional read of `length` bytes at `position` into `buffer`; `callback` runs later, never synchronously. */
  read(fd: number, buffer: Buffer, length: number, position: number, callback: ReadCallback): void {
    const q = this.enqueue();
    if (q.count >= MAX_ROUND_REQUESTS || length > SLOT_BYTES) {
      // Never happens with the readers' limits (MAX_ZONES + MAX_HWMON + one /proc/stat);
      // served by the thread pool rather than refused.
      this.counters.fallbackReads++;
      readAsync(fd, buffer, 0, length, position, callback);
      return;
    }
    const i = q.count++;
    q.op[i] = LAYOUT.OP_PREAD;
    q.a[i] = fd;
    q.b[i] = length;
    q.c[i] = position;
    q.buffers[i] = buffer;
    q.readCallbacks[i] = callback;
    this.counters.reads++;
  }

  /**
   * A positional read now, on the main thread: the bytes read, or a negative errno. For files
   * whose read returns without sleeping (see `SysfsIo.readNow`); a descriptor this class closes
   * is closed only between rounds, and a direct read never overlaps a round's use of it.
   */
  readNow(fd: number, buffer: Buffer, length: number, position: number): number {
    this.counters.directReads++;
    try {
      return readSync(fd, buffer, 0, length, position);
    } catch (error) {
      const errno = (error as NodeJS.ErrnoException | null)?.errno;
      return typeof errno === "number" && errno !== 0 ? -Math.abs(errno) : -LAYOUT.EIO;
    }
  }

  /**
   * Numbers an NVML library for `call`: the worker loads it (and koffi) before its next round.
   * The main thread has already loaded and initialised it; a library is process-wide, so the
   * worker's handle reaches the same state and the device handles are valid there.
   */
  nvmlLibrary(library: string): number {
    const worker = this.ensureWorker();
    if (worker === null || this.port === null) return -1;
    const known = this.libraries.indexOf(library);
    if (known >= 0) return known;
    this.libraries.push(library);
    this.postLibrary(library);
    return this.libraries.length - 1;
  }

  private postLibrary(library: string): void {
    this.koffiPath ??= createRequire(import.meta.url).resolve("koffi");
    const usable = !this.hungLibraries.has(library);
    this.port?.postMessage({ library: usable ? library : null, koffi: this.koffiPath });
  }

  /** True once a call into `library` outlived a round's deadline (see `abandon`). */
  isHung(library: string): boolean {
    return this.hungLibraries.has(library);
  }

  /** The deadline of one round, process-wide: the thread serves every reader of the process. */
  get roundDeadlineMs(): number {
    return this.deadlineMs;
  }

  setRoundDeadline(ms: number): void {
    if (!Number.isFinite(ms) || ms < 1)
      throw new RangeError(`round deadline must be ≥ 1 ms, got ${ms}`);
    this.deadlineMs = ms;
  }

  /**
   * An NVML call on the worker, with the handle as two 32-bit halves (no BigInt per call; an
   * index in the low half for `handleByIndex`). `out`'s words are the call's shared memory:
   * copied in before the call (zeros for an output, or the input text), and back after it;
   * two for a reading, at most `MAX_CALL_WORDS` (past one slot's, the call spans the rows
   * after its own). `callback(null, code)` runs later, with -1 when the round has no room left.
   * A `deadlineMs` replaces the thread's deadline for the round that carries the call.
   */
  call(
    library: number,
    fn: NvmlFunction,
    handleLo: number,
    handleHi: number,
    out: Uint32Array,
    callback: CallCallback,
    deadlineMs = 0,
  ): void {
    const q = this.enqueue();
    const slots = out.length <= SLOT_WORDS ? 1 : Math.ceil(out.length / SLOT_WORDS);
    if (q.count + slots > MAX_ROUND_REQUESTS || library < 0 || out.length > MAX_CALL_WORDS) {
      queueMicrotask(() => callback(null, -1));
      return;
    }
    if (this.hungLibraries.size > 0 && this.hungLibraries.has(this.libraries[library] ?? "")) {
      // A call into this library hung before: this one would wait on the same lock.
      queueMicrotask(() => callback(null, NVML_CALL_TIMED_OUT));
      return;
    }
    const i = q.count;
    q.count += slots;
    for (let k = 1; k < slots; k++) q.op[i + k] = LAYOUT.OP_SPAN;
    q.op[i] = LAYOUT.OP_NVML;
    q.a[i] = library;
    q.b[i] = NVML_FUNCTIONS[fn];
    q.c[i] = handleLo | 0;
    q.d[i] = handleHi | 0;
    q.buffers[i] = out;
    q.callCallbacks[i] = callback;
    if (deadlineMs > q.deadlineMs) q.deadlineMs = deadlineMs;
    this.counters.calls++;
  }

  /** False once the worker could not start or died: callers with another path should take it. */
  get usable(): boolean {
    return this.broken === null;
  }

  /** A user (an open descriptor, an NVML reader) now needs the thread. */
  acquire(): void {
    this.users++;
  }

  /** A user is done; the thread stops after its last round once nobody holds it. */
  release(): void {
    this.users = Math.max(0, this.users - 1);
    this.settle();
  }

  /** Closes a descriptor once no round is running (the worker may be reading it), then releases it. */
  closeDescriptor(fd: number): void {
    this.closing.push(fd);
    this.release();
  }

  stats(): ReadThreadStats {
    return {
      running: this.worker !== null,
      stopping: this.stopping,
      users: this.users,
      broken: this.broken,
      abandoned: this.abandoned,
      deadlineMs: this.deadlineMs,
      hungLibraries: [...this.hungLibraries],
      ...this.counters,
    };
  }
}

/** The process's read thread, shared by every sysfs reader on the real file layer and NVML. */
export const readThread = new ReadThread();

/** Counters of the process's read thread, for `introspect()` and tests. */
export function readThreadStats(): ReadThreadStats {
  return readThread.stats();
}
