/**
 * The NVML calls the reader makes, bound through koffi (a prebuilt FFI: no compiler at
 * install time). Every call returns an `nvmlReturn_t`; outputs go into typed arrays the
 * caller owns, so a call on the sampling path allocates nothing of ours. Handles
 * (`nvmlDevice_t`) are koffi's BigInt pointers.
 */

import type { TypeObject } from "koffi";

/** The callback of an asynchronous call: koffi's error (a programming error) or the NVML code. */
export type NvmlCallback = (error: unknown, code: number) => void;

export interface AsyncCall<A extends unknown[]> {
  (...args: A): number;
  async(...args: [...A, NvmlCallback]): void;
}

export interface NvmlBindings {
  /** `nvmlInit_v2`: can take a second with persistence mode off, so it is called asynchronously. */
  readonly init: AsyncCall<[]>;
  /** `nvmlShutdown`: on the read thread or koffi's pool, never here (the driver may tear GPUs down). */
  readonly shutdown: AsyncCall<[]>;
  readonly errorString: (code: number) => string;
  // The calls at detect run on the read thread (by symbol, `read-thread-layout.ts`) or, without it,
  // here on koffi's thread pool (`detect-calls.ts`); a handle comes out as two 32-bit words.
  readonly deviceCount: AsyncCall<[Uint32Array]>;
  readonly handleByIndex: AsyncCall<[number, Uint32Array]>;
  readonly handleByUuid: AsyncCall<[string, Uint32Array]>;
  /** Text into a byte buffer: `nvmlDeviceGetName`, `nvmlDeviceGetUUID`. */
  readonly name: AsyncCall<[bigint, Uint8Array, number]>;
  readonly uuid: AsyncCall<[bigint, Uint8Array, number]>;
  /** Millijoules since the driver loaded, into two 32-bit halves (no BigInt per read). */
  readonly totalEnergy: AsyncCall<[bigint, Uint32Array]>;
  /** Milliwatts. */
  readonly powerUsage: AsyncCall<[bigint, Uint32Array]>;
  /** Milliwatts. */
  readonly enforcedPowerLimit: AsyncCall<[bigint, Uint32Array]>;
  /** Percent busy of the GPU and of its memory, into two 32-bit slots. */
  readonly utilisation: AsyncCall<[bigint, Uint32Array]>;
  /**
   * `nvmlDeviceGetComputeRunningProcesses_v3` (`_v2` on drivers without it): count in, count
   * out, 24-byte records; the version says which, for the read thread to bind the same one.
   */
  readonly computeProcesses:
    | { readonly version: 3 | 2; readonly call: AsyncCall<[bigint, Uint32Array, Uint8Array]> }
    | undefined;
  readonly migMode: AsyncCall<[bigint, Uint32Array, Uint32Array]> | undefined;
  readonly parentOfMig: AsyncCall<[bigint, Uint32Array]> | undefined;
}

export type BindOutcome =
  | { readonly ok: true; readonly bindings: NvmlBindings }
  | {
      readonly ok: false;
      readonly stage: "koffi" | "library" | "symbol";
      readonly message: string;
    };

/**
 * Loads koffi and the library. koffi is imported here, not at the top of the module, so that a
 * platform without a koffi binary (or a process that never asks for GPUs) never loads it.
 */
export async function bindNvml(libraryPath: string): Promise<BindOutcome> {
  let koffi: typeof import("koffi");
  try {
    koffi = await import("koffi");
  } catch (error) {
    return { ok: false, stage: "koffi", message: messageOf(error) };
  }
  let lib: ReturnType<typeof koffi.load>;
  try {
    lib = koffi.load(libraryPath);
  } catch (error) {
    return { ok: false, stage: "library", message: messageOf(error) };
  }
  const optional = <T>(bind: () => T): T | undefined => {
    try {
      return bind();
    } catch {
      return undefined;
    }
  };
  try {
    const device = koffi.pointer(koffi.opaque());
    const f = (name: string, args: (string | TypeObject)[]) => lib.func(name, "int", args);
    const bindings: NvmlBindings = {
      init: f("nvmlInit_v2", []),
      shutdown: f("nvmlShutdown", []),
      errorString: lib.func("nvmlErrorString", "str", ["int"]),
      deviceCount: f("nvmlDeviceGetCount_v2", ["void *"]),
      handleByIndex: f("nvmlDeviceGetHandleByIndex_v2", ["uint", "void *"]),
      handleByUuid: f("nvmlDeviceGetHandleByUUID", ["str", "void *"]),
      name: f("nvmlDeviceGetName", [device, "void *", "uint"]),
      uuid: f("nvmlDeviceGetUUID", [device, "void *", "uint"]),
      totalEnergy: f("nvmlDeviceGetTotalEnergyConsumption", [device, "void *"]),
      powerUsage: f("nvmlDeviceGetPowerUsage", [device, "void *"]),
      enforcedPowerLimit: f("nvmlDeviceGetEnforcedPowerLimit", [device, "void *"]),
      utilisation: f("nvmlDeviceGetUtilizationRates", [device, "void *"]),
      computeProcesses: processesBinding((version) =>
        f(`nvmlDeviceGetComputeRunningProcesses_v${version}`, [device, "void *", "void *"]),
      ),
      migMode: optional(() => f("nvmlDeviceGetMigMode", [device, "void *", "void *"])),
      parentOfMig: optional(() =>
        f("nvmlDeviceGetDeviceHandleFromMigDeviceHandle", [device, "void *"]),
      ),
    };
    return { ok: true, bindings };
  } catch (error) {
    return { ok: false, stage: "symbol", message: messageOf(error) };
  }
}

/** The process listing of the newest version the library has, or undefined. */
function processesBinding<T>(bind: (version: 3 | 2) => T): { version: 3 | 2; call: T } | undefined {
  for (const version of [3, 2] as const) {
    try {
      return { version, call: bind(version) };
    } catch {
      // Not in this library: an older version, or none.
    }
  }
  return undefined;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Size of `nvmlProcessInfo_t` (v2/v3): pid u32, pad, usedGpuMemory u64, gpuInstanceId u32, computeInstanceId u32. */
export const PROCESS_INFO_BYTES = 24;
/** NVML_VALUE_NOT_AVAILABLE for a u64 field (per-process memory under some drivers and in MIG). */
export const VALUE_NOT_AVAILABLE = 0xffffffffffffffffn;
