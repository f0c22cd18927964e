/**
 * carbontracker's epochs: `start()` (the one span a run without epochs measures instead),
 * `epochStart()`, `epochEnd()` and the prediction it makes after `epochsBeforePred` epochs.
 * The accounting `stop()` shares is in `epoch-ledger.ts`.
 */
import { consumptionDescription } from "@wattprint/logs";
import { failure } from "@wattprint/result";
import { echoConsumption } from "./echo.ts";
import { closeEpoch, monitorTarget } from "./epoch-ledger.ts";
import { componentWatts, emptyLedger } from "./figures.ts";
import { predictionRecord } from "./log-records.ts";
import type { ResolvedTrackerOptions } from "./options.ts";
import { predictFromMean, predictionFigures } from "./prediction.ts";
import { runPue } from "./pue.ts";
import type { TrackerResult } from "./result.ts";
import { buildRunResult } from "./run-context.ts";
import { stop } from "./run-end.ts";
import type { Session } from "./session.ts";
import type { TrackerCore } from "./tracker-core.ts";
import type { EpochReport } from "./types.ts";

/** `CarbonTracker.start()`: the run's span begins (once; not after an epoch). */
export async function start(core: TrackerCore): Promise<void> {
  const session = await core.need("start()");
  if (session === null || core.phase !== "open") return;
  if (core.usedEpochs) {
    core.fail(
      failure(
        "invalid-state",
        "start() after epochStart(): a run measures either epochs or one span from start() to stop()",
      ),
    );
    return;
  }
  core.spanBegin ??= core.sample(session);
  core.firstReading ??= await core.spanBegin;
}

/** `CarbonTracker.epochStart()`: an epoch's first reading (not while one runs, nor after `start()`). */
export async function epochStart(core: TrackerCore): Promise<void> {
  const session = await core.need("epochStart()");
  if (session === null || core.phase !== "open") return;
  if (core.epochBegin !== null) {
    core.fail(
      failure(
        "invalid-state",
        `epochStart() while epoch ${core.epochsCompleted + 1} is running; call epochEnd() first`,
      ),
    );
    return;
  }
  if (core.spanBegin !== null && !core.usedEpochs) {
    core.fail(
      failure(
        "invalid-state",
        "epochStart() after start(): a run measures either epochs or one span from start() to stop()",
      ),
    );
    return;
  }
  core.usedEpochs = true;
  if (core.run.energyJ.length !== session.devices.length) {
    core.run = emptyLedger(session.devices.length);
  }
  core.epochBegin = core.sample(session);
  const reading = await core.epochBegin;
  core.firstReading ??= reading;
}

/**
 * `CarbonTracker.epochEnd()`: the epoch closed, the prediction at `epochsBeforePred`, the stop
 * at `monitorEpochs`. Null once monitoring has finished, after a failure under `ignoreErrors`,
 * or when a `stop()` overtook it while it closed its epoch.
 */
export async function epochEnd(core: TrackerCore): Promise<EpochReport | null> {
  const session = await core.need("epochEnd()");
  if (session === null || core.phase !== "open") return null;
  const begin = core.epochBegin;
  if (begin === null) {
    return core.fail(failure("invalid-state", "epochEnd() without epochStart()"));
  }
  const o = core.options as ResolvedTrackerOptions;
  const ledger = await closeEpoch(core, session, begin);
  if (core.phase !== "open") return null;
  const epoch = core.epochsCompleted;
  const powerW: Partial<Record<"gpu" | "cpu", number>> = {};
  for (const [component, w] of componentWatts(session.devices, ledger)) {
    if (w !== null) powerW[component] = w;
  }
  let prediction: TrackerResult | null = null;
  if (o.epochs !== undefined && o.epochsBeforePred > 0 && epoch === o.epochsBeforePred) {
    const predicting = predict(core, session, o.epochs);
    core.predicting = predicting;
    prediction = await predicting;
  }
  let actual: TrackerResult | null = null;
  const target = monitorTarget(core);
  if (target !== null && epoch === target) actual = await stop(core);
  return { epoch, durationS: ledger.seconds, powerW, prediction, actual };
}

/** carbontracker's prediction for all `epochs`, from the epochs measured so far. */
async function predict(
  core: TrackerCore,
  session: Session,
  epochs: number,
): Promise<TrackerResult | null> {
  const o = core.options as ResolvedTrackerOptions;
  const n = core.epochsCompleted;
  const predicted = predictFromMean(core.run, n, epochs, runPue(o).value);
  if (!predicted.ok) {
    return core.fail(failure("invalid-state", predicted.error.message));
  }
  const durationS = predicted.value.totalDuration.value;
  const intensity = await session.feed.predicted(durationS);
  const result = buildRunResult(
    core,
    session,
    predictionFigures(core.run, n, epochs, durationS, intensity),
  );
  core.lastPrediction = result;
  const record = predictionRecord(epochs, durationS, result);
  if (session.writer !== null) {
    const written = session.writer.prediction(record);
    if (!written.ok) core.logFailed(written.error);
  }
  echoConsumption(o, core.clock, consumptionDescription("pred", epochs), durationS, result);
  return result;
}
