import type { PowerComponent } from "./estimate-input.ts";

/** A part of the host an estimate of accelerators does not count. */
export type LeftOutPart = "host-cpus" | "host-memory";

export interface LeftOut {
  readonly parts: readonly LeftOutPart[];
  /** One sentence a person can act on: what is missing and how to add it. */
  readonly message: string;
}

const HOW =
  "name the whole machine (a preset such as dgx-h100) or the cloud instance (cloud, instance " +
  "and region)";

/**
 * What an estimate with accelerators leaves out of their host: its CPUs when no CPU is
 * counted, its memory when no memory is. An estimate without accelerators (CPUs alone, a
 * power in watts) names its whole machine and leaves nothing out that it could know of.
 */
export function leftOut(components: readonly PowerComponent[]): LeftOut | undefined {
  const has = (kind: PowerComponent["kind"]) => components.some((c) => c.kind === kind);
  if (!has("gpu") && !has("accelerator")) return undefined;
  const parts: LeftOutPart[] = [];
  if (!has("cpu")) parts.push("host-cpus");
  if (!has("memory")) parts.push("host-memory");
  if (parts.length === 0) return undefined;
  const message =
    parts.length === 2
      ? "This estimate counts the accelerators only: the host's CPUs and memory are not " +
        `included. To include them, ${HOW}, or add the host CPU to the hardware and give its memory size.`
      : parts[0] === "host-cpus"
        ? `The host's CPUs are not included. To include them, ${HOW}, or add the host CPU to the hardware.`
        : `The host's memory is not included. To include it, ${HOW}, or give its memory size.`;
  return { parts, message };
}
