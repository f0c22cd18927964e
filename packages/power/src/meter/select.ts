import type { Component, PowerDevice, ReaderId } from "../device.ts";

/** Does a `--device` filter name this device: its id, its name (any case), or an id pattern with `*`. */
export function deviceMatches(filter: string, device: PowerDevice): boolean {
  const f = filter.trim();
  if (f === device.id || f.toLowerCase() === device.name.toLowerCase()) return true;
  if (!f.includes("*")) return false;
  const pattern = new RegExp(`^${f.split("*").map(escapeRegExp).join(".*")}$`, "i");
  return pattern.test(device.id);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.+?^${}()|[\]\\]/g, "\\$&");
}

/** The readers that can provide a component, to explain its absence. */
export const READERS_OF: Readonly<Record<Component, readonly ReaderId[]>> = {
  cpu: ["rapl", "powermetrics", "model", "sim_cpu"],
  dram: ["rapl", "model"],
  gpu: ["nvml", "amdgpu", "powermetrics", "sim_gpu"],
  psys: ["rapl"],
  machine: [],
};
