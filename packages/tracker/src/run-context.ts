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

/**
 * The run's context now. Its end is its start plus the monotonic time since: read from the wall
 * clock, an NTP step back during the run put the end before the start (and a run server
 * refused the result), and one forward made the span disagree with `wallS`.
 */
export function runContext(core: TrackerCore): RunContext {
  const wallS = Math.max(0, (core.clock.monotonicMs() - core.startedMs) / 1000);
  return {
    startedAt: core.startedAt,
    endedAt: new Date(core.startedAt.getTime() + wallS * 1000),
    wallS,
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
