import { err, type Failure, failure, ok, type Result } from "@wattprint/result";
import type { SourceRef } from "../provenance.ts";
import { watts } from "../units/quantity.ts";
import type { PowerEstimate } from "./power.ts";

/**
 * Power of system memory (DIMMs). Accelerator memory (HBM, GDDR) is inside the board power
 * and Apple/Jetson/Grace memory inside their rows: do not add this for those.
 *
 * Primary model (`per-module`): each loaded DDR4/DDR5 RDIMM draws a fixed part (register,
 * PMIC, I/O, refresh) plus a part that grows with its capacity, a straight line through two
 * published figures: about 5 W for a common module (Crucial/Micron's per-module figure) and
 * 10 W for Micron's 128 GB DDR5 RDIMM at DDR5-4800. So W/GB tapers as modules grow: 0.16 W/GB
 * for a 32 GB module, 0.078 W/GB for 128 GB. A flat per-GB constant reported RAM above GPU
 * power on 1 TB hosts (CodeCarbon issue #629); a flat per-module one ignores that a 128 GB
 * module draws twice a 32 GB one. The per-GB model stays available for comparison with
 * older tools.
 */
export type MemoryModel = "per-module" | "per-gb";

export const memorySources = {
  moduleLarge: {
    id: "micron-ddr5-128gb-rdimm-10w",
    title:
      "Micron at NVIDIA GTC 2024, reported by Tom's Hardware as quoted by APH Networks: its " +
      "128 GB DDR5-8000 RDIMM draws 10 W at DDR5-4800; the tall 256 GB DDR5-8800 MCRDIMM about 20 W",
    url: "https://www.aphnetworks.com/news/28479-micron-shows-massive-256gb-ddr5-8800-memory-sticks",
    year: 2024,
    licence: "public specification fact",
  },
  moduleSmall: {
    id: "crucial-5w-per-module",
    title:
      "Crucial (Micron), How much power does memory use?: estimate 5 W per module for standard " +
      "memory; registered parts with more DRAM devices draw more",
    url: "https://www.crucial.com/support/articles-faq-memory/how-much-power-does-memory-use",
    year: 2024,
    licence: "public specification fact",
  },
  perGb: {
    id: "codecarbon-v2-ram-per-gb",
    title: "CodeCarbon v2 methodology, RAM: 3 W per 8 GB (0.375 W/GB), attributed to Crucial",
    url: "https://mlco2.github.io/codecarbon/methodology.html",
    year: 2022,
    licence: "public constant (MIT-licensed documentation)",
  },
} as const satisfies Record<string, SourceRef>;

/** The two published module figures the per-module line goes through. */
export const MODULE_FIGURES = [
  { gigabytes: 32, watts: 5, sourceId: memorySources.moduleSmall.id },
  { gigabytes: 128, watts: 10, sourceId: memorySources.moduleLarge.id },
] as const;

const [small, large] = MODULE_FIGURES;
/** W per GB of module capacity: (10 - 5) W / (128 - 32) GB. */
export const MODULE_WATTS_PER_GB =
  (large.watts - small.watts) / (large.gigabytes - small.gigabytes);
/** W per module whatever its size: 5 W - 32 GB x the slope = 3.33 W. */
export const MODULE_FIXED_WATTS = small.watts - small.gigabytes * MODULE_WATTS_PER_GB;

/** 3 W per 8 GB. */
export const WATTS_PER_GB = 3 / 8;

/** Module sizes assumed when the count is unknown, and the modules a 2-socket board fills. */
export const ASSUMED_MODULE_SIZES_GB = [32, 64, 128, 256] as const;
export const ASSUMED_MAX_MODULES = 16;

/** Power of one module of `gigabytes` under the per-module line. */
export function modulePowerW(gigabytes: number): number {
  return MODULE_FIXED_WATTS + MODULE_WATTS_PER_GB * gigabytes;
}

/**
 * How many modules hold `gigabytes` when nobody said: the smallest common RDIMM size (32 GB
 * and up) that needs at most 16 modules, one per channel of a 2-socket, 8-channel server;
 * past 16 x 256 GB, as many 256 GB modules as it takes. A small machine gets one module.
 */
export function assumedModules(gigabytes: number): { count: number; moduleGB: number } {
  if (gigabytes <= 0) return { count: 0, moduleGB: 0 };
  if (gigabytes <= (ASSUMED_MODULE_SIZES_GB[0] ?? 32)) return { count: 1, moduleGB: gigabytes };
  const size =
    ASSUMED_MODULE_SIZES_GB.find((s) => gigabytes / s <= ASSUMED_MAX_MODULES) ??
    ASSUMED_MODULE_SIZES_GB[ASSUMED_MODULE_SIZES_GB.length - 1] ??
    256;
  return { count: Math.ceil(gigabytes / size), moduleGB: size };
}

export interface MemoryPowerOptions {
  /** Installed modules, e.g. from `dmidecode -t memory`; estimated from capacity if absent. */
  readonly dimms?: number;
  readonly model?: MemoryModel;
}

export interface InvalidMemory extends Failure<"invalid-memory"> {
  readonly field: "gigabytes" | "dimms";
  readonly value: number;
}

const round = (value: number, digits: number): number => Number(value.toFixed(digits));

export function memoryPower(
  gigabytes: number,
  options: MemoryPowerOptions = {},
): Result<PowerEstimate, InvalidMemory> {
  if (!Number.isFinite(gigabytes) || gigabytes < 0) {
    const message = `memory size must be a finite number of GB >= 0, got ${gigabytes}`;
    return err(failure("invalid-memory", message, { field: "gigabytes", value: gigabytes }));
  }
  if (options.model === "per-gb") {
    return ok({
      ...watts(gigabytes * WATTS_PER_GB),
      provenance: {
        source: memorySources.perGb,
        method: `${WATTS_PER_GB} W/GB × ${gigabytes} GB`,
      },
    });
  }
  const { dimms } = options;
  if (dimms !== undefined && (!Number.isInteger(dimms) || dimms < 0)) {
    const message = `DIMM count must be a whole number >= 0, got ${dimms}`;
    return err(failure("invalid-memory", message, { field: "dimms", value: dimms }));
  }
  const assumed = assumedModules(gigabytes);
  // Modules with no capacity draw nothing: 0 GB is no memory whatever the count says.
  const count = gigabytes === 0 ? 0 : (dimms ?? assumed.count);
  const counted =
    dimms === undefined
      ? `${count} module(s) assumed (${assumed.moduleGB} GB each)`
      : `${count} module(s)`;
  const fixed = round(MODULE_FIXED_WATTS, 2);
  const slope = round(MODULE_WATTS_PER_GB, 4);
  return ok({
    ...watts(count * MODULE_FIXED_WATTS + gigabytes * MODULE_WATTS_PER_GB),
    provenance: {
      source: memorySources.moduleLarge,
      method: `${counted} × ${fixed} W + ${slope} W/GB × ${gigabytes} GB (loaded DDR4/DDR5 RDIMMs)`,
      note:
        `a line through ${small.watts} W for a ${small.gigabytes} GB module (Crucial) and ` +
        `${large.watts} W for a ${large.gigabytes} GB DDR5 RDIMM (Micron)`,
    },
  });
}

/** Module size assumed in a cloud host, whose population the provider does not publish. */
export const HOST_MODULE_GB = 64;

/**
 * Memory of a slice of a shared host (a cloud VM): its GB at the per-GB power of the host's
 * modules, assumed 64 GB RDIMMs. A VM has no modules of its own, so the per-module fixed part
 * is shared out by capacity rather than counted once per VM.
 */
export function memorySlicePower(gigabytes: number): Result<PowerEstimate, InvalidMemory> {
  if (!Number.isFinite(gigabytes) || gigabytes < 0) {
    const message = `memory size must be a finite number of GB >= 0, got ${gigabytes}`;
    return err(failure("invalid-memory", message, { field: "gigabytes", value: gigabytes }));
  }
  const perGb = modulePowerW(HOST_MODULE_GB) / HOST_MODULE_GB;
  return ok({
    ...watts(gigabytes * perGb),
    provenance: {
      source: memorySources.moduleLarge,
      method:
        `${gigabytes} GB × ${round(perGb, 4)} W/GB, a share of the host's ${HOST_MODULE_GB} GB ` +
        `RDIMMs (${round(modulePowerW(HOST_MODULE_GB), 2)} W each on the per-module line)`,
    },
  });
}
