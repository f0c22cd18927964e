/** What the NVML reader says once a call to the driver did not return in time. */

import type { PowerDevice } from "../device.ts";

/** What to do about a driver that does not answer. */
export const HUNG_FIX =
  "check nvidia-smi and dmesg for Xid errors; the GPU may need a reset (nvidia-smi -r) or a reboot, then start this process again";

/** Why NVML is no longer called, once a call outlived its deadline. */
export function hungText(call: string, device: PowerDevice, ms: number): string {
  return `${call} for ${device.name} (${device.id}) did not return within ${ms} ms: the GPU or its driver is hung, and NVML is not called again by this reader`;
}
