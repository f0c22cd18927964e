import type { TrackerOptions } from "./options.ts";

/** What the apps take on their command lines: watts drawn by a simulated CPU and/or GPU. */
export interface SimulatedWatts {
  readonly cpuW?: number | undefined;
  readonly gpuW?: number | undefined;
}

/**
 * The tracker options for simulated devices that draw exactly the given watts: carbontracker's
 * `sim_cpu`/`sim_gpu` at 100 % utilisation. One place for the mapping the CLI's `track` and
 * `measure` and the bus node's measurer all need; the names are what logs and summaries show.
 */
export function simulatedDeviceOptions(
  watts: SimulatedWatts,
  names: { readonly cpu: string; readonly gpu: string } = {
    cpu: "Simulated CPU",
    gpu: "Simulated GPU",
  },
): Pick<
  TrackerOptions,
  "simCpu" | "simCpuTdp" | "simCpuUtil" | "simGpu" | "simGpuWatts" | "simGpuUtil"
> {
  return {
    ...(watts.cpuW === undefined
      ? {}
      : { simCpu: names.cpu, simCpuTdp: watts.cpuW, simCpuUtil: 1 }),
    ...(watts.gpuW === undefined
      ? {}
      : { simGpu: names.gpu, simGpuWatts: watts.gpuW, simGpuUtil: 1 }),
  };
}
