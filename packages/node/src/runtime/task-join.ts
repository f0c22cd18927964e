import { type TaskIdImpl as TaskId, taskIdKey as taskKey } from "@wattprint/messages";

/**
 * Joins a node's inputs by task id. SustainML's queues (SamplesQueue.cpp) wait forever and
 * drop the newest sample when full; here every queue is bounded in size and in age, the
 * oldest entry gives way, and everything dropped is reported so the runtime logs and counts it.
 */

export type { TaskId };

export type DropReason = "queue-full" | "expired" | "cancelled" | "reset";

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
      readonly reason: "invalid-task-id" | "cancelled-task" | "unknown-input";
    };

export interface TaskJoinOptions {
  readonly inputs: readonly string[];
  /** Entries kept per input queue (SustainML: 50). */
  readonly maxPendingPerInput: number;
  /** An input waiting longer than this for its siblings is dropped. */
  readonly maxAgeMs: number;
  /** Stopped tasks remembered so their late inputs are refused. */
  readonly maxCancelled?: number;
  readonly now?: () => number;
}

interface Entry<V> {
  readonly taskId: TaskId;
  readonly value: V;
  readonly arrivedAt: number;
}

export class TaskJoin<V> {
  private readonly queues = new Map<string, Map<string, Entry<V>>>();
  private readonly cancelled = new Set<string>();
  private readonly now: () => number;

  constructor(private readonly options: TaskJoinOptions) {
    if (options.inputs.length === 0) throw new Error("a node needs at least one input");
    for (const input of options.inputs) this.queues.set(input, new Map());
    this.now = options.now ?? Date.now;
  }

  offer(input: string, taskId: TaskId, value: V): Offer<V> {
    const queue = this.queues.get(input);
    if (!queue) return { kind: "rejected", reason: "unknown-input" };
    if (taskId.problem_id === 0 && taskId.iteration_id === 0)
      return { kind: "rejected", reason: "invalid-task-id" };
    const key = taskKey(taskId);
    if (this.cancelled.has(key)) return { kind: "rejected", reason: "cancelled-task" };

    const dropped = this.expire();
    const replaced = queue.delete(key);
    if (!replaced && queue.size >= this.options.maxPendingPerInput) {
      const oldest = queue.entries().next().value;
      if (oldest) {
        queue.delete(oldest[0]);
        dropped.push({ input, taskId: oldest[1].taskId, reason: "queue-full" });
      }
    }
    // Map order is insertion order: re-inserting keeps the oldest entry first.
    queue.set(key, { taskId, value, arrivedAt: this.now() });

    const values = new Map<string, V>();
    for (const [name, other] of this.queues) {
      const entry = other.get(key);
      if (!entry) return { kind: "pending", replaced, dropped };
      values.set(name, entry.value);
    }
    for (const other of this.queues.values()) other.delete(key);
    return { kind: "complete", taskId, values, replaced, dropped };
  }

  /** Drops every input held for the task; with `remember`, refuses its later inputs too. */
  cancel(taskId: TaskId, remember: boolean): Dropped[] {
    const key = taskKey(taskId);
    if (remember) {
      this.cancelled.add(key);
      const limit = this.options.maxCancelled ?? 1_000;
      for (const old of this.cancelled) {
        if (this.cancelled.size <= limit) break;
        this.cancelled.delete(old);
      }
    }
    return this.removeWhere((entryKey) => entryKey === key, "cancelled");
  }

  reset(): Dropped[] {
    return this.removeWhere(() => true, "reset");
  }

  expire(): Dropped[] {
    const deadline = this.now() - this.options.maxAgeMs;
    const dropped: Dropped[] = [];
    for (const [input, queue] of this.queues) {
      for (const [key, entry] of queue) {
        // Oldest first: the first young entry ends the scan of this queue.
        if (entry.arrivedAt > deadline) break;
        queue.delete(key);
        dropped.push({ input, taskId: entry.taskId, reason: "expired" });
      }
    }
    return dropped;
  }

  pending(): Readonly<Record<string, number>> {
    return Object.fromEntries([...this.queues].map(([input, queue]) => [input, queue.size]));
  }

  private removeWhere(match: (key: string) => boolean, reason: DropReason): Dropped[] {
    const dropped: Dropped[] = [];
    for (const [input, queue] of this.queues) {
      for (const [key, entry] of queue) {
        if (!match(key)) continue;
        queue.delete(key);
        dropped.push({ input, taskId: entry.taskId, reason });
      }
    }
    return dropped;
  }
}
