import type { PowerComponent } from "../estimate/estimate-input.ts";
import { findHardware } from "../hardware/lookup.ts";
import { memoryPower } from "../hardware/memory.ts";
import { hardwarePower } from "../hardware/power.ts";
import type { HardwareProfile } from "../hardware/profile.ts";
import { watts } from "../units/quantity.ts";

/**
 * Components of a bill of materials (a machine preset, a cloud instance) as estimate rows.
 * A bill names its parts by the hardware table's exact names, and the tables' tests hold every
 * name to a row, so a name that does not resolve here is a bug in the data, not user input.
 */
export const COMPONENT_KIND: Readonly<Record<HardwareProfile["kind"], PowerComponent["kind"]>> = {
  cpu: "cpu",
  soc: "cpu",
  gpu: "gpu",
  tpu: "accelerator",
  npu: "accelerator",
};

/** The hardware row a bill names; throws for a name the table lacks (a data bug). */
export function billProfile(name: string): HardwareProfile {
  const match = findHardware(name);
  if (!match.ok || match.value.confidence === "fuzzy") {
    throw new Error(`bill of materials names "${name}", which is not a hardware row`);
  }
  return match.value.profile;
}

/** `count` of the part at rated power (or at `share` of it, for a slice of a host CPU). */
export function partComponent(
  name: string,
  count: number,
  context: string,
  share = 1,
): PowerComponent {
  const profile = billProfile(name);
  const rated = hardwarePower(profile);
  // hardwarePower only refuses a utilisation, and none is given.
  if (!rated.ok) throw new Error(rated.error.message);
  const { provenance, ...power } = rated.value;
  const sliced = share === 1 ? power : watts(power.value * share);
  const notes = [profile.note, context].filter((text) => text !== undefined);
  return {
    name: profile.name,
    kind: COMPONENT_KIND[profile.kind],
    power: sliced,
    count,
    provenance: { ...provenance, note: notes.join("; ") },
  };
}

/** Memory of `count` machines with `gigabytes` (in `dimms` modules, when known) each. */
export function memoryComponent(
  gigabytes: number,
  dimms: number | undefined,
  count: number,
  context: string,
): PowerComponent {
  const memory = memoryPower(gigabytes, dimms === undefined ? {} : { dimms });
  // A bill's sizes are positive whole numbers (the tables' tests check them).
  if (!memory.ok) throw new Error(memory.error.message);
  const { provenance, ...power } = memory.value;
  const note = [provenance.note, context].filter((text) => text !== undefined).join("; ");
  return {
    name: `${gigabytes} GB memory`,
    kind: "memory",
    power,
    count,
    provenance: { ...provenance, note },
  };
}

/** The note every row of a bill carries: which machine or instance it is part of, and why. */
export function billContext(count: number, name: string, url: string, note?: string): string {
  return [`part of ${count} x ${name} (${url})`, note].filter((t) => t !== undefined).join("; ");
}
