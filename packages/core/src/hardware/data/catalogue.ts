import type { HardwareProfile } from "../profile.ts";
import { nvidiaAccelerators } from "./accelerators-nvidia.ts";
import { otherAccelerators } from "./accelerators-other.ts";
import { amdCpus } from "./cpus-amd.ts";
import { armCpus } from "./cpus-arm.ts";
import { cloudCpus } from "./cpus-cloud.ts";
import { intelCpus } from "./cpus-intel.ts";

/** CPUs and SoCs that stand in for a CPU (Apple M-series). */
export const cpuProfiles: readonly HardwareProfile[] = [
  ...intelCpus,
  ...amdCpus,
  ...armCpus,
  ...cloudCpus,
];

/** GPUs, TPUs, NPUs and Jetson modules. */
export const acceleratorProfiles: readonly HardwareProfile[] = [
  ...nvidiaAccelerators,
  ...otherAccelerators,
];

export const hardwareProfiles: readonly HardwareProfile[] = [
  ...cpuProfiles,
  ...acceleratorProfiles,
];
