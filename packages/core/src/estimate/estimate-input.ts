import type { Provenance } from "../provenance.ts";
import type { PueValue } from "../pue.ts";
import type { CarbonIntensity, Duration, Power } from "../units/quantity.ts";

/** One kind of part drawing power while the work runs (already scaled by its utilisation). */
export interface PowerComponent {
  readonly name: string;
  readonly kind: "cpu" | "gpu" | "accelerator" | "memory" | "other";
  readonly power: Power;
  readonly count: number;
  readonly provenance: Provenance;
}

export type Work =
  | { readonly kind: "duration"; readonly duration: Duration }
  | { readonly kind: "inferences"; readonly latency: Duration; readonly count: number };

/** Structural: any resolved grid intensity (embedded, live or user-given) fits. */
export interface IntensityInput {
  readonly zone: string;
  readonly zoneName?: string;
  /** How the zone was resolved: override, live, zone, country, continent or world. */
  readonly level?: string;
  readonly year?: number;
  readonly intensity: CarbonIntensity;
  readonly provenance: Provenance;
}

/**
 * The year an intensity's figures describe, for a document to print: none for a value the user
 * supplied, whose source names no year, even where the caller's input carries one.
 */
export function dataYearOf(intensity: IntensityInput): number | undefined {
  return intensity.provenance.source.id === "user" ? undefined : intensity.year;
}

export interface EstimateInput {
  readonly components: readonly PowerComponent[];
  readonly work: Work;
  readonly intensity: IntensityInput;
  readonly pue: PueValue;
}
