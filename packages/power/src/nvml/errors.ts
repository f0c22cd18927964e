import type { SkipKind } from "../failures.ts";

/** NVML return codes (nvml.h, `nvmlReturn_t`) that the reader explains. */
export const NVML_SUCCESS = 0;
export const NVML_ERROR_UNINITIALIZED = 1;
export const NVML_ERROR_NOT_SUPPORTED = 3;
export const NVML_ERROR_NO_PERMISSION = 4;
export const NVML_ERROR_NOT_FOUND = 6;
export const NVML_ERROR_INSUFFICIENT_SIZE = 7;
export const NVML_ERROR_DRIVER_NOT_LOADED = 9;
export const NVML_ERROR_LIBRARY_NOT_FOUND = 12;
export const NVML_ERROR_FUNCTION_NOT_FOUND = 13;
export const NVML_ERROR_GPU_IS_LOST = 15;
export const NVML_ERROR_RESET_REQUIRED = 16;
export const NVML_ERROR_LIB_RM_VERSION_MISMATCH = 18;

const NAMES: Readonly<Record<number, string>> = {
  0: "NVML_SUCCESS",
  1: "NVML_ERROR_UNINITIALIZED",
  2: "NVML_ERROR_INVALID_ARGUMENT",
  3: "NVML_ERROR_NOT_SUPPORTED",
  4: "NVML_ERROR_NO_PERMISSION",
  5: "NVML_ERROR_ALREADY_INITIALIZED",
  6: "NVML_ERROR_NOT_FOUND",
  7: "NVML_ERROR_INSUFFICIENT_SIZE",
  8: "NVML_ERROR_INSUFFICIENT_POWER",
  9: "NVML_ERROR_DRIVER_NOT_LOADED",
  10: "NVML_ERROR_TIMEOUT",
  11: "NVML_ERROR_IRQ_ISSUE",
  12: "NVML_ERROR_LIBRARY_NOT_FOUND",
  13: "NVML_ERROR_FUNCTION_NOT_FOUND",
  14: "NVML_ERROR_CORRUPTED_INFOROM",
  15: "NVML_ERROR_GPU_IS_LOST",
  16: "NVML_ERROR_RESET_REQUIRED",
  17: "NVML_ERROR_OPERATING_SYSTEM",
  18: "NVML_ERROR_LIB_RM_VERSION_MISMATCH",
  19: "NVML_ERROR_IN_USE",
  20: "NVML_ERROR_MEMORY",
  21: "NVML_ERROR_NO_DATA",
  22: "NVML_ERROR_VGPU_ECC_NOT_SUPPORTED",
  23: "NVML_ERROR_INSUFFICIENT_RESOURCES",
  24: "NVML_ERROR_FREQ_NOT_SUPPORTED",
  25: "NVML_ERROR_ARGUMENT_VERSION_MISMATCH",
  26: "NVML_ERROR_DEPRECATED",
  27: "NVML_ERROR_NOT_READY",
  28: "NVML_ERROR_GPU_NOT_FOUND",
  29: "NVML_ERROR_INVALID_STATE",
  999: "NVML_ERROR_UNKNOWN",
};

/** `NVML_ERROR_GPU_IS_LOST (15)`; an unknown code is named by its number. */
export function nvmlCodeName(code: number): string {
  return `${NAMES[code] ?? "NVML error"} (${code})`;
}

/** What to do about an NVML code, where there is something to do. */
export function nvmlFix(code: number): string | undefined {
  switch (code) {
    case NVML_ERROR_DRIVER_NOT_LOADED:
      return "the NVIDIA kernel driver is not loaded: check with nvidia-smi, load it with sudo modprobe nvidia; in a container, run it with the NVIDIA Container Toolkit (docker run --gpus all)";
    case NVML_ERROR_NO_PERMISSION:
      return "this user may not open /dev/nvidia*: add it to the group owning those devices (often video), or in a container pass the devices with --gpus";
    case NVML_ERROR_LIB_RM_VERSION_MISMATCH:
      return "libnvidia-ml and the loaded kernel module are from different driver versions (a driver upgrade without reboot): reboot, or reload the nvidia modules";
    case NVML_ERROR_GPU_IS_LOST:
      return "the GPU fell off the bus: check dmesg for Xid errors; it needs a reset (nvidia-smi -r) or a reboot";
    case NVML_ERROR_RESET_REQUIRED:
      return "the GPU needs a reset: nvidia-smi -r, or reboot";
    case NVML_ERROR_LIBRARY_NOT_FOUND:
    case NVML_ERROR_FUNCTION_NOT_FOUND:
      return "the NVIDIA driver is too old for this call: update the driver";
    case NVML_ERROR_UNINITIALIZED:
      return "NVML was shut down while this reading was running (the meter was closed)";
    default:
      return undefined;
  }
}

/** The skip kind for a failed nvmlInit_v2. */
export function initSkipKind(code: number): SkipKind {
  if (code === NVML_ERROR_DRIVER_NOT_LOADED || code === NVML_ERROR_LIBRARY_NOT_FOUND)
    return "no-driver";
  if (code === NVML_ERROR_NO_PERMISSION) return "no-permission";
  return "driver-error";
}
