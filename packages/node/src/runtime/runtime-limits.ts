import type { ProblemLogLimits } from "./problem-log.ts";

/**
 * The runtime's bounds on state that peers fill (pending inputs, queued and deferred tasks,
 * input age, log budget) come from its options. A NaN or negative bound used to switch the
 * bound off silently (`size >= NaN` is never true) and a NaN age made the sweep timer fire
 * every millisecond, so each is checked once, at start: a bad one is a programmer error
 * naming the option and the value.
 */
export interface RuntimeLimits {
  readonly maxPendingPerInput?: number | undefined;
  readonly maxQueuedTasks?: number | undefined;
  readonly maxPendingAgeMs?: number | undefined;
  readonly problemLog?: ProblemLogLimits | undefined;
}

/**
 * Complete tasks waiting while no handler is awaited: a burst completes inside one callback of
 * the bus (rtps delivers a datagram's samples synchronously, and drain() runs only after it),
 * and each of them is answered within microseconds once it runs. `maxQueuedTasks` bounds the
 * real backlog, behind a task whose handler is awaited (a measurement). One 64 KiB datagram
 * holds at most about 1,300 DATA submessages of the smallest input, so one callback completes
 * fewer tasks than this; the bound is there for a reader releasing many held samples at once.
 */
export const MAX_READY_TASKS = 4_096;

/** Far above any deployment (SustainML's queues hold 50) and far below memory trouble. */
export const MAX_QUEUE_LIMIT = 1_000_000;

function integerIn(name: string, value: number | undefined, min: number, max: number): void {
  if (value === undefined) return;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(
      `NodeRuntime option ${name} must be an integer from ${min} to ${max}, got ${value}`,
    );
  }
}

function positiveFinite(name: string, value: number | undefined): void {
  if (value === undefined) return;
  if (!Number.isFinite(value) || value <= 0) {
    throw new RangeError(
      `NodeRuntime option ${name} must be a finite number of milliseconds > 0, got ${value}`,
    );
  }
}

export function checkRuntimeLimits(limits: RuntimeLimits): void {
  integerIn("maxPendingPerInput", limits.maxPendingPerInput, 1, MAX_QUEUE_LIMIT);
  // A complete task waits in this queue before it runs, so a limit of 0 ran no task at all.
  integerIn("maxQueuedTasks", limits.maxQueuedTasks, 1, MAX_QUEUE_LIMIT);
  positiveFinite("maxPendingAgeMs", limits.maxPendingAgeMs);
  if (limits.problemLog !== undefined) {
    integerIn(
      "problemLog.linesPerInterval",
      limits.problemLog.linesPerInterval,
      0,
      MAX_QUEUE_LIMIT,
    );
    positiveFinite("problemLog.intervalMs", limits.problemLog.intervalMs);
  }
}
