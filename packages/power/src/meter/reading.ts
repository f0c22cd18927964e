import { ADDITIVE_COMPONENTS, type Basis, COMPONENTS, type Component } from "../device.ts";
import type { ReadingProblem } from "../failures.ts";
import type { DeviceAccumulator, DeviceEnergy, Mutable } from "./accumulator.ts";

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

/**
 * A meter's clock, handed to the functions below as one object: V8 boxes every double passed
 * to a call it did not inline in a new heap number, even in optimised code.
 */
export interface MeterTimes {
  /** When the meter opened, in monotonic milliseconds. */
  readonly startedAtMs: number;
  /** When the latest round's readings were taken. */
  readonly atMs: number;
}

/**
 * A complete reading of `accumulators` as of `times.atMs`: fresh objects throughout, which a
 * caller may keep (the `sample()` path), and the slots `fillReading` rewrites (the
 * `sampleInto` path).
 */
export function newReading(
  accumulators: readonly DeviceAccumulator[],
  times: MeterTimes,
): MeterReading {
  const { atMs, startedAtMs } = times;
  const devices = accumulators.map((a) => a.snapshot());
  const components: ComponentEnergy[] = [];
  for (const component of COMPONENTS) {
    if (!devices.some((d) => d.device.kind === component)) continue;
    const slot: ComponentEnergy = {
      component,
      energyJ: 0,
      watts: Number.NaN,
      devices: 0,
      basis: "measured",
      lowerBound: false,
    };
    sumComponent(slot, devices);
    components.push(slot);
  }
  const reading: MeterReading = {
    atMs,
    elapsedS: (atMs - startedAtMs) / 1000,
    devices,
    components,
    totalEnergyJ: 0,
    totalWatts: 0,
    problems: devices.flatMap((d) => (d.problem === null ? [] : [d.problem])),
  };
  sumTotals(reading);
  return reading;
}

/**
 * Rewrites a reading made by `newReading` over the same accumulators, allocating nothing
 * unless a device has a problem (the `problems` list then grows).
 */
export function fillReading(
  target: MeterReading,
  accumulators: readonly DeviceAccumulator[],
  times: MeterTimes,
): void {
  const t = target as Mutable<MeterReading>;
  t.atMs = times.atMs;
  t.elapsedS = (times.atMs - times.startedAtMs) / 1000;
  const problems = t.problems as ReadingProblem[];
  if (problems.length > 0) problems.length = 0;
  for (let i = 0; i < accumulators.length; i++) {
    const device = t.devices[i] as DeviceEnergy;
    (accumulators[i] as DeviceAccumulator).snapshotInto(device);
    if (device.problem !== null) problems.push(device.problem);
  }
  for (let c = 0; c < t.components.length; c++)
    sumComponent(t.components[c] as ComponentEnergy, t.devices);
  sumTotals(t);
}

/** Sums a component's devices into its slot (carbontracker averages them; two GPUs draw twice one). */
function sumComponent(slot: ComponentEnergy, devices: readonly DeviceEnergy[]): void {
  let energyJ = 0;
  let watts = Number.NaN;
  let count = 0;
  let basis: Basis | "mixed" | null = null;
  let lowerBound = false;
  // Indexed loops: a for-of allocates until optimised, and at 1 Hz this may never be.
  for (let i = 0; i < devices.length; i++) {
    const d = devices[i] as DeviceEnergy;
    if (d.device.kind !== slot.component) continue;
    count++;
    energyJ += d.energyJ;
    if (!Number.isNaN(d.watts)) watts = (Number.isNaN(watts) ? 0 : watts) + d.watts;
    basis = basis === null || basis === d.device.basis ? d.device.basis : "mixed";
    lowerBound ||= d.lowerBound;
  }
  const s = slot as Mutable<ComponentEnergy>;
  s.energyJ = energyJ;
  s.watts = watts;
  s.devices = count;
  s.basis = basis ?? "measured";
  s.lowerBound = lowerBound;
}

/** cpu + dram + gpu: psys and machine overlap them and stay out. */
function sumTotals(reading: MeterReading): void {
  let energyJ = 0;
  let watts = 0;
  for (let i = 0; i < reading.components.length; i++) {
    const c = reading.components[i] as ComponentEnergy;
    if (!ADDITIVE_COMPONENTS.includes(c.component)) continue;
    energyJ += c.energyJ;
    if (!Number.isNaN(c.watts)) watts += c.watts;
  }
  const r = reading as Mutable<MeterReading>;
  r.totalEnergyJ = energyJ;
  r.totalWatts = watts;
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
