/**
 * The compute processes on a GPU and the GPU memory each holds, as `NvmlSource.processes()`
 * lists them (NVML has no per-process energy).
 */

import type { PowerDevice } from "../device.ts";
import { type ReadingProblem, readingProblem } from "../failures.ts";
import { readThread } from "../sysfs/read-thread.ts";
import { type NvmlBindings, PROCESS_INFO_BYTES, VALUE_NOT_AVAILABLE } from "./bindings.ts";
import { callOffLoop } from "./call-within.ts";
import { NVML_ERROR_INSUFFICIENT_SIZE, NVML_SUCCESS, nvmlCodeName, nvmlFix } from "./errors.ts";
import { HUNG_FIX, hungText } from "./hung.ts";

/** Process records read per GPU at first; a busier GPU gets one retry at its own count, up to the cap. */
const PROCESSES_FIRST_TRY = 64;
export const MAX_PROCESSES = 1024;

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

/** `nvmlDeviceGetComputeRunningProcesses`, where the driver has it. */
export type ComputeProcesses = NonNullable<NvmlBindings["computeProcesses"]>;

/** One call of the listing with room for `capacity` records: its code, the count and the records. */
export type ListCall = (capacity: number) => Promise<{
  readonly code: number | "timed-out";
  readonly count: number;
  readonly records: Uint8Array;
}>;

const RECORD_WORDS = PROCESS_INFO_BYTES / 4;

/**
 * The listing of the GPU `handle`, off the event loop (`callOffLoop`): on the read thread
 * (`threadLibrary`, its number there), where a call that hangs is left behind and the process
 * can still end; on koffi's thread pool where the thread cannot be used, held to the same
 * deadline, its hung call keeping the event loop alive until it returns.
 */
export function listCall(
  processes: ComputeProcesses,
  threadLibrary: number,
  handle: bigint,
): ListCall {
  const fn = processes.version === 3 ? "computeProcessesV3" : "computeProcessesV2";
  return async (capacity) => {
    // The count in the first word, the records from the third on (8-byte aligned), on the
    // thread and on the pool alike.
    const out = new Uint32Array(2 + capacity * RECORD_WORDS);
    out[0] = capacity;
    const records = new Uint8Array(out.buffer, 8);
    const code = await callOffLoop(threadLibrary, fn, handle, out, (done) => {
      // Asked again after a thread that died, which may have written the count.
      out[0] = capacity;
      processes.call.async(handle, out.subarray(0, 1), records, done);
    });
    return { code, count: out[0] as number, records };
  };
}

/**
 * The answer for a GPU whose processes are not asked for: the reader is closed, a call hung
 * (`hungWhy`), or the driver has no such call.
 */
export function unlistedProcesses(
  device: PowerDevice,
  closed: boolean,
  hungWhy: string | null,
): GpuProcesses {
  const id = device.id;
  return failedListing(
    id,
    closed
      ? "the NVML reader is closed"
      : hungWhy !== null
        ? `NVML ${device.name}: ${hungWhy}`
        : "this driver has no nvmlDeviceGetComputeRunningProcesses: update the NVIDIA driver",
    hungWhy === null ? undefined : HUNG_FIX,
  );
}

/**
 * Lists the processes on one GPU through `list`, off the event loop and within the read
 * thread's deadline. A call that outlives it goes to `noteHung` with why, which answers the
 * reader's reason for no longer calling NVML (the first one noted, this one or an earlier).
 */
export async function listProcesses(
  list: ListCall,
  device: PowerDevice,
  noteHung: (why: string) => string,
): Promise<GpuProcesses> {
  const id = device.id;
  let capacity = PROCESSES_FIRST_TRY;
  for (let attempt = 0; attempt < 2; attempt++) {
    const { code, count, records } = await list(capacity);
    if (code === "timed-out") {
      const ms = readThread.roundDeadlineMs;
      const hungWhy = noteHung(hungText("listing processes", device, ms));
      return failedListing(id, `NVML ${device.name}: ${hungWhy}`, HUNG_FIX);
    }
    if (code === NVML_SUCCESS) {
      return {
        device: id,
        processes: decodeProcesses(records, Math.min(count, capacity)),
        truncated: false,
        problem: null,
      };
    }
    if (code === NVML_ERROR_INSUFFICIENT_SIZE && count > capacity) {
      if (count > MAX_PROCESSES) {
        return { device: id, processes: [], truncated: true, problem: null };
      }
      capacity = count;
      continue;
    }
    return failedListing(
      id,
      `NVML ${device.name}: listing processes returned ${nvmlCodeName(code)}`,
      nvmlFix(code),
    );
  }
  return { device: id, processes: [], truncated: true, problem: null };
}

function decodeProcesses(records: Uint8Array, count: number): GpuProcess[] {
  const view = new DataView(records.buffer, records.byteOffset, records.byteLength);
  const out: GpuProcess[] = [];
  for (let i = 0; i < count && (i + 1) * PROCESS_INFO_BYTES <= records.length; i++) {
    const offset = i * PROCESS_INFO_BYTES;
    const memory = view.getBigUint64(offset + 8, true);
    out.push({
      pid: view.getUint32(offset, true),
      usedMemoryBytes: memory === VALUE_NOT_AVAILABLE ? null : Number(memory),
    });
  }
  return out;
}

/** A GPU whose processes could not be listed, and why. */
function failedListing(id: string, message: string, fix?: string): GpuProcesses {
  return {
    device: id,
    processes: [],
    truncated: false,
    problem: readingProblem("driver-error", id, message, fix),
  };
}
