/** What the NVML reader says once a call to the driver did not return in time. */

/** What to do about a driver that does not answer. */
export const HUNG_FIX =
  "check nvidia-smi and dmesg for Xid errors; the GPU may need a reset (nvidia-smi -r) or a reboot, then start this process again";

/** The NVML call that reads a GPU: its energy counter, or its power where it has none. */
export function readingCall(useCounter: boolean): string {
  return useCounter ? "nvmlDeviceGetTotalEnergyConsumption" : "nvmlDeviceGetPowerUsage";
}

/**
 * Why NVML is no longer called, once a call outlived its deadline; `at` says when, where it
 * is not a sample (" at detect").
 */
export function hungText(
  call: string,
  gpu: { readonly name: string; readonly id: string },
  ms: number,
  at = "",
): string {
  return `${call} for ${gpu.name} (${gpu.id}) did not return within ${ms} ms${at}: the GPU or its driver is hung, and NVML is not called again by this reader`;
}
