import type { HardwareProfile, HardwareVendor } from "../profile.ts";

/**
 * CPU rows are numerous and uniform, so each data file lists them as short tuples
 * `[model, cores, threads, tdpW, year, aliases?]` copied from one SKU page each; this turns a
 * group sharing one source into full rows. Every CPU SKU is its own family: there is no
 * "default" Xeon.
 */
export type CpuTuple = readonly [
  model: string,
  cores: number,
  threads: number,
  tdpW: number,
  year: number,
  aliases?: readonly string[],
];

export function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/\+/g, "-plus")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

export function cpuRows(
  vendor: HardwareVendor,
  sourceId: string,
  tuples: readonly CpuTuple[],
  extra: Partial<Pick<HardwareProfile, "basis" | "note">> = {},
): readonly HardwareProfile[] {
  return tuples.map(([model, cores, threads, tdpW, year, aliases = []]) => {
    const name = `${vendor} ${model}`;
    const id = slug(name);
    return {
      id,
      name,
      vendor,
      kind: "cpu",
      family: id,
      tdpW,
      basis: "tdp",
      cores,
      threads,
      aliases,
      sourceId,
      year,
      ...extra,
    };
  });
}
