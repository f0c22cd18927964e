import { equivalents, gramsCO2eq, kilowattHours, type sourceSchema } from "@wattprint/core";
import type * as z from "@wattprint/core/zod";
import type { TrackedDevice } from "./devices.ts";
import type { TrackerComponent } from "./options.ts";
import type {
  ComponentResult,
  DeviceResult,
  EnergyFigures,
  PerInference,
  TrackerResult,
} from "./result.ts";

/**
 * Pure arithmetic from joules per device to the figures of a result. The tracker's shell
 * gathers the joules; everything a user reads is computed here.
 */

const J_PER_KWH = 3_600_000;

export type Source = z.infer<typeof sourceSchema>;

/** Joules per tracked device (same order as the tracker's device list) over some seconds. */
export interface Ledger {
  readonly energyJ: Float64Array;
  readonly seconds: number;
}

export function emptyLedger(devices: number): { energyJ: Float64Array; seconds: number } {
  return { energyJ: new Float64Array(devices), seconds: 0 };
}

/** Adds `span` into `into`. */
export function addLedger(into: { energyJ: Float64Array; seconds: number }, span: Ledger): void {
  for (let i = 0; i < into.energyJ.length; i++) {
    into.energyJ[i] = (into.energyJ[i] ?? 0) + (span.energyJ[i] ?? 0);
  }
  into.seconds += span.seconds;
}

export function scaleLedger(ledger: Ledger, factor: number): Ledger {
  return { energyJ: ledger.energyJ.map((j) => j * factor), seconds: ledger.seconds * factor };
}

export function totalJ(ledger: Ledger): number {
  let sum = 0;
  for (const j of ledger.energyJ) sum += j;
  return sum;
}

export function energyFigures(itJ: number, pue: number): EnergyFigures {
  const itKWh = itJ / J_PER_KWH;
  return { itJ, itKWh, totalJ: itJ * pue, totalKWh: itKWh * pue };
}

const meanW = (joules: number, seconds: number): number | null =>
  seconds > 0 ? joules / seconds : null;

/** Mean power per component over the ledger (the standard log's lines); null: no time measured. */
export function componentWatts(
  devices: readonly TrackedDevice[],
  ledger: Ledger,
): Map<TrackerComponent, number | null> {
  const out = new Map<TrackerComponent, number | null>();
  const joules = new Map<TrackerComponent, number>();
  devices.forEach((d, i) => {
    joules.set(d.component, (joules.get(d.component) ?? 0) + (ledger.energyJ[i] ?? 0));
  });
  for (const [component, j] of joules) out.set(component, meanW(j, ledger.seconds));
  return out;
}

export function componentResults(
  devices: readonly TrackedDevice[],
  ledger: Ledger,
  uncountedS: (device: TrackedDevice) => number = () => 0,
  lowerBound: (device: TrackedDevice) => boolean = () => false,
): ComponentResult[] {
  const out: ComponentResult[] = [];
  for (const component of ["gpu", "cpu"] as const) {
    const rows: DeviceResult[] = [];
    devices.forEach((d, i) => {
      if (d.component !== component) return;
      const energyJ = Math.max(0, ledger.energyJ[i] ?? 0);
      rows.push({
        id: d.device.id,
        name: d.device.name,
        kind: d.device.kind,
        reader: d.device.reader,
        basis: d.device.basis,
        confidence: d.device.confidence,
        energyJ,
        energyKWh: energyJ / J_PER_KWH,
        meanPowerW: meanW(energyJ, ledger.seconds),
        lowerBound: lowerBound(d),
        uncountedS: uncountedS(d),
        notes: [...d.device.notes],
        sources: d.device.provenance.map((p) => ({
          id: p.source.id,
          title: p.source.title,
          url: p.source.url,
          year: p.source.year,
          ...(p.source.licence === undefined ? {} : { licence: p.source.licence }),
          method: p.method,
          ...(p.note === undefined ? {} : { note: p.note }),
        })),
      });
    });
    if (rows.length === 0) continue;
    const energyJ = rows.reduce((sum, r) => sum + r.energyJ, 0);
    out.push({
      component,
      energyJ,
      energyKWh: energyJ / J_PER_KWH,
      meanPowerW: meanW(energyJ, ledger.seconds),
      basis: basisOf(rows.map((r) => r.basis)),
      devices: rows,
    });
  }
  return out;
}

export function basisOf(
  bases: readonly ("measured" | "modelled" | "simulated" | "mixed")[],
): "measured" | "modelled" | "simulated" | "mixed" {
  const first = bases[0];
  if (first === undefined) return "measured";
  return bases.every((b) => b === first) ? first : "mixed";
}

export function equivalentsOf(co2G: number, totalKWh: number): TrackerResult["equivalents"] {
  return equivalents(gramsCO2eq(co2G), kilowattHours(totalKWh)).map((e) => ({
    id: e.id,
    value: e.value,
    unit: e.unit,
    description: e.description,
    basis: e.basis,
    source: {
      id: e.source.id,
      title: e.source.title,
      url: e.source.url,
      year: e.source.year,
      ...(e.source.licence === undefined ? {} : { licence: e.source.licence }),
    },
  }));
}

export function perInference(
  energy: EnergyFigures,
  co2G: number,
  durationS: number,
  inferences: number,
): PerInference | null {
  if (inferences <= 0) return null;
  return {
    energy: {
      itJ: energy.itJ / inferences,
      itKWh: energy.itKWh / inferences,
      totalJ: energy.totalJ / inferences,
      totalKWh: energy.totalKWh / inferences,
    },
    co2G: co2G / inferences,
    durationS: durationS / inferences,
  };
}
