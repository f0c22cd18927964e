import type { PowerComponent } from "../estimate/estimate-input.ts";
import { watts } from "../units/quantity.ts";
import { billContext, memoryComponent, partComponent } from "./bill.ts";
import { machineSource } from "./data/machine-sources.ts";
import type { MachinePreset } from "./machine.ts";

/**
 * The estimate rows of `count` machines of a preset, each part at its rated power (an upper
 * bound, like every rated figure here): accelerators, CPUs, memory, and, where the spec sheet
 * gives a maximum system power, the rest of it as "other system" (NVSwitches, NICs, fans,
 * storage, power-supply losses) so the machine never draws more than its vendor says.
 */
export function machineComponents(preset: MachinePreset, count: number): PowerComponent[] {
  const source = machineSource(preset.sourceId);
  if (source === undefined) throw new Error(`machine ${preset.id} has no source`);
  const context = billContext(count, preset.name, source.url, preset.note);
  const rows: PowerComponent[] = [];
  if (preset.accelerators !== undefined) {
    const { hardware, count: perMachine } = preset.accelerators;
    rows.push(partComponent(hardware, perMachine * count, context));
  }
  rows.push(partComponent(preset.cpus.hardware, preset.cpus.sockets * count, context));
  rows.push(memoryComponent(preset.memory.gigabytes, preset.memory.dimms, count, context));
  if (preset.maxSystemW === undefined) return rows;
  const partsW = rows.reduce((sum, row) => sum + row.power.value * (row.count / count), 0);
  const otherW = preset.maxSystemW - partsW;
  if (otherW < 0) return capped(rows, preset.maxSystemW, partsW);
  rows.push({
    name: `${preset.name}: other system power`,
    kind: "other",
    power: watts(otherW),
    count,
    provenance: {
      source,
      method:
        `maximum system power ${preset.maxSystemW} W less the parts above ` +
        `(${Math.round(partsW)} W): NVSwitches, NICs, fans, storage, power-supply losses`,
    },
  });
  return rows;
}

/**
 * Parts whose rated powers add up past the machine's maximum (a DGX Station's A100s run below
 * the data-centre board's 400 W): each is scaled down by the same factor so the machine draws
 * its spec sheet's maximum, and says so.
 */
function capped(rows: PowerComponent[], maxW: number, partsW: number): PowerComponent[] {
  const factor = maxW / partsW;
  const note =
    `scaled by ${factor.toFixed(3)}: the parts' rated ${Math.round(partsW)} W exceed the ` +
    `${maxW} W maximum system power`;
  return rows.map((row) => ({
    ...row,
    power: watts(row.power.value * factor),
    provenance: { ...row.provenance, note: `${row.provenance.note}; ${note}` },
  }));
}
