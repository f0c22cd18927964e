import { findHardware, searchHardware } from "@wattprint/core";

/**
 * Why a CPU name given to the model (the `cpuName` option, `WATTPRINT_CPU_NAME`, the CLI's
 * `--cpu`) cannot be used, or undefined when it can: a name that resolves to a CPU or SoC
 * row, or a vague one some CPU rows match ("AMD EPYC": the model takes their median, at low
 * confidence). An unknown name was modelled as the median of every CPU of the table, as if
 * the user had named one.
 */
export function cpuNameProblem(name: string): string | undefined {
  // Without suggestions first: ranking every table name costs milliseconds, and only a name
  // about to be refused needs them.
  const quick = findHardware(name, { suggest: false });
  if (quick.ok) {
    const { profile } = quick.value;
    if (profile.kind === "cpu" || profile.kind === "soc") return undefined;
    return `${JSON.stringify(name)} names ${profile.name}, a ${profile.kind}, not a CPU`;
  }
  if (searchHardware(name).some((row) => row.kind === "cpu")) return undefined;
  const full = findHardware(name);
  return full.ok ? undefined : full.error.message;
}
