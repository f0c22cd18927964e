/**
 * The end of a run: `stop()` once, whatever called it (the caller, `epochEnd()` at
 * `monitorEpochs`, `measure()`, disposal), with the epoch or prediction still in flight
 * awaited, the actual result built, the end written to the logs, the meter closed and the
 * result posted to `reportTo`.
 */

import { echoActual } from "./echo.ts";
import { closeEpoch, monitorTarget, writeEpoch } from "./epoch-ledger.ts";
import { emptyLedger, type Ledger } from "./figures.ts";
import { writeRunEnd } from "./log-records.ts";
import type { ResolvedTrackerOptions } from "./options.ts";
import { reportRun } from "./report-to.ts";
import type { TrackerResult } from "./result.ts";
import { buildRunResult, runContext } from "./run-context.ts";
import type { Session } from "./session.ts";
import { addUncounted, span } from "./spans.ts";
import type { TrackerCore } from "./tracker-core.ts";
import { failedResult } from "./tracker-results.ts";

/** `CarbonTracker.stop()`: the run's one `finish()`, which later calls share. */
export function stop(core: TrackerCore): Promise<TrackerResult> {
  core.stopping ??= finish(core);
  return core.stopping;
}

async function finish(core: TrackerCore): Promise<TrackerResult> {
  let session: Session | null;
  try {
    session = await core.need("stop()");
  } catch (error) {
    core.stopping = null;
    throw error;
  }
  if (session === null) {
    core.phase = "stopped";
    const failed = failedResult(runContext(core), core.clock, core.options);
    core.lastResult = failed;
    return failed;
  }
  core.phase = "stopping";
  // An epochEnd() that began before this stop() may still be closing its epoch: its energy
  // and its log record belong to this result, so it is awaited before the ledger is read
  // and the logs are closed. If closing it failed, that epochEnd() rejects with why; the
  // stop still reports the epochs that were counted.
  const inFlight = core.closing;
  if (core.epochBegin !== null) await closeEpoch(core, session, core.epochBegin);
  if (inFlight !== null) await inFlight.catch(() => undefined);
  // Likewise a prediction still waiting for its forecast: its record goes into the output
  // log before the logs close (it wrote to closed logs, a warning, and the log lacked it).
  // The forecast is bounded by the feed's own deadline (INTENSITY_CALL_DEADLINE_MS), not
  // by its provider, which may have none: a forecast that never answers is then aborted.
  const predicting = core.predicting;
  if (predicting !== null) await predicting.catch(() => undefined);
  let label: number | null;
  let ledger: Ledger;
  // Epochs planned but none started (training failed while loading): carbontracker's early
  // stop with 0 epochs, not a one-epoch span that never ran as an epoch.
  const noEpoch = !core.usedEpochs && core.spanBegin === null && core.options?.epochs !== undefined;
  if (core.usedEpochs || noEpoch) {
    if (noEpoch) core.run = emptyLedger(session.devices.length);
    ledger = core.run;
    label = core.epochsCompleted;
  } else {
    const earlier = core.spanBegin === null ? session.opening : await core.spanBegin;
    const later = await core.sample(session);
    ledger = span(session, earlier, later);
    core.runUncountedS = addUncounted(core.runUncountedS, session, earlier, later);
    core.run = { energyJ: new Float64Array(ledger.energyJ), seconds: ledger.seconds };
    // carbontracker's command wrapper: one epoch, then "Actual consumption:".
    core.epochsCompleted = 1;
    writeEpoch(core, session, ledger);
    label = null;
  }
  if (core.timer !== null) core.clock.clearInterval(core.timer);
  core.timer = null;
  const target = monitorTarget(core);
  const early = (core.usedEpochs || noEpoch) && target !== null && core.epochsCompleted < target;
  await session.feed.settle(); // at most INTENSITY_CALL_DEADLINE_MS, whatever the provider does
  session.feed.stop();
  const gPerKWh = session.feed.meanGPerKWh;
  const result = buildRunResult(core, session, {
    kind: "actual",
    status: early ? "early-stop" : "complete",
    ledger,
    gPerKWh,
    label,
    method: noEpoch
      ? "stopped before the first epoch: no epoch was measured (tasks, if any, are measured on their own)"
      : core.usedEpochs
        ? `measured over ${core.epochsCompleted} epoch(s), energy from the power meter's readings`
        : "measured from start to stop, energy from the power meter's readings",
  });
  core.lastResult = result;
  core.phase = "stopped";
  const logError =
    session.writer === null
      ? null
      : writeRunEnd(session.writer, {
          early,
          plannedEpochs: target,
          label,
          result,
          gPerKWh,
          feed: session.feed,
        });
  echoActual(core.options as ResolvedTrackerOptions, core.clock, gPerKWh, label, result);
  await session.meter.close();
  // After the logs: a server that cannot be reached must never cost the local record.
  await reportResult(core, result);
  if (logError !== null) {
    // A warning like every other failed write (never a rejection of the run it measured);
    // given after the result was built, so the result is told too.
    const warning = core.logFailed(logError);
    if (warning !== null) result.warnings.push({ ...warning });
  }
  return result;
}

/** Posts the result to `reportTo`; a failure is a warning added to the result, never a throw. */
async function reportResult(core: TrackerCore, result: TrackerResult): Promise<void> {
  const reportTo = core.options?.reportTo;
  if (reportTo === undefined) return;
  core.reported = await reportRun({ ...reportTo, result });
  if (core.reported.ok) return;
  const message = `${core.reported.error.message}; the result was not stored there (the local logs and the returned result are complete)`;
  core.warn("ignored-error", message);
  result.warnings.push({ kind: "ignored-error", message, at: core.clock.now().toISOString() });
}
