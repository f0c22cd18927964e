import { err, type Failure, failure, ok, type Result } from "@wattprint/result";
import type { SourceRef } from "../provenance.ts";
import { watts } from "../units/quantity.ts";
import type { PowerEstimate } from "./power.ts";

/**
 * Power of system memory (DIMMs). Accelerator memory (HBM, GDDR) is inside the board power
 * and Apple/Jetson/Grace memory inside their rows: do not add this for those.
 *
 * Primary model: a fixed power per module. A DIMM's power comes mostly from its DRAM devices'
 * background and refresh current and grows far less than its capacity (a 64 GB RDIMM does not
 * draw four times a 16 GB one), which is why a per-GB constant reported RAM above GPU power
 * on 1 TB hosts (CodeCarbon issue #629). The per-GB model stays available for comparison
 * with older tools.
 */
export type MemoryModel = "per-dimm" | "per-gb";

export const memorySources = {
  perDimm: {
    id: "codecarbon-ram-per-dimm",
    title: "CodeCarbon methodology, RAM power: 5 W per DIMM on x86 (v3, PR #804)",
    url: "https://mlco2.github.io/codecarbon/methodology.html",
    year: 2025,
    licence: "public constant (MIT-licensed documentation)",
  },
  perGb: {
    id: "crucial-memory-power",
    title: "Crucial, How much power does memory use? (rule of thumb: 3 W per 8 GB DDR3/DDR4)",
    url: "https://www.crucial.com/support/articles-faq-memory/how-much-power-does-memory-use",
    year: 2019,
    licence: "public specification fact",
  },
} as const satisfies Record<string, SourceRef>;

/** A DDR4/DDR5 DIMM under load; a round figure at the high end of loaded RDIMM power. */
export const WATTS_PER_DIMM = 5;
/** 3 W per 8 GB. */
export const WATTS_PER_GB = 3 / 8;
/** Module size assumed when the DIMM count is unknown: the common server RDIMM of 2020-2025. */
export const ASSUMED_MODULE_GB = 32;

export interface MemoryPowerOptions {
  /** Installed modules, e.g. from `dmidecode -t memory`; estimated from capacity if absent. */
  readonly dimms?: number;
  readonly model?: MemoryModel;
}

export interface InvalidMemory extends Failure<"invalid-memory"> {
  readonly field: "gigabytes" | "dimms";
  readonly value: number;
}

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
  const count = dimms ?? Math.ceil(gigabytes / ASSUMED_MODULE_GB);
  const counted =
    dimms === undefined
      ? `${count} DIMM(s) assumed from ${gigabytes} GB at ${ASSUMED_MODULE_GB} GB per module`
      : `${count} DIMM(s)`;
  return ok({
    ...watts(count * WATTS_PER_DIMM),
    provenance: {
      source: memorySources.perDimm,
      method: `${WATTS_PER_DIMM} W per DIMM × ${counted}`,
    },
  });
}
