import type { TrackedDevice } from "./devices.ts";
import {
  basisOf,
  componentResults,
  energyFigures,
  equivalentsOf,
  type Ledger,
  perInference,
  type Source,
  totalJ,
} from "./figures.ts";
import type { TrackerWarning } from "./options.ts";
import {
  type IntensityResult,
  type TaskResult,
  TRACKER_RESULT_SCHEMA_ID,
  type TrackerResult,
} from "./result.ts";
import { WATTPRINT_VERSION } from "./version.ts";

/** What the run is, whichever figures are computed from it. */
export interface RunContext {
  readonly startedAt: Date;
  readonly endedAt: Date;
  readonly wallS: number;
  readonly epochsCompleted: number;
  readonly plannedEpochs: number | null;
  readonly pue: { readonly value: number; readonly source: Source };
  readonly tasks: readonly TaskResult[];
  readonly tasksDropped: number;
  readonly inferences: number;
  readonly warnings: readonly TrackerWarning[];
  readonly warningsDropped: number;
  readonly logs: TrackerResult["logs"];
}

export interface Figures {
  readonly kind: TrackerResult["kind"];
  readonly status: TrackerResult["status"];
  readonly devices: readonly TrackedDevice[];
  readonly ledger: Ledger;
  /** The intensity the CO2 is computed with (the run's mean, or the predicted mix). */
  readonly gPerKWh: number;
  readonly intensity: IntensityResult;
  /** The N of the log's `… for N epoch(s):`; null for `Actual consumption:`. */
  readonly label: number | null;
  readonly method: string;
  /**
   * What the run's inference count is multiplied by: a prediction scales the energy measured
   * so far to all epochs (`epochs / measured`), and its count the same, so that its
   * per-inference figures are the measured ones rather than `epochs / measured` times them.
   * 1 (the default) for an actual result.
   */
  readonly inferenceScale?: number;
  /** Per device (same order): seconds not counted, and whether the energy is a lower bound. */
  readonly deviceState?: (index: number) => { uncountedS: number; lowerBound: boolean };
}

/** A result from joules per device and the run's context: pure arithmetic, no clock. */
export function buildResult(run: RunContext, f: Figures): TrackerResult {
  const energy = energyFigures(totalJ(f.ledger), run.pue.value);
  const co2G = energy.totalKWh * f.gPerKWh;
  const inferences = run.inferences * (f.inferenceScale ?? 1);
  const state = f.deviceState;
  const indexOf = (d: TrackedDevice) => f.devices.indexOf(d);
  const components = componentResults(
    f.devices,
    f.ledger,
    (d) => (state === undefined ? 0 : state(indexOf(d)).uncountedS),
    (d) => (state === undefined ? false : state(indexOf(d)).lowerBound),
  );
  return {
    schema: TRACKER_RESULT_SCHEMA_ID,
    kind: f.kind,
    status: f.status,
    wattprintVersion: WATTPRINT_VERSION,
    startedAt: run.startedAt.toISOString(),
    endedAt: run.endedAt.toISOString(),
    durationS: f.ledger.seconds,
    wallS: run.wallS,
    epochs: { completed: run.epochsCompleted, planned: run.plannedEpochs, label: f.label },
    energy,
    pue: { value: run.pue.value, applied: true, source: run.pue.source },
    components,
    basis: basisOf(components.map((c) => c.basis)),
    intensity: { ...f.intensity, gPerKWh: f.gPerKWh },
    co2G,
    equivalents: equivalentsOf(co2G, energy.totalKWh),
    tasks: [...run.tasks],
    tasksDropped: run.tasksDropped,
    // The predicted count is rounded to a whole number; the per-inference figures divide by
    // the unrounded one, which keeps them the measured ones exactly.
    inferences: Math.min(Math.round(inferences), Number.MAX_SAFE_INTEGER),
    perInference: perInference(energy, co2G, f.ledger.seconds, inferences),
    method: f.method,
    warnings: run.warnings.map((w) => ({ ...w })),
    warningsDropped: run.warningsDropped,
    logs: run.logs,
  };
}
