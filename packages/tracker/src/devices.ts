import { readFile } from "node:fs/promises";
import { join } from "node:path";
import {
  type Component,
  type DirListing,
  type MeterOptions,
  nodeSysfsIo,
  type PowerDevice,
  type PowerMeter,
  READERS_OF,
  type ReaderSkip,
  type SimulatedOption,
} from "@wattprint/power";
import type { ResolvedTrackerOptions, TrackerComponent } from "./options.ts";

/** The most descendant processes `devicesByPid` follows; a larger tree is cut there. */
export const MAX_TRACKED_PIDS = 4096;
/**
 * The most `/proc/<pid>/task/<tid>/children` files one look reads (one per thread of each
 * process followed): a process with 100,000 threads would otherwise cost as many reads.
 */
export const MAX_TASK_FILES_READ = 16_384;

/** A metered device and the carbontracker component its energy counts towards. */
export interface TrackedDevice {
  readonly device: PowerDevice;
  readonly component: TrackerComponent;
  /** The name as the logs write it (a comma would split it in two on the way back). */
  readonly logName: string;
}

/**
 * carbontracker's components: `gpu`, and `cpu`, which holds the package and the DRAM (its
 * RAPL handler reports both). `psys` and `machine` overlap them and are left out.
 */
export function trackerComponentOf(kind: Component): TrackerComponent | null {
  if (kind === "gpu") return "gpu";
  if (kind === "cpu" || kind === "dram") return "cpu";
  return null;
}

/** The power meter's options: carbontracker's simulated devices replace every reader. */
export function meterOptionsFor(options: ResolvedTrackerOptions): MeterOptions {
  const simulated: SimulatedOption[] = [];
  if (options.simCpu !== undefined && options.simCpuTdp !== undefined) {
    simulated.push({
      kind: "cpu",
      name: options.simCpu,
      watts: options.simCpuTdp,
      utilisation: options.simCpuUtil,
    });
  }
  if (options.simGpu !== undefined && options.simGpuWatts !== undefined) {
    simulated.push({
      kind: "gpu",
      name: options.simGpu,
      watts: options.simGpuWatts,
      utilisation: options.simGpuUtil,
    });
  }
  return {
    ...(options.power ?? {}),
    components: "all",
    // A power reading long after the last tick (a paused process) is then flagged.
    sampleIntervalS: options.updateInterval,
    ...(simulated.length > 0 ? { simulated } : {}),
  };
}

/** The meter's devices the tracker counts, GPU first as carbontracker lists them. */
export function selectDevices(
  devices: readonly PowerDevice[],
  wanted: readonly TrackerComponent[],
  gpuAllowed: ReadonlySet<string> | null,
): TrackedDevice[] {
  const out: TrackedDevice[] = [];
  for (const component of wanted) {
    for (const device of devices) {
      if (trackerComponentOf(device.kind) !== component) continue;
      // Only NVML knows which processes run on a GPU; other GPUs (simulated, amdgpu, Apple) stay.
      const byPid = component === "gpu" && gpuAllowed !== null && device.reader === "nvml";
      if (byPid && !gpuAllowed.has(device.id)) continue;
      out.push({
        device,
        component,
        logName: logName(device),
      });
    }
  }
  return out;
}

/**
 * `devicesByPid`: the GPUs on which this process or one of its descendants runs, as seen now
 * (carbontracker looks once, at construction). Only NVML GPUs are filtered by it. `cut` says a
 * limit stopped the walk of the process tree (`descendants`), so a GPU used only by a process
 * beyond it is left out.
 */
export async function gpusOfThisProcess(
  meter: PowerMeter,
  pid: number,
  procRoot = "/proc",
): Promise<{ readonly gpus: ReadonlySet<string>; readonly cut: boolean }> {
  const { pids, cut } = await descendants(pid, procRoot);
  const lists = await meter.gpuProcesses();
  const gpus = new Set<string>();
  for (const list of lists) {
    if (list.processes.some((p) => pids.has(p.pid))) gpus.add(list.device);
  }
  return { gpus, cut };
}

/**
 * `pid` and its descendants from `/proc/<pid>/task/<tid>/children` (Linux); `pid` alone
 * elsewhere. At most `MAX_TRACKED_PIDS` processes and `MAX_TASK_FILES_READ` files (`limits`,
 * for tests); `cut` says one of them was reached with more left to read.
 */
export async function descendants(
  pid: number,
  procRoot = "/proc",
  limits: { readonly pids: number; readonly taskFiles: number } = {
    pids: MAX_TRACKED_PIDS,
    taskFiles: MAX_TASK_FILES_READ,
  },
): Promise<{ readonly pids: Set<number>; readonly cut: boolean }> {
  const pids = new Set<number>([pid]);
  const queue = [pid];
  let reads = 0;
  for (let at = 0; at < queue.length; at++) {
    const next = queue[at] as number;
    const tasks = join(procRoot, String(next), "task");
    let listing: DirListing;
    try {
      // Listed within what is left of the read budget: a huge thread list is never held.
      listing = await nodeSysfsIo.listDir(tasks, limits.taskFiles - reads);
    } catch {
      continue; // gone, or not Linux
    }
    for (const tid of listing.names) {
      if (pids.size >= limits.pids) return { pids, cut: true };
      reads++;
      let text: string;
      try {
        text = await readFile(join(tasks, tid, "children"), "utf8");
      } catch {
        continue;
      }
      for (const word of text.split(/\s+/)) {
        const child = Number(word);
        if (word === "" || !Number.isSafeInteger(child) || pids.has(child)) continue;
        if (pids.size >= limits.pids) return { pids, cut: true };
        pids.add(child);
        queue.push(child);
      }
    }
    if (listing.cut) return { pids, cut: true };
  }
  return { pids, cut: false };
}

/**
 * A device's name as the logs can hold it and read it back: commas and line breaks become
 * spaces, and `with device(s)` (which starts a component on the components line) becomes
 * `with devices`; the id when nothing is left.
 */
function logName(device: PowerDevice): string {
  const name = device.name
    .replace(/\s*[,\r\n]+\s*/g, " ")
    .replaceAll("with device(s)", "with devices")
    .trim();
  return name === "" ? device.id : name;
}

/**
 * Why no device was found for the components asked for: the skips of the readers that could
 * have given them (a RAPL skip explains no missing GPU), what was found instead, and how to
 * simulate a GPU where none is.
 */
export function noDevicesMessage(
  options: ResolvedTrackerOptions,
  found: readonly PowerDevice[],
  skipped: readonly ReaderSkip[],
): string {
  const wanted = options.components;
  const why = skipped
    .filter((s) => wanted.some((c) => READERS_OF[c].includes(s.reader)))
    .map((s) => `${s.reader}: ${s.message}`);
  const kinds = [...new Set(found.map((d) => d.kind))];
  const instead = kinds.length === 0 ? "" : `; found only ${kinds.join(", ")} devices`;
  const simulate =
    wanted.includes("gpu") && options.simGpu === undefined
      ? "; simGpu with simGpuWatts simulates a GPU"
      : "";
  return `No components were available for ${wanted.join(",")}${options.devicesByPid ? " (devicesByPid: no GPU runs this process)" : ""}${why.length === 0 ? "" : `: ${why.join("; ")}`}${instead}${simulate}`;
}
