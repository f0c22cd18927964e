import type { Provenance } from "@wattprint/core";

/**
 * What a device's energy counts towards. `psys` (the platform zone of recent Intel laptops and
 * desktops) and `machine` (a whole computer, e.g. a wall meter or a simulated machine) overlap
 * `cpu` and `dram`, so they are reported on their own and never added into a total.
 */
export type Component = "cpu" | "dram" | "gpu" | "psys" | "machine";

export const COMPONENTS: readonly Component[] = ["cpu", "dram", "gpu", "psys", "machine"];

/** Components whose sum is a total without double counting. */
export const ADDITIVE_COMPONENTS: readonly Component[] = ["cpu", "dram", "gpu"];

/** Which reader found a device. `sim_cpu`/`sim_gpu` are named as carbontracker names them. */
export type ReaderId =
  | "rapl"
  | "nvml"
  | "amdgpu"
  | "powermetrics"
  | "model"
  | "sim_cpu"
  | "sim_gpu";

/**
 * `measured`: the hardware reports its own energy or power. `modelled`: computed from a rated
 * power and the OS load, with the assumptions in `notes` and the sources in `provenance`.
 * `simulated`: a fixed power the caller chose (tests, demos), never mistaken for either.
 */
export type Basis = "measured" | "modelled" | "simulated";

/**
 * How far to trust a figure: `measured` for hardware readings; for a model, `high` when its
 * inputs are known (the exact part, the module count) and `low` when one was assumed;
 * `simulated` for simulated devices.
 */
export type Confidence = "measured" | "high" | "low" | "simulated";

/**
 * A cumulative energy counter the hardware keeps. `rangeJ` is where it wraps to zero
 * (RAPL's `max_energy_range_uj` + 1 µJ), `Infinity` for a counter that does not wrap in
 * practice (NVML's 64-bit millijoules).
 */
export interface CounterSpec {
  readonly rangeJ: number;
}

export interface PowerDevice {
  /** Stable across runs on one machine: reader, then the hardware's own id (zone path, UUID, PCI address). */
  readonly id: string;
  readonly name: string;
  readonly kind: Component;
  readonly reader: ReaderId;
  readonly basis: Basis;
  readonly confidence: Confidence;
  /** Present when the device keeps a cumulative energy counter. */
  readonly counter: CounterSpec | null;
  /**
   * The most this device can plausibly draw, in watts: sizes the wrap-around check (more
   * than one wrap between two samples cannot be told apart from one) and the sanity check.
   */
  readonly maxWatts: number;
  /** Facts a reader of the figures needs: assumptions, MIG attribution, zone paths. */
  readonly notes: readonly string[];
  /** Where modelled figures came from; empty for measured devices. */
  readonly provenance: readonly Provenance[];
}

/** Builds a device, filling the fields a measured device leaves empty. */
export function measuredDevice(
  fields: Omit<PowerDevice, "basis" | "confidence" | "provenance" | "notes"> & {
    readonly notes?: readonly string[];
  },
): PowerDevice {
  return {
    ...fields,
    basis: "measured",
    confidence: "measured",
    notes: fields.notes ?? [],
    provenance: [],
  };
}
