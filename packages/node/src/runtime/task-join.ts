import { type TaskIdImpl as TaskId, taskIdKey as taskKey } from "@wattprint/messages";
import { busiestWriter } from "./fair-share.ts";

/**
 * Joins a node's inputs by task id. SustainML's queues (SamplesQueue.cpp) wait forever and
 * drop the newest sample when full; here every queue is bounded in size and in age, the
 * oldest entry of the writer holding the most gives way (fair-share.ts), and everything
 * dropped is reported so the runtime logs and counts it.
 */

export type { TaskId };

/**
 * `queue-full`: the newcomer's own writer gave way (its oldest entry, or for the task queue
 * the newcomer); `fair-share`: another writer's entry gave way, that writer holding the most.
 */
export type DropReason =
  | "queue-full"
  | "fair-share"
  | "expired"
  | "cancelled"
  | "reset"
  | "stopped";

export interface Dropped {
  readonly input: string;
  readonly taskId: TaskId;
  readonly reason: DropReason;
}

export type Offer<V> =
  | { readonly kind: "pending"; readonly replaced: boolean; readonly dropped: readonly Dropped[] }
  | {
      readonly kind: "complete";
      readonly taskId: TaskId;
      readonly values: ReadonlyMap<string, V>;
      readonly replaced: boolean;
      readonly dropped: readonly Dropped[];
    }
  | {
      readonly kind: "rejected";
      readonly reason: "invalid-task-id" | "cancelled-task" | "completed-task" | "unknown-input";
    };

export interface TaskJoinOptions {
  readonly inputs: readonly string[];
  /** Entries kept per input queue (SustainML: 50). */
  readonly maxPendingPerInput: number;
  /** An input waiting longer than this for its siblings is dropped. */
  readonly maxAgeMs: number;
  /** Stopped tasks remembered so their late inputs are refused. */
  readonly maxCancelled?: number;
  /**
   * Completed tasks remembered (for `maxAgeMs` at most) so that an input arriving after its
   * task completed is refused as a duplicate, not held to complete a later run of the id.
   */
  readonly maxCompleted?: number;
  /** Milliseconds on a clock that never steps (default `performance.now()`). */
  readonly now?: () => number;
}

interface Entry<V> {
  readonly key: string;
  readonly taskId: TaskId;
  readonly value: V;
  readonly arrivedAt: number;
  /** `BusSample.writer`: who gives way when the queue is full (fair-share.ts). */
  readonly writer: string;
}

interface Queue<V> {
  readonly input: string;
  /** Task key -> entry, oldest first. */
  readonly entries: Map<string, Entry<V>>;
}

/** What most offers drop: nothing, without an array each time. */
const NOTHING_DROPPED: readonly Dropped[] = Object.freeze([]);

/** The default clock of ages: one that an NTP step or `date -s` does not move. */
export const monotonicMs = (): number => performance.now();

export class TaskJoin<V> {
  // An array of queues rather than a Map of them: three inputs are checked on every sample.
  private readonly queues: readonly Queue<V>[];
  private readonly byInput = new Map<string, Queue<V>>();
  private readonly cancelled = new Set<string>();
  /** Task key -> when it completed, oldest first; bounded by `maxCompleted` and `maxAgeMs`. */
  private readonly completed = new Map<string, number>();
  private readonly now: () => number;

  constructor(private readonly options: TaskJoinOptions) {
    if (options.inputs.length === 0) throw new Error("a node needs at least one input");
    this.queues = options.inputs.map((input) => ({ input, entries: new Map() }));
    for (const queue of this.queues) this.byInput.set(queue.input, queue);
    this.now = options.now ?? monotonicMs;
  }

  offer(input: string, taskId: TaskId, value: V, writer = ""): Offer<V> {
    const queue = this.byInput.get(input)?.entries;
    if (!queue) return { kind: "rejected", reason: "unknown-input" };
    if (taskId.problem_id === 0 && taskId.iteration_id === 0)
      return { kind: "rejected", reason: "invalid-task-id" };
    const key = taskKey(taskId);
    if (this.cancelled.has(key)) return { kind: "rejected", reason: "cancelled-task" };

    let dropped = this.expire();
    // After expire(): a completion older than the age limit is forgotten, so an orchestrator
    // that restarted and numbers its tasks from 1 again is served once that horizon passed.
    if (this.completed.has(key)) return { kind: "rejected", reason: "completed-task" };
    const replaced = queue.delete(key);
    if (!replaced && queue.size >= this.options.maxPendingPerInput) {
      dropped = [...dropped, evictForWriter(input, queue, writer)];
    }
    // Map order is insertion order: re-inserting keeps the oldest entry first.
    queue.set(key, { key, taskId, value, arrivedAt: this.now(), writer });

    for (const other of this.queues) {
      if (!other.entries.has(key)) return { kind: "pending", replaced, dropped };
    }
    const values = new Map<string, V>();
    for (const other of this.queues) {
      const entry = other.entries.get(key);
      if (entry) values.set(other.input, entry.value);
      other.entries.delete(key);
    }
    this.rememberCompleted(key);
    return { kind: "complete", taskId, values, replaced, dropped };
  }

  /** Whether an input of the task is held: a task command acts only on such a task. */
  holds(taskId: TaskId): boolean {
    const key = taskKey(taskId);
    for (const { entries } of this.queues) if (entries.has(key)) return true;
    return false;
  }

  private rememberCompleted(key: string): void {
    this.completed.delete(key);
    this.completed.set(key, this.now());
    const limit = this.options.maxCompleted ?? 1_000;
    for (const old of this.completed.keys()) {
      if (this.completed.size <= limit) break;
      this.completed.delete(old);
    }
  }

  /**
   * Drops every input held for the task. With `remember` (STOP_TASK) its later inputs are
   * refused too; without (RESET_TASK) they are accepted again, a stop before included
   * (sustainml-wire.md §9), so a task once stopped can be run again.
   */
  cancel(taskId: TaskId, remember: boolean): Dropped[] {
    const key = taskKey(taskId);
    if (remember) {
      this.cancelled.add(key);
      const limit = this.options.maxCancelled ?? 1_000;
      for (const old of this.cancelled) {
        if (this.cancelled.size <= limit) break;
        this.cancelled.delete(old);
      }
    } else {
      // RESET_TASK is how a task id is run again: a completed one included.
      this.cancelled.delete(key);
      this.completed.delete(key);
    }
    return this.removeWhere((entryKey) => entryKey === key, "cancelled");
  }

  /**
   * RESET_NODE: drops every pending input and forgets the stopped tasks, so the node is as it
   * started and accepts any task again (a reset of each task at once, as RESET_TASK is of one).
   */
  reset(): Dropped[] {
    this.cancelled.clear();
    this.completed.clear();
    return this.removeWhere(() => true, "reset");
  }

  /** At the node's stop: every pending input is dropped, reported with the reason `stopped`. */
  dropAll(): Dropped[] {
    return this.removeWhere(() => true, "stopped");
  }

  expire(): readonly Dropped[] {
    const deadline = this.now() - this.options.maxAgeMs;
    let dropped: Dropped[] | undefined;
    for (const { input, entries } of this.queues) {
      for (const entry of entries.values()) {
        // Oldest first: the first young entry ends the scan of this queue.
        if (entry.arrivedAt > deadline) break;
        entries.delete(entry.key);
        dropped ??= [];
        dropped.push({ input, taskId: entry.taskId, reason: "expired" });
      }
    }
    for (const [key, completedAt] of this.completed) {
      if (completedAt > deadline) break;
      this.completed.delete(key);
    }
    return dropped ?? NOTHING_DROPPED;
  }

  pending(): Readonly<Record<string, number>> {
    return Object.fromEntries(this.queues.map(({ input, entries }) => [input, entries.size]));
  }

  private removeWhere(match: (key: string) => boolean, reason: DropReason): Dropped[] {
    const dropped: Dropped[] = [];
    for (const { input, entries } of this.queues) {
      for (const entry of entries.values()) {
        if (!match(entry.key)) continue;
        entries.delete(entry.key);
        dropped.push({ input, taskId: entry.taskId, reason });
      }
    }
    return dropped;
  }
}

/**
 * Makes room in a full queue for `writer`'s newcomer: the oldest entry of the writer holding
 * the most (fair-share.ts) goes; when that is the newcomer's writer and it holds nothing here
 * (every writer holds one), the oldest entry goes, as before fairness.
 */
function evictForWriter<V>(input: string, queue: Map<string, Entry<V>>, writer: string): Dropped {
  const victim = busiestWriter(
    Array.from(queue.values(), (entry) => entry.writer),
    writer,
  );
  let evicted: Entry<V> | undefined;
  for (const entry of queue.values()) {
    evicted ??= entry;
    if (entry.writer === victim) {
      evicted = entry;
      break;
    }
  }
  // The queue is full, so it holds an entry.
  const gone = evicted as Entry<V>;
  queue.delete(gone.key);
  return {
    input,
    taskId: gone.taskId,
    reason: victim !== writer && gone.writer === victim ? "fair-share" : "queue-full",
  };
}
