import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type {
  Component,
  MeterOptions,
  PowerDevice,
  PowerMeter,
  SimulatedOption,
} from "@wattprint/power";
import type { ResolvedTrackerOptions, TrackerComponent } from "./options.ts";

/** The most descendant processes `devicesByPid` follows; a larger tree is cut there. */
export const MAX_TRACKED_PIDS = 4096;

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
        logName: device.name.replace(/\s*[,\r\n]+\s*/g, " ").trim() || device.id,
      });
    }
  }
  return out;
}

/**
 * `devicesByPid`: the GPUs on which this process or one of its descendants runs, as seen now
 * (carbontracker looks once, at construction). Only NVML GPUs are filtered by it.
 */
export async function gpusOfThisProcess(
  meter: PowerMeter,
  pid: number,
  procRoot = "/proc",
): Promise<ReadonlySet<string>> {
  const pids = await descendants(pid, procRoot);
  const lists = await meter.gpuProcesses();
  const out = new Set<string>();
  for (const list of lists) {
    if (list.processes.some((p) => pids.has(p.pid))) out.add(list.device);
  }
  return out;
}

/** `pid` and its descendants from `/proc/<pid>/task/<tid>/children` (Linux); `pid` alone elsewhere. */
export async function descendants(pid: number, procRoot = "/proc"): Promise<Set<number>> {
  const seen = new Set<number>([pid]);
  const queue = [pid];
  while (queue.length > 0 && seen.size < MAX_TRACKED_PIDS) {
    const next = queue.shift() as number;
    let tasks: string[];
    try {
      tasks = await readdir(join(procRoot, String(next), "task"));
    } catch {
      continue; // gone, or not Linux
    }
    for (const tid of tasks) {
      let text: string;
      try {
        text = await readFile(join(procRoot, String(next), "task", tid, "children"), "utf8");
      } catch {
        continue;
      }
      for (const word of text.split(/\s+/)) {
        const child = Number(word);
        if (word === "" || !Number.isSafeInteger(child) || seen.has(child)) continue;
        if (seen.size >= MAX_TRACKED_PIDS) break;
        seen.add(child);
        queue.push(child);
      }
    }
  }
  return seen;
}
