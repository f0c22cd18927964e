/**
 * The checks at detect that skip NVML before any GPU is read: no kernel driver, a library path
 * that is not a library, a library or koffi that will not load, an `nvmlInit_v2` that fails or
 * does not return. Each gives the skip's words and its fix.
 */

import { access, stat } from "node:fs/promises";
import { type ReaderSkip, readerSkip } from "../failures.ts";
import type { Detection } from "../source.ts";
import type { NvmlBindings } from "./bindings.ts";
import { initSkipKind, nvmlCodeName, nvmlFix } from "./errors.ts";
import { HUNG_FIX } from "./hung.ts";
import { firstLine, safeErrorString } from "./text.ts";

/** Where the library comes from: `library` as `NvmlSource` resolved it, `named` when the user named it. */
export interface LibraryChoice {
  readonly library: string;
  readonly named: boolean;
}

export function skipOnly(skip: ReaderSkip): Detection {
  return { devices: [], skipped: [skip] };
}

/**
 * NVML answers only through the NVIDIA kernel driver, which shows itself as
 * /proc/driver/nvidia (on a host, and in a container given GPUs) or, under WSL 2, as
 * /dev/dxg. Without either, nvmlInit could only fail, so koffi and the library are not
 * loaded at all: loading them cost about 20-50 ms of CPU at every `wattprint track` on a
 * machine without a GPU (issue 13). A library named by the user is always tried.
 */
export async function noKernelDriver(
  library: string,
  procRoot: string | undefined,
  devRoot: string | undefined,
): Promise<ReaderSkip | null> {
  const proc = `${procRoot ?? "/proc"}/driver/nvidia`;
  const dxg = `${devRoot ?? "/dev"}/dxg`;
  const present = await Promise.all(
    [proc, dxg].map((path) =>
      access(path).then(
        () => true,
        () => false,
      ),
    ),
  );
  if (present.includes(true)) return null;
  const fix = `install the NVIDIA driver; in a container use the NVIDIA Container Toolkit (docker run --gpus all); or point WATTPRINT_NVML_LIBRARY at ${library} to try it anyway`;
  return readerSkip(
    "nvml",
    "no-driver",
    `no NVIDIA kernel driver is loaded (neither ${proc} nor ${dxg} exists), so ${library} was not loaded. Fix: ${fix}`,
    { fix },
  );
}

/**
 * A library path the user named that is a FIFO, a device or a directory: `dlopen` (koffi's
 * load, synchronous on the main thread) would block on a FIFO until a writer came, freezing
 * the event loop, perhaps forever. A bare name (`libnvidia-ml.so.1`) is left to the loader.
 */
export async function notALibraryFile({
  library,
  named,
}: LibraryChoice): Promise<ReaderSkip | null> {
  if (!named || !/[/\\]/.test(library)) return null;
  const stats = await stat(library).catch(() => null);
  if (stats === null || stats.isFile()) return null; // a missing file: the loader says so
  const what = stats.isDirectory()
    ? "a directory"
    : stats.isFIFO()
      ? "a FIFO"
      : "not a regular file";
  const fix = `${library} was named as the NVML library (WATTPRINT_NVML_LIBRARY or the library option) and is ${what}: point it at the driver's libnvidia-ml.so.1, or unset it`;
  return readerSkip("nvml", "no-driver", `cannot load ${library}: ${what}. Fix: ${fix}`, {
    fix,
  });
}

export function bindSkip(
  { library, named }: LibraryChoice,
  stage: "koffi" | "library" | "symbol",
  message: string,
): ReaderSkip {
  if (stage === "koffi") {
    return readerSkip(
      "nvml",
      "unsupported-platform",
      `koffi, which calls NVML, has no binary for ${process.platform}-${process.arch}: ${message}`,
    );
  }
  if (stage === "library") {
    // A library the user named (WATTPRINT_NVML_LIBRARY, the `library` option) is theirs to
    // fix; the driver does not ship a file of their choosing.
    const fix = named
      ? `${library} was named as the NVML library (WATTPRINT_NVML_LIBRARY or the library option) and is not one: point it at the driver's libnvidia-ml.so.1, or unset it`
      : `install the NVIDIA driver (it ships ${library}); in a container use the NVIDIA Container Toolkit (docker run --gpus all); or point WATTPRINT_NVML_LIBRARY at the library`;
    return readerSkip(
      "nvml",
      "no-driver",
      `cannot load ${library}: ${firstLine(message)}. Fix: ${fix}`,
      { fix },
    );
  }
  return readerSkip(
    "nvml",
    "driver-error",
    `${library} lacks a function NVML has had since driver R410 (${firstLine(message)}): update the NVIDIA driver`,
    { fix: "update the NVIDIA driver" },
  );
}

/** `nvmlInit_v2` did not return within `ms`. */
export function initTimedOutSkip(library: string, ms: number): ReaderSkip {
  return readerSkip(
    "nvml",
    "driver-error",
    `nvmlInit_v2 in ${library} did not return within ${ms} ms: the NVIDIA driver is not answering, and NVML is skipped. Fix: ${HUNG_FIX}`,
    { fix: HUNG_FIX },
  );
}

/** `nvmlInit_v2` returned `code`, not success. */
export function initFailedSkip(nvml: NvmlBindings, code: number): ReaderSkip {
  const fix = nvmlFix(code);
  return readerSkip(
    "nvml",
    initSkipKind(code),
    `nvmlInit_v2 failed with ${nvmlCodeName(code)} "${safeErrorString(nvml, code)}"${fix === undefined ? "" : `: ${fix}`}`,
    fix === undefined ? {} : { fix },
  );
}
