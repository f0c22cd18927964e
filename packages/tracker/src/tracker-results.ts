/**
 * The tracker's two ways to a `TrackerResult`: from its session (a prediction or the actual
 * consumption), and the failed one, zeros at the run's own intensity, when nothing could be
 * measured under `ignoreErrors`. Both take the run's context from the tracker and leave the
 * arithmetic to `buildResult`.
 */
import { type GridIntensity, resolveGridIntensity, sourceOf } from "@wattprint/core";
import { buildResult, type Figures, type RunContext } from "./build-result.ts";
import { emptyLedger } from "./figures.ts";
import { type RunLocation, runLocation } from "./location.ts";
import type { ResolvedTrackerOptions, TrackerClock } from "./options.ts";
import type { IntensityResult, TrackerResult } from "./result.ts";
import type { Session } from "./session.ts";

/** A result's figures as the tracker gives them: the session adds its devices (and intensity). */
export type SessionFigures = Omit<Figures, "devices" | "intensity" | "deviceState"> & {
  /** The intensity block, when not the run's own (a prediction's mix); else the feed's. */
  readonly intensity?: IntensityResult;
};

/**
 * A result from the session's devices and intensity. `runUncountedS` holds, per tracked device,
 * the seconds the meter could not count within the run.
 */
export function sessionResult(
  session: Session,
  run: RunContext,
  runUncountedS: Float64Array,
  r: SessionFigures,
): TrackerResult {
  const latest = session.meter.latest();
  return buildResult(run, {
    ...r,
    devices: session.devices,
    intensity: r.intensity ?? session.feed.result(),
    deviceState: (i) => {
      const d = latest.devices[session.index[i] as number];
      // The device's readings failed from its last good one to the run's end: that time was
      // not counted either (within the run: the gap may have begun before it).
      const pendingS = Math.min(d?.pendingS ?? 0, r.ledger.seconds);
      return {
        // The run's seconds not counted: an actual result's, not a prediction's.
        uncountedS: r.kind === "actual" ? (runUncountedS[i] ?? 0) + pendingS : 0,
        lowerBound: d?.lowerBound ?? false,
      };
    },
  });
}

/**
 * The intensity the run would have used, without opening anything: the `intensityGPerKWh`
 * given, else the embedded value for the location given (option or `WATTPRINT_LOCATION`),
 * with where it came from. The world's, from nowhere, only when none was given or the one
 * given cannot be resolved (which may be what failed). The failed result named the world's
 * even for a run given a location, whose own warning had named that location's.
 */
function runGrid(o: ResolvedTrackerOptions | null): {
  grid: GridIntensity;
  from: RunLocation["from"];
} {
  const override = o?.intensityGPerKWh;
  const resolve = (location: string | undefined) =>
    resolveGridIntensity({
      ...(location === undefined ? {} : { location }),
      ...(override === undefined ? {} : { overrideGPerKWh: override }),
    });
  const located = o === null ? null : runLocation(o.location, o.env ?? process.env);
  if (located?.ok === true && located.value.location !== undefined) {
    const given = resolve(located.value.location);
    if (given.ok) return { grid: given.value, from: located.value.from };
  }
  const none = resolve(undefined);
  if (none.ok) return { grid: none.value, from: "none" };
  const world = resolveGridIntensity({});
  if (!world.ok) throw new Error("the embedded world intensity is missing");
  return { grid: world.value, from: "none" };
}

/** Under `ignoreErrors`, when nothing could be measured: zeros, `status: "failed"`, and why. */
export function failedResult(
  run: RunContext,
  clock: TrackerClock,
  options: ResolvedTrackerOptions | null,
  method = "nothing was measured: tracking failed (see warnings)",
): TrackerResult {
  const { grid: w, from } = runGrid(options);
  const at = clock.now().toISOString();
  return buildResult(run, {
    kind: "actual",
    status: "failed",
    devices: [],
    ledger: emptyLedger(0),
    gPerKWh: w.intensity.value,
    intensity: {
      gPerKWh: w.intensity.value,
      zone: w.zone,
      zoneName: w.zoneName,
      level: w.level,
      ...(w.year === undefined ? {} : { year: w.year }),
      locationFrom: from,
      source: sourceOf(w.provenance),
      values: [{ at, gPerKWh: w.intensity.value, level: w.level }],
      valuesDropped: 0,
    },
    label: null,
    method,
  });
}

/** The result of a `measure()` refused on a running tracker (under `ignoreErrors`). */
export function refusedMeasureResult(
  run: RunContext,
  clock: TrackerClock,
  options: ResolvedTrackerOptions | null,
): TrackerResult {
  return failedResult(
    // None of the running tracker's epochs, tasks, inferences or logs: they are not this call's.
    { ...run, epochsCompleted: 0, tasks: [], tasksDropped: 0, inferences: 0, logs: null },
    clock,
    options,
    "nothing was measured: measure() needs a fresh tracker (see warnings); the tracker's own run goes on",
  );
}
