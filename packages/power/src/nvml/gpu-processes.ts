/**
 * The compute processes on a GPU and the GPU memory each holds, as `NvmlSource.processes()`
 * lists them (NVML has no per-process energy).
 */

import type { PowerDevice } from "../device.ts";
import { type ReadingProblem, readingProblem } from "../failures.ts";
import { readThread } from "../sysfs/read-thread.ts";
import { type NvmlBindings, PROCESS_INFO_BYTES, VALUE_NOT_AVAILABLE } from "./bindings.ts";
import { callWithin } from "./call-within.ts";
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
export type ComputeProcessesCall = NonNullable<NvmlBindings["computeProcesses"]>;

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
 * Lists the processes on one GPU, off the event loop and within the read thread's deadline.
 * A call that outlives it goes to `noteHung` with why, which answers the reader's reason for
 * no longer calling NVML (the first one noted, this one or an earlier).
 */
export async function listProcesses(
  call: ComputeProcessesCall,
  device: PowerDevice,
  handle: bigint,
  noteHung: (why: string) => string,
): Promise<GpuProcesses> {
  const id = device.id;
  let capacity = PROCESSES_FIRST_TRY;
  for (let attempt = 0; attempt < 2; attempt++) {
    const count = new Uint32Array([capacity]);
    const records = Buffer.alloc(capacity * PROCESS_INFO_BYTES);
    const code = await callWithin(readThread.roundDeadlineMs, (done) =>
      call.async(handle, count, records, done),
    );
    if (code === "timed-out") {
      const ms = readThread.roundDeadlineMs;
      const hungWhy = noteHung(hungText("listing processes", device, ms));
      return failedListing(id, `NVML ${device.name}: ${hungWhy}`, HUNG_FIX);
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
    return failedListing(
      id,
      `NVML ${device.name}: listing processes returned ${nvmlCodeName(code)}`,
      nvmlFix(code),
    );
  }
  return { device: id, processes: [], truncated: true, problem: null };
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

/** A GPU whose processes could not be listed, and why. */
function failedListing(id: string, message: string, fix?: string): GpuProcesses {
  return {
    device: id,
    processes: [],
    truncated: false,
    problem: readingProblem("driver-error", id, message, fix),
  };
}
