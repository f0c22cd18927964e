import { ADDITIVE_COMPONENTS, type Basis, COMPONENTS, type Component } from "../device.ts";
import type { ReadingProblem } from "../failures.ts";
import type { DeviceEnergy } from "./accumulator.ts";

export interface ComponentEnergy {
  readonly component: Component;
  /** Sum over the component's devices (carbontracker averages them; two GPUs draw twice one). */
  readonly energyJ: number;
  /** Sum of the devices' current power; NaN while none is known. */
  readonly watts: number;
  readonly devices: number;
  /** The devices' basis when they share one, `mixed` when measured and modelled devices are summed. */
  readonly basis: Basis | "mixed";
  /** True when a device's energy is only a lower bound (see `DeviceEnergy.lowerBound`). */
  readonly lowerBound: boolean;
}

export interface MeterReading {
  /** Monotonic milliseconds of this sample. */
  readonly atMs: number;
  /** Seconds since the meter's first sample. */
  readonly elapsedS: number;
  readonly devices: readonly DeviceEnergy[];
  /** One entry per component that has a device, in the order cpu, dram, gpu, psys, machine. */
  readonly components: readonly ComponentEnergy[];
  /** cpu + dram + gpu: psys and machine overlap them and stay out. */
  readonly totalEnergyJ: number;
  readonly totalWatts: number;
  /** This sample's problems, one per device at most. */
  readonly problems: readonly ReadingProblem[];
}

export function componentsOf(devices: readonly DeviceEnergy[]): ComponentEnergy[] {
  const out: ComponentEnergy[] = [];
  for (const component of COMPONENTS) {
    let energyJ = 0;
    let watts = Number.NaN;
    let count = 0;
    let basis: Basis | "mixed" | null = null;
    let lowerBound = false;
    for (const d of devices) {
      if (d.device.kind !== component) continue;
      count++;
      energyJ += d.energyJ;
      if (!Number.isNaN(d.watts)) watts = (Number.isNaN(watts) ? 0 : watts) + d.watts;
      basis = basis === null || basis === d.device.basis ? d.device.basis : "mixed";
      lowerBound ||= d.lowerBound;
    }
    if (count === 0 || basis === null) continue;
    out.push({ component, energyJ, watts, devices: count, basis, lowerBound });
  }
  return out;
}

export function totalsOf(components: readonly ComponentEnergy[]): {
  energyJ: number;
  watts: number;
} {
  let energyJ = 0;
  let watts = 0;
  for (const c of components) {
    if (!ADDITIVE_COMPONENTS.includes(c.component)) continue;
    energyJ += c.energyJ;
    if (!Number.isNaN(c.watts)) watts += c.watts;
  }
  return { energyJ, watts };
}

export interface EnergyInterval {
  readonly seconds: number;
  readonly devices: readonly {
    readonly id: string;
    readonly energyJ: number;
    readonly meanWatts: number;
  }[];
  readonly components: readonly {
    readonly component: Component;
    readonly energyJ: number;
    readonly meanWatts: number;
  }[];
  readonly totalEnergyJ: number;
}

/**
 * Energy between two readings of one meter (`later` taken after `earlier`): per device, per
 * component and in total, with the mean power over the interval.
 */
export function energyBetween(earlier: MeterReading, later: MeterReading): EnergyInterval {
  const seconds = (later.atMs - earlier.atMs) / 1000;
  const before = new Map(earlier.devices.map((d) => [d.device.id, d.energyJ]));
  const mean = (joules: number) => (seconds > 0 ? joules / seconds : Number.NaN);
  const devices = later.devices.map((d) => {
    const energyJ = d.energyJ - (before.get(d.device.id) ?? 0);
    return { id: d.device.id, energyJ, meanWatts: mean(energyJ) };
  });
  const componentsBefore = new Map(earlier.components.map((c) => [c.component, c.energyJ]));
  const components = later.components.map((c) => {
    const energyJ = c.energyJ - (componentsBefore.get(c.component) ?? 0);
    return { component: c.component, energyJ, meanWatts: mean(energyJ) };
  });
  return {
    seconds,
    devices,
    components,
    totalEnergyJ: later.totalEnergyJ - earlier.totalEnergyJ,
  };
}
