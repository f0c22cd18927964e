/**
 * The choice of GPUs to measure among those NVML reports: `CUDA_VISIBLE_DEVICES` as CUDA reads
 * it, a MIG instance mapped to its parent GPU (the only thing NVML can measure), and the notes
 * that say so on the device.
 */

import { type ReaderSkip, readerSkip } from "../failures.ts";
import { type DetectCalls, gpuSubject } from "./detect-calls.ts";
import type { Enumerated } from "./enumerate.ts";
import { NVML_SUCCESS } from "./errors.ts";
import { clip } from "./text.ts";
import { parseVisibleDevices, type VisibleEntry } from "./visible-devices.ts";

/** A GPU to measure, with the notes its device record will carry. */
export interface ChosenGpu {
  readonly gpu: Enumerated;
  readonly notes: string[];
}

/** Where the choice comes from: `NvmlOptions`' fields of the same names. */
export interface VisibleOptions {
  readonly cudaVisibleDevices?: string | null;
  readonly cudaDeviceOrder?: string;
}

/**
 * Applies CUDA_VISIBLE_DEVICES; returns each chosen GPU once with its MIG notes. A call that
 * hangs ends the choice (`calls.hung` says so).
 */
export async function chooseGpus(
  calls: DetectCalls,
  all: readonly Enumerated[],
  skipped: ReaderSkip[],
  options: VisibleOptions,
): Promise<ChosenGpu[]> {
  const raw =
    options.cudaVisibleDevices === undefined
      ? process.env.CUDA_VISIBLE_DEVICES
      : options.cudaVisibleDevices;
  const visible = parseVisibleDevices(raw ?? undefined);
  if (visible.all) {
    const chosen: ChosenGpu[] = [];
    for (const gpu of all) chosen.push({ gpu, notes: await migModeNote(calls, gpu) });
    return chosen;
  }
  const chosen = new Map<string, ChosenGpu>();
  let stoppedAt: string[] = [...visible.invalid];
  let usedIndex = false;
  for (let i = 0; i < visible.entries.length; i++) {
    const entry = visible.entries[i] as VisibleEntry;
    const resolved = await resolve(calls, entry, all);
    if (calls.hung !== null) return [];
    if (resolved === undefined) {
      stoppedAt = visible.entries
        .slice(i)
        .map((e) => e.text)
        .concat(visible.invalid);
      break;
    }
    usedIndex ||= entry.kind === "index";
    const existing = chosen.get(resolved.gpu.uuid);
    if (existing === undefined)
      chosen.set(resolved.gpu.uuid, { gpu: resolved.gpu, notes: [...resolved.notes] });
    else existing.notes.push(...resolved.notes);
  }
  if (stoppedAt.length > 0) {
    skipped.push(
      readerSkip(
        "nvml",
        "malformed",
        `CUDA_VISIBLE_DEVICES="${clip(raw ?? "")}": "${clip(stoppedAt[0] ?? "")}" is not a GPU of this machine (an index below ${all.length}, or a GPU-/MIG- UUID NVML knows); CUDA stops at it and ignores ${stoppedAt.length > 1 ? `it and ${stoppedAt.length - 1} entries after it (${clip(stoppedAt.slice(1, 8).join(", "))}${stoppedAt.length > 8 ? ", …" : ""})` : "it"}, and so does this reader`,
        {
          device: clip(stoppedAt[0] ?? ""),
          fix: "list the GPUs with nvidia-smi -L and correct CUDA_VISIBLE_DEVICES",
        },
      ),
    );
  }
  if (chosen.size === 0 && stoppedAt.length === 0) {
    skipped.push(
      readerSkip(
        "nvml",
        "not-present",
        `CUDA_VISIBLE_DEVICES="${clip(raw ?? "")}" hides every GPU from this process`,
      ),
    );
  }
  const order = options.cudaDeviceOrder ?? process.env.CUDA_DEVICE_ORDER;
  if (usedIndex && all.length > 1 && order !== "PCI_BUS_ID") {
    for (const entry of chosen.values()) {
      entry.notes.push(
        "CUDA_VISIBLE_DEVICES indices are read as NVML indices (PCI bus order); CUDA numbers GPUs fastest first unless CUDA_DEVICE_ORDER=PCI_BUS_ID: set it so both agree",
      );
    }
  }
  return [...chosen.values()];
}

async function resolve(
  calls: DetectCalls,
  entry: VisibleEntry,
  all: readonly Enumerated[],
): Promise<ChosenGpu | undefined> {
  switch (entry.kind) {
    case "index": {
      const gpu = all.find((g) => g.index === entry.index);
      return gpu === undefined ? undefined : { gpu, notes: await migModeNote(calls, gpu) };
    }
    case "gpu-uuid": {
      const matches = all.filter((g) =>
        g.uuid.toLowerCase().startsWith(entry.prefix.toLowerCase()),
      );
      const gpu = matches[0];
      return matches.length === 1 && gpu !== undefined
        ? { gpu, notes: await migModeNote(calls, gpu) }
        : undefined;
    }
    case "mig-legacy": {
      const gpu = all.find((g) => g.uuid.toLowerCase() === entry.gpuUuid.toLowerCase());
      return gpu === undefined ? undefined : { gpu, notes: [migNote(entry.text, gpu.uuid)] };
    }
    case "mig-uuid": {
      if (!calls.findsMigParents) return undefined;
      const instance = await calls.handleByUuid(entry.uuid);
      if (instance.code !== NVML_SUCCESS) return undefined;
      const subject = { name: "MIG instance", id: entry.uuid, device: `nvml:${entry.uuid}` };
      const parent = await calls.parentOfMig(instance.handle, subject);
      if (parent === undefined || parent.code !== NVML_SUCCESS) return undefined;
      const parentUuid = await calls.text("uuid", parent.handle, subject);
      const gpu = all.find((g) => g.uuid === parentUuid);
      return gpu === undefined ? undefined : { gpu, notes: [migNote(entry.uuid, gpu.uuid)] };
    }
  }
}

async function migModeNote(calls: DetectCalls, gpu: Enumerated): Promise<string[]> {
  const on = await calls.migEnabled(gpu.handle, gpuSubject(gpu));
  return on ? ["MIG mode is on: the energy is the whole GPU's, shared by all its instances"] : [];
}

function migNote(instance: string, parentUuid: string): string {
  return `MIG instance ${instance} runs on this GPU (${parentUuid}); NVML measures only whole GPUs, so the energy includes every instance's work`;
}
