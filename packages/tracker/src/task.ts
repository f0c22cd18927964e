import { failure } from "@wattprint/result";
import { emptyLedger, energyFigures, type Ledger, perInference, totalJ } from "./figures.ts";
import { MAX_TASK_NAME_CHARS, type TrackerFailure } from "./options.ts";
import type { TaskResult } from "./result.ts";
import type { TrackerTask } from "./types.ts";

/** `task(name, fn)`'s answer. */
export interface TaskMeasured<T> {
  readonly value: T;
  readonly task: TaskResult;
}

/** What a task measures since it began. */
export interface TaskSpan {
  readonly ledger: Ledger;
  readonly components: TaskResult["components"];
  readonly pue: number;
  readonly gPerKWh: number;
}

/** The tracker, as a task sees it. */
export interface TaskHost {
  now(): Date;
  /** Milliseconds on a clock that never steps: the task's end is its start plus these. */
  monotonicMs(): number;
  /**
   * Resolves once the task's first sample is back, with a function that measures from there
   * to its own call; null when tracking is off (a failure under `ignoreErrors`). Rejects
   * with the tracker's failure otherwise.
   */
  begin(): Promise<(() => Promise<TaskSpan>) | null>;
  /**
   * Counts `n` towards the run (throwing a RangeError for a count that is not a whole number
   * >= 0); false when the run's count would pass `Number.MAX_SAFE_INTEGER`, and nothing was
   * added.
   */
  countInferences(n: number): boolean;
  record(result: TaskResult): void;
  warn(message: string): void;
}

/** A task as opened: the handle, and when its first reading is in (never rejects). */
export interface OpenedTask {
  readonly task: TrackerTask;
  readonly began: Promise<void>;
}

/** A named task: its own energy, CO2 and inferences, ended once by `end()` or disposal. */
export function openTask(host: TaskHost, name: string): OpenedTask {
  const startedAt = host.now();
  const startedMs = host.monotonicMs();
  let inferences = 0;
  let ended: Promise<TaskResult> | null = null;
  const begin = host.begin();
  // Observed here so that a failure surfaces at end(), not as an unhandled rejection.
  const began = begin.then(
    () => undefined,
    () => undefined,
  );
  const end = async (): Promise<TaskResult> => {
    const measure = await begin;
    const span: TaskSpan =
      measure === null
        ? { ledger: emptyLedger(0), components: [], pue: 1, gPerKWh: 0 }
        : await measure();
    const energy = energyFigures(totalJ(span.ledger), span.pue);
    const co2G = energy.totalKWh * span.gPerKWh;
    const result: TaskResult = {
      name,
      startedAt: startedAt.toISOString(),
      endedAt: new Date(
        startedAt.getTime() + Math.max(0, host.monotonicMs() - startedMs),
      ).toISOString(),
      durationS: span.ledger.seconds,
      energy,
      co2G,
      inferences,
      perInference: perInference(energy, co2G, span.ledger.seconds, inferences),
      components: span.components,
    };
    host.record(result);
    return result;
  };
  const task: TrackerTask = {
    name,
    countInferences: (n = 1) => {
      // A task's count is part of the run's: what the run refuses, the task does not count.
      if (host.countInferences(n)) inferences += n;
    },
    end: () => {
      ended ??= end();
      return ended;
    },
    [Symbol.asyncDispose]: async () => {
      ended ??= end();
      await ended.catch((error: unknown) => host.warn(`task ${name}: ${String(error)}`));
    },
  };
  return { task, began };
}

/**
 * The name a task is kept under: the one given, when it is a string of at most
 * `MAX_TASK_NAME_CHARS` characters. Otherwise an `invalid-value` failure, given to `fail`
 * (the tracker's, which throws it as a `TrackerError`); under `ignoreErrors` (`ignored`) a
 * warning, and the task is measured under the name's first `MAX_TASK_NAME_CHARS` characters.
 */
export function taskName(
  name: unknown,
  ignored: boolean,
  fail: (f: TrackerFailure) => void,
): string {
  if (typeof name === "string" && name.length <= MAX_TASK_NAME_CHARS) return name;
  const message =
    typeof name === "string"
      ? `task(): a task name is at most ${MAX_TASK_NAME_CHARS} characters, and this one has ${name.length} (it starts ${JSON.stringify(name.slice(0, 40))})${ignored ? `; the task is measured under its first ${MAX_TASK_NAME_CHARS} characters` : ""}`
      : `task(): a task name is a string, not ${name === null ? "null" : typeof name}${ignored ? '; the task is measured as "task"' : ""}`;
  fail(failure("invalid-value", message, { field: "name" }));
  if (typeof name !== "string") return "task";
  // Not between the two halves of a surrogate pair.
  const end = /[\uD800-\uDBFF]/.test(name.charAt(MAX_TASK_NAME_CHARS - 1))
    ? MAX_TASK_NAME_CHARS - 1
    : MAX_TASK_NAME_CHARS;
  return name.slice(0, end);
}
