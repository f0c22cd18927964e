import type { PowerComponent } from "../estimate/estimate-input.ts";
import { memorySlicePower } from "../hardware/memory.ts";
import { billContext, billProfile, partComponent } from "../machines/bill.ts";
import { type PueValue, resolvePue } from "../pue.ts";
import type { CloudInstance, CloudProvider } from "./cloud.ts";
import { cloudSource } from "./data/cloud-sources.ts";
import { CLOUD_PUE_PROFILE } from "./data/pue.ts";

/** The vCPUs one socket of the instance's host CPU gives (threads unless the row says). */
export function vcpusPerSocket(instance: CloudInstance): number {
  const profile = billProfile(instance.cpu.hardware);
  const perSocket = instance.cpu.vcpusPerSocket ?? profile.threads;
  if (perSocket === undefined) throw new Error(`${profile.name} has no thread count`);
  return perSocket;
}

/**
 * The estimate rows of `count` instances: accelerators at rated power, the vCPUs' share of
 * the host CPU's TDP (vCPUs / vCPUs per socket), and memory as a share of the host's RDIMMs.
 */
export function instanceComponents(instance: CloudInstance, count: number): PowerComponent[] {
  const source = cloudSource(instance.sourceId);
  if (source === undefined) throw new Error(`instance ${instance.name} has no source`);
  const context = billContext(count, instance.name, source.url, instance.note);
  const rows: PowerComponent[] = [];
  if (instance.accelerators !== undefined) {
    const { hardware, count: perInstance } = instance.accelerators;
    rows.push(partComponent(hardware, perInstance * count, context));
  }
  const perSocket = vcpusPerSocket(instance);
  const share = instance.vcpus / perSocket;
  const cpu = partComponent(instance.cpu.hardware, count, context, share);
  rows.push({
    ...cpu,
    name: `${cpu.name}, ${instance.vcpus} vCPUs (${instance.vcpus}/${perSocket} of a socket)`,
    provenance: {
      ...cpu.provenance,
      method: `${cpu.provenance.method} x ${instance.vcpus}/${perSocket} vCPUs of a socket`,
    },
  });
  const memory = memorySlicePower(instance.memoryGB);
  // Instance sizes are positive numbers (the tables' tests check them).
  if (!memory.ok) throw new Error(memory.error.message);
  const { provenance, ...power } = memory.value;
  rows.push({
    name: `${instance.memoryGB} GB memory`,
    kind: "memory",
    power,
    count,
    provenance: { ...provenance, note: context },
  });
  return rows;
}

/** The provider's own published fleet-wide PUE, from the PUE profiles. */
export function cloudPue(provider: CloudProvider): PueValue {
  const pue = resolvePue(CLOUD_PUE_PROFILE[provider]);
  if (!pue.ok) throw new Error(`PUE profile for ${provider} missing`);
  return pue.value;
}
