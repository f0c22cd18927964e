/**
 * The probe at detect that makes a GPU's device record: which reading it has (the energy
 * counter, or power where there is none), its enforced limit, and the `Gpu` the sampling path
 * reads it through.
 */

import { measuredDevice } from "../device.ts";
import { type ReaderSkip, readerSkip } from "../failures.ts";
import type { Countdown } from "../sysfs/attribute.ts";
import { type DetectCalls, gpuSubject } from "./detect-calls.ts";
import type { Enumerated } from "./enumerate.ts";
import { NVML_ERROR_NOT_SUPPORTED, NVML_SUCCESS, nvmlCodeName, nvmlFix } from "./errors.ts";
import { type Gpu, handleHalves } from "./gpu.ts";

/** Above any board's enforced limit × the headroom below, when the driver does not say. */
const DEFAULT_MAX_WATTS = 2000;
/** Power spikes run above the enforced limit for milliseconds. */
const LIMIT_HEADROOM = 2;

/**
 * A GPU's first reading, taken before its probe (`firstReadings`): the energy
 * counter's, or power's where the counter is not supported.
 */
export interface FirstReading {
  useCounter: boolean;
  code: number;
  readonly out: Uint32Array;
}

/**
 * Each GPU's first energy reading (power's where it has no counter), which tells its probe
 * what the GPU has: the first call that asks the GPU itself for a figure.
 */
export async function firstReadings(
  calls: DetectCalls,
  gpus: readonly Enumerated[],
): Promise<FirstReading[]> {
  const firsts: FirstReading[] = [];
  for (const gpu of gpus) {
    const first: FirstReading = { useCounter: true, code: NVML_SUCCESS, out: new Uint32Array(2) };
    const subject = gpuSubject(gpu);
    first.code = await calls.reading("totalEnergy", gpu.handle, first.out, subject);
    if (first.code === NVML_ERROR_NOT_SUPPORTED) {
      first.useCounter = false;
      first.code = await calls.reading("powerUsage", gpu.handle, first.out, subject);
    }
    firsts.push(first);
  }
  return firsts;
}

/**
 * Makes `gpu`'s record from its first reading; a GPU that cannot be read is a skip. The
 * `Gpu`'s callbacks arrive at `countdown`, the reader's one countdown for a round of samples.
 * A call that hangs leaves the record unmade (`calls.hung` says so).
 */
export async function probeGpu(
  calls: DetectCalls,
  gpu: Enumerated,
  notes: readonly string[],
  countdown: Countdown,
  first: FirstReading,
): Promise<Gpu | ReaderSkip> {
  const id = `nvml:${gpu.uuid}`;
  const subject = gpuSubject(gpu);
  const name = (await calls.text("name", gpu.handle, subject)) ?? `NVIDIA GPU ${gpu.index}`;
  const { useCounter, code, out } = first;
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
  const limitWatts = await calls.powerLimitWatts(gpu.handle, subject);
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
      countdown.arrive();
    },
    onUtil: (_error, result) => {
      source.utilCode = typeof result === "number" ? result : -1;
      countdown.arrive();
    },
  };
  return source;
}
