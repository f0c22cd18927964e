import type { Component, PowerDevice, ReaderId } from "../device.ts";

/** Does a `--device` filter name this device: its id, its name (any case), or an id pattern with `*`. */
export function deviceMatches(filter: string, device: PowerDevice): boolean {
  const f = filter.trim();
  if (f === device.id || f.toLowerCase() === device.name.toLowerCase()) return true;
  if (!f.includes("*")) return false;
  return globMatches(f.toLowerCase(), device.id.toLowerCase());
}

/**
 * Whether `text` matches `pattern`, where `*` stands for any run of characters and every
 * other character for itself. Linear in practice and O(pattern × text) at worst: a star
 * only ever resumes from the latest one. A backtracking regex built from the filter took
 * 53 s for "**********!" against an NVML id, with the event loop blocked throughout.
 */
export function globMatches(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let star = -1;
  let resume = 0;
  while (t < text.length) {
    if (p < pattern.length && pattern[p] !== "*" && pattern[p] === text[t]) {
      p++;
      t++;
    } else if (p < pattern.length && pattern[p] === "*") {
      star = p++;
      resume = t;
    } else if (star >= 0) {
      p = star + 1;
      t = ++resume;
    } else return false;
  }
  while (p < pattern.length && pattern[p] === "*") p++;
  return p === pattern.length;
}

/** The readers that can provide a component, to explain its absence. */
export const READERS_OF: Readonly<Record<Component, readonly ReaderId[]>> = {
  cpu: ["rapl", "powermetrics", "model", "sim_cpu"],
  dram: ["rapl", "model"],
  gpu: ["nvml", "amdgpu", "powermetrics", "sim_gpu"],
  psys: ["rapl"],
  machine: [],
};
