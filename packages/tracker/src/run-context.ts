/**
 * The run as a result sees it: its context (times, epochs, tasks, inferences, warnings, logs)
 * read from the tracker's state, and a result built from the session with it. Shared by the
 * prediction (`epochs.ts`), the end of the run (`run-end.ts`) and a refused `measure()`.
 */
import type { RunContext } from "./build-result.ts";
import { runPue } from "./pue.ts";
import type { TrackerResult } from "./result.ts";
import type { Session } from "./session.ts";
import type { TrackerCore } from "./tracker-core.ts";
import { type SessionFigures, sessionResult } from "./tracker-results.ts";

/** The run's context now: the clock is read for its end and wall time. */
export function runContext(core: TrackerCore): RunContext {
  return {
    startedAt: core.startedAt,
    endedAt: core.clock.now(),
    wallS: Math.max(0, (core.clock.monotonicMs() - core.startedMs) / 1000),
    epochsCompleted: core.usedEpochs ? core.epochsCompleted : 0,
    plannedEpochs: core.options?.epochs ?? null,
    pue: runPue(core.options),
    tasks: core.tasks,
    tasksDropped: core.tasksDropped,
    inferences: core.inferences,
    warnings: core.warningList,
    warningsDropped: core.counters.warningsDropped,
    logs: core.logFiles(),
  };
}

/** A prediction or the actual consumption, from the session's devices and the run's context. */
export function buildRunResult(
  core: TrackerCore,
  session: Session,
  r: SessionFigures,
): TrackerResult {
  return sessionResult(session, runContext(core), core.runUncountedS, r);
}
