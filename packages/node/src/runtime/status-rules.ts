import { Status } from "@wattprint/messages";

/*
 * Which status the node publishes around tasks and node commands (sustainml-wire.md §8.2 and
 * §9), decided without I/O so each rule is tested alone; the runtime only publishes.
 */

/** A node with no task running: INACTIVE while stopped by STOP_NODE, else IDLE. */
export function restingStatus(paused: boolean): Status {
  return paused ? Status.NODE_INACTIVE : Status.NODE_IDLE;
}

/** Published before a task's output: ERROR for a failed task, else the resting status. */
export function statusBeforeOutput(ok: boolean, paused: boolean): Status {
  return ok ? restingStatus(paused) : Status.NODE_ERROR;
}

/**
 * Published after a task's output, if anything. A stopped node stays INACTIVE after the task
 * that was running when STOP_NODE came (§9); when that task failed, its ERROR went out before
 * its output (so the orchestrator sees why), and INACTIVE follows it. Otherwise the status
 * before the output stands: an ERROR persists until the next RUNNING (§8.2).
 */
export function statusAfterOutput(ok: boolean, paused: boolean): Status | undefined {
  return !ok && paused ? Status.NODE_INACTIVE : undefined;
}

/**
 * START_NODE resumes a stopped node only. On a node that is not stopped it changes nothing
 * (undefined): publishing IDLE there would wipe an ERROR, which persists until the next
 * RUNNING (§8.2), or claim IDLE while a task runs.
 */
export function statusOnStart(paused: boolean, running: boolean): Status | undefined {
  if (!paused) return undefined;
  return running ? Status.NODE_RUNNING : Status.NODE_IDLE;
}

/** RESET_NODE: IDLE (§9), unless a task is running, which goes on saying RUNNING. */
export function statusOnReset(running: boolean): Status {
  return running ? Status.NODE_RUNNING : Status.NODE_IDLE;
}
