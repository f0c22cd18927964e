/**
 * NVML's calls at detect (the GPU count, handles, names, power limits, MIG state and each
 * GPU's first reading), none of them on the event loop. With persistence mode off, the first
 * call that touches a GPU can take a second while the driver sets it up, and a lost GPU can
 * hang a call for good; detect must neither freeze the process nor wait forever.
 *
 * Each call runs on the read thread when the reader holds it (a hung call there is left
 * behind, and the process can still end: `read-thread.ts`), else on koffi's thread pool, held
 * to the same deadline. Once a call outlives it, `hung` says which, and no later call is made:
 * the driver may hold its lock inside the one that hung.
 */

import { NVML_CALL_TIMED_OUT, type NvmlFunction, nvmlSymbol } from "../sysfs/read-thread-layout.ts";
import type { NvmlBindings, NvmlCallback } from "./bindings.ts";
import { callOffLoop } from "./call-within.ts";
import { NVML_SUCCESS } from "./errors.ts";
import { hungText } from "./hung.ts";

/**
 * What a call is about, as a hung call's message names it (`name (id)`) and its skip's device:
 * a GPU, a MIG instance, or the driver itself.
 */
export interface CallSubject {
  readonly name: string;
  readonly id: string;
  readonly device: string;
}

/** A GPU by its index, before NVML has given its UUID. */
export function indexSubject(index: number): CallSubject {
  return { name: `GPU ${index}`, id: `index ${index}`, device: `nvml:${index}` };
}

/** A GPU once NVML has given its UUID. */
export function gpuSubject(gpu: { readonly index: number; readonly uuid: string }): CallSubject {
  return { name: `GPU ${gpu.index}`, id: gpu.uuid, device: `nvml:${gpu.uuid}` };
}

/** `nvmlReturn_t` for an argument the library would refuse (here: a UUID too long to be one). */
const NVML_ERROR_INVALID_ARGUMENT = 2;
/** 96 bytes: `NVML_DEVICE_NAME_V2_BUFFER_SIZE`, above the UUID's 80. */
const TEXT_WORDS = 24;
/** A UUID longer than this is no GPU's or MIG instance's (`GPU-` and `MIG-` UUIDs take 40 bytes). */
const MAX_UUID_BYTES = 96;

export interface HandleAnswer {
  readonly code: number;
  readonly handle: bigint;
}

export class DetectCalls {
  private hungWhy: string | null = null;
  private hungSubject: CallSubject | null = null;

  /** `threadLibrary`: the library's number on the read thread, or -1 for koffi's thread pool. */
  constructor(
    private readonly nvml: NvmlBindings,
    private readonly threadLibrary: number,
    private readonly library: string,
    private readonly deadlineMs: number,
  ) {}

  /** Why NVML is no longer called, once a call outlived the deadline; null until then. */
  get hung(): string | null {
    return this.hungWhy;
  }

  /** The device a skip for the hung call names: its GPU's, or the reader's. */
  get hungDevice(): string {
    return this.hungSubject?.device ?? "nvml";
  }

  /** The driver as the subject of a call that concerns no GPU yet. */
  get driver(): CallSubject {
    return { name: "the driver", id: this.library, device: "nvml" };
  }

  async deviceCount(): Promise<{ readonly code: number; readonly count: number }> {
    const out = new Uint32Array(1);
    const code = await this.ask("deviceCount", 0n, out, this.driver, (done) =>
      this.nvml.deviceCount.async(out, done),
    );
    return { code, count: out[0] as number };
  }

  async handleByIndex(index: number): Promise<HandleAnswer> {
    const out = new Uint32Array(2);
    const code = await this.ask("handleByIndex", BigInt(index), out, indexSubject(index), (done) =>
      this.nvml.handleByIndex.async(index, out, done),
    );
    return { code, handle: handleOf(out) };
  }

  async handleByUuid(uuid: string): Promise<HandleAnswer> {
    const text = Buffer.from(uuid, "utf8");
    if (text.length > MAX_UUID_BYTES) return { code: NVML_ERROR_INVALID_ARGUMENT, handle: 0n };
    // The handle comes out in the first two words, the UUID goes in after them, NUL-terminated.
    const out = new Uint32Array(2 + Math.ceil((text.length + 1) / 4));
    text.copy(Buffer.from(out.buffer), 8);
    const code = await this.ask(
      "handleByUuid",
      0n,
      out,
      { name: "MIG instance", id: uuid, device: `nvml:${uuid}` },
      (done) => this.nvml.handleByUuid.async(uuid, out, done),
    );
    return { code, handle: handleOf(out) };
  }

  /** `nvmlDeviceGetName` or `nvmlDeviceGetUUID`: the text, or undefined where the call fails. */
  async text(
    fn: "name" | "uuid",
    handle: bigint,
    subject: CallSubject,
  ): Promise<string | undefined> {
    const out = new Uint32Array(TEXT_WORDS);
    const bytes = Buffer.from(out.buffer);
    const code = await this.ask(fn, handle, out, subject, (done) =>
      this.nvml[fn].async(handle, bytes, bytes.length, done),
    );
    if (code !== NVML_SUCCESS) return undefined;
    const end = bytes.indexOf(0);
    return bytes.toString("utf8", 0, end < 0 ? bytes.length : end);
  }

  /** The enforced power limit in watts; NaN where the driver does not say. */
  async powerLimitWatts(handle: bigint, subject: CallSubject): Promise<number> {
    const out = new Uint32Array(1);
    const code = await this.ask("enforcedPowerLimit", handle, out, subject, (done) =>
      this.nvml.enforcedPowerLimit.async(handle, out, done),
    );
    return code === NVML_SUCCESS ? (out[0] as number) / 1000 : Number.NaN;
  }

  /** Whether MIG mode is on now; false where the library or the GPU cannot say. */
  async migEnabled(handle: bigint, subject: CallSubject): Promise<boolean> {
    const call = this.nvml.migMode;
    if (call === undefined) return false;
    const out = new Uint32Array(2);
    const code = await this.ask("migMode", handle, out, subject, (done) =>
      call.async(handle, out.subarray(0, 1), out.subarray(1, 2), done),
    );
    return code === NVML_SUCCESS && out[0] === 1;
  }

  /** Whether the library can name the GPU a MIG instance runs on (a library older than MIG lacks the call). */
  get findsMigParents(): boolean {
    return this.nvml.parentOfMig !== undefined;
  }

  /** The GPU a MIG instance runs on; undefined where the library cannot say. */
  async parentOfMig(handle: bigint, subject: CallSubject): Promise<HandleAnswer | undefined> {
    const call = this.nvml.parentOfMig;
    if (call === undefined) return undefined;
    const out = new Uint32Array(2);
    const code = await this.ask("parentOfMig", handle, out, subject, (done) =>
      call.async(handle, out, done),
    );
    return { code, handle: handleOf(out) };
  }

  /** A GPU's first energy (or power) reading, into `out`'s two words. */
  reading(
    fn: "totalEnergy" | "powerUsage",
    handle: bigint,
    out: Uint32Array,
    subject: CallSubject,
  ): Promise<number> {
    return this.ask(fn, handle, out, subject, (done) => this.nvml[fn].async(handle, out, done));
  }

  private async ask(
    fn: NvmlFunction,
    handle: bigint,
    out: Uint32Array,
    subject: CallSubject,
    onPool: (done: NvmlCallback) => void,
  ): Promise<number> {
    if (this.hungWhy !== null) return NVML_CALL_TIMED_OUT;
    const code = await callOffLoop(this.threadLibrary, fn, handle, out, onPool, this.deadlineMs);
    return code === "timed-out" ? this.timedOut(fn, subject) : code;
  }

  private timedOut(fn: NvmlFunction, subject: CallSubject): number {
    if (this.hungWhy === null) {
      this.hungWhy = hungText(nvmlSymbol(fn), subject, this.deadlineMs, " at detect");
      this.hungSubject = subject;
    }
    return NVML_CALL_TIMED_OUT;
  }
}

/** A handle from the two 32-bit words a call wrote it into (little-endian: every platform NVML runs on). */
function handleOf(out: Uint32Array): bigint {
  return BigInt(out[0] as number) | (BigInt(out[1] as number) << 32n);
}
