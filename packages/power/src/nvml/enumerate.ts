/** The GPUs NVML reports, by index, handle and UUID, before `CUDA_VISIBLE_DEVICES` chooses among them. */

import { type ReaderSkip, readerSkip } from "../failures.ts";
import { type DetectCalls, indexSubject } from "./detect-calls.ts";
import { NVML_ERROR_GPU_IS_LOST, NVML_SUCCESS, nvmlCodeName, nvmlFix } from "./errors.ts";

/** GPUs enumerated at most: more than one host holds (an HGX board has 8, NVL racks are many hosts). */
export const MAX_NVML_GPUS = 64;

export interface Enumerated {
  readonly index: number;
  readonly handle: bigint;
  readonly uuid: string;
}

/**
 * Every GPU NVML reports, up to `MAX_NVML_GPUS`; one it cannot hand over is a skip. A call
 * that hangs ends the list (`calls.hung` says so).
 */
export async function enumerateGpus(
  calls: DetectCalls,
  skipped: ReaderSkip[],
): Promise<Enumerated[]> {
  const { code, count: reported } = await calls.deviceCount();
  if (calls.hung !== null) return [];
  if (code !== NVML_SUCCESS) {
    skipped.push(
      readerSkip("nvml", "driver-error", `nvmlDeviceGetCount_v2 failed with ${nvmlCodeName(code)}`),
    );
    return [];
  }
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
  for (let index = 0; index < Math.min(reported, MAX_NVML_GPUS); index++) {
    const { code: got, handle } = await calls.handleByIndex(index);
    if (calls.hung !== null) return [];
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
    const uuid = await calls.text("uuid", handle, indexSubject(index));
    if (calls.hung !== null) return [];
    out.push({ index, handle, uuid: uuid ?? `index-${index}` });
  }
  return out;
}
