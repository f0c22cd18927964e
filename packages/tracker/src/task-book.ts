/**
 * The run's tasks and inferences: a task opened on the tracker (its name checked, its first
 * reading taken, its span measured, its result kept), the run's inference count, and
 * `measure()`. Generic in what the work is given (the tracker, to the caller's function), as
 * `settle` is, so that nothing here imports `tracker.ts`.
 */
import { failure } from "@wattprint/result";
import { start } from "./epochs.ts";
import { componentResults } from "./figures.ts";
import { MAX_TASKS } from "./limits.ts";
import { runPue } from "./pue.ts";
import { runContext } from "./run-context.ts";
import { stop } from "./run-end.ts";
import type { Session } from "./session.ts";
import { settle } from "./settle.ts";
import { span } from "./spans.ts";
import { type OpenedTask, openTask, type TaskMeasured, type TaskSpan, taskName } from "./task.ts";
import type { TrackerCore } from "./tracker-core.ts";
import { refusedMeasureResult } from "./tracker-results.ts";
import type { Measured } from "./types.ts";

/** What the work given to `measure()` or `task(name, fn)` may be, given `host` when a function. */
export type HostedWork<T, H> = Promise<T> | ((host: H) => T | Promise<T>);

/** `task(name)`: a task opened on the tracker, its name checked first (a refusal throws). */
export function openNamedTask(core: TrackerCore, name: string): OpenedTask {
  return openTaskOn(core, checkedTaskName(core, name));
}

/** `task(name, work)`: `work` run as a task, given `host` when a function. */
export function runNamedTask<T, H>(
  core: TrackerCore,
  host: H,
  name: string,
  work: HostedWork<T, H>,
): Promise<TaskMeasured<T>> {
  let opened: OpenedTask;
  try {
    opened = openNamedTask(core, name);
  } catch (error) {
    // A refused name rejects the promise, as every other failure of an async call does.
    return Promise.reject(error);
  }
  // The work runs once the task's first reading is in, as measure()'s runs once start() is
  // done: on a tracker still opening, work run at once was over before the task began.
  // A failure to begin is end()'s to report; the work runs either way, as it did before.
  const { task, began } = opened;
  return began
    .then(() => settle(work, host, () => task.end()))
    .then(({ value, after }) => ({ value, task: after }));
}

/** The name a task is kept under (`taskName`); a refused one fails as every call does. */
function checkedTaskName(core: TrackerCore, name: unknown): string {
  return taskName(name, core.options?.ignoreErrors === true, (f) => core.fail(f));
}

function openTaskOn(core: TrackerCore, name: string): OpenedTask {
  return openTask(
    {
      now: () => core.clock.now(),
      monotonicMs: () => core.clock.monotonicMs(),
      begin: () => {
        // Open and running: the first reading is taken now, before the caller's next
        // statement (RAPL, the model and simulated devices are read on this thread). Begun
        // after an await, a task around synchronous work measured none of it (0.03 J for a
        // second at 100 W), and neither did a run the task started.
        const open = core.session;
        if (open !== null && core.invalid === null && core.phase === "open") {
          return beginTask(core, open);
        }
        return core
          .need(`task(${JSON.stringify(name)})`)
          .then((session) => (session === null ? null : beginTask(core, session)));
      },
      countInferences: (n) => addInferences(core, n),
      record: (result) => {
        if (core.tasks.length < MAX_TASKS) core.tasks.push(result);
        else core.tasksDropped++;
      },
      warn: (message) => core.warn("ignored-error", message),
    },
    name,
  );
}

/** A task's first reading, asked for before this returns; then what measures its span. */
function beginTask(core: TrackerCore, session: Session): Promise<() => Promise<TaskSpan>> {
  // A tracker not yet started starts its span here, unless it plans epochs: a task before
  // the first epoch (loading data) is measured on its own, and the epochs that follow are
  // still the run. Asked in the same tick, the two share one reading.
  const startsRun = !core.usedEpochs && core.options?.epochs === undefined && core.phase === "open";
  if (startsRun) core.spanBegin ??= core.sample(session);
  const spanBegin = startsRun ? core.spanBegin : null;
  const firstSample = core.sample(session);
  return (async () => {
    if (spanBegin !== null) core.firstReading ??= await spanBegin;
    const first = await firstSample;
    return async (): Promise<TaskSpan> => {
      const later = core.phase === "open" ? await core.sample(session) : session.meter.latest();
      const ledger = span(session, first, later);
      return {
        ledger,
        components: componentResults(session.devices, ledger),
        pue: runPue(core.options).value,
        gPerKWh: session.feed.meanGPerKWh,
      };
    };
  })();
}

/**
 * Adds `n` to the run's count and says whether it did. Past `Number.MAX_SAFE_INTEGER` a
 * number no longer counts one by one (2^53 + 1 reads back as 2^53), so a count that would
 * pass it is refused: the total stays the last exact one, `inferencesRefused` counts the
 * refusal, and the first one is a warning.
 */
export function addInferences(core: TrackerCore, n: number): boolean {
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new RangeError(`countInferences: n must be a whole number >= 0, got ${n}`);
  }
  if (n <= Number.MAX_SAFE_INTEGER - core.inferences) {
    core.inferences += n;
    return true;
  }
  core.counters.inferencesRefused++;
  if (core.counters.inferencesRefused === 1) {
    core.warn(
      "notice",
      `countInferences(${n}): the run's count would pass ${Number.MAX_SAFE_INTEGER} (Number.MAX_SAFE_INTEGER), beyond which it could not stay exact; it stays at ${core.inferences}, and this and every later count that would pass it are refused (introspect().inferencesRefused)`,
    );
  }
  return false;
}

/** `CarbonTracker.measure()`: `work` measured from a fresh tracker's start to its stop. */
export async function measureWork<T, H>(
  core: TrackerCore,
  host: H,
  work: HostedWork<T, H>,
): Promise<Measured<T>> {
  // A promise already running may reject while the meter opens (or before a refusal below):
  // unobserved until then, that rejection would end the host. Observed here at once; it is
  // still passed on by `settle` after the tracker stops.
  if (typeof work !== "function") Promise.resolve(work).catch(() => undefined);
  if (core.usedEpochs || core.spanBegin !== null || core.phase !== "open") {
    core.fail(
      failure(
        "invalid-state",
        "measure() needs a fresh tracker; on one already running, use task(name, work)",
      ),
    );
    // Only under ignoreErrors (fail() threw otherwise). Going on would stop a run that is
    // not this call's: its remaining epochs would be no-ops and it would end as an early
    // stop. The caller's work is still theirs to have run, so it runs, unmeasured.
    const value = typeof work === "function" ? await work(host) : await work;
    return {
      value,
      result: refusedMeasureResult(runContext(core), core.clock, core.options),
    };
  }
  await start(core);
  const { value, after } = await settle(work, host, () => stop(core));
  return { value, result: after };
}
