import { describe, expect, it } from "vitest";
import { TaskJoin } from "./task-join.ts";

const id = (problem_id: number, iteration_id = 1) => ({ problem_id, iteration_id });

describe("TaskJoin", () => {
  it("completes a task when every input holds its id, in any order", () => {
    const join = new TaskJoin<string>({
      inputs: ["a", "b"],
      maxPendingPerInput: 5,
      maxAgeMs: 1_000,
      now: () => 0,
    });
    expect(join.offer("b", id(1), "b1").kind).toBe("pending");
    const done = join.offer("a", id(1), "a1");
    expect(done.kind).toBe("complete");
    if (done.kind === "complete")
      expect(Object.fromEntries(done.values)).toEqual({ a: "a1", b: "b1" });
    expect(join.pending()).toEqual({ a: 0, b: 0 });
  });

  it("rejects (0,0) and unknown inputs, replaces duplicates", () => {
    const join = new TaskJoin<string>({
      inputs: ["a", "b"],
      maxPendingPerInput: 5,
      maxAgeMs: 1_000,
    });
    expect(join.offer("a", id(0, 0), "x")).toEqual({ kind: "rejected", reason: "invalid-task-id" });
    expect(join.offer("c", id(1), "x")).toEqual({ kind: "rejected", reason: "unknown-input" });
    join.offer("a", id(1), "old");
    expect(join.offer("a", id(1), "new")).toMatchObject({ kind: "pending", replaced: true });
    const done = join.offer("b", id(1), "b");
    expect(done.kind === "complete" && done.values.get("a")).toBe("new");
  });

  it("evicts the oldest entry of a full queue and expires old ones", () => {
    let now = 0;
    const join = new TaskJoin<string>({
      inputs: ["a", "b"],
      maxPendingPerInput: 2,
      maxAgeMs: 100,
      now: () => now,
    });
    join.offer("a", id(1), "1");
    join.offer("a", id(2), "2");
    expect(join.offer("a", id(3), "3")).toMatchObject({
      dropped: [{ input: "a", taskId: id(1), reason: "queue-full" }],
    });
    now = 50;
    join.offer("b", id(9), "9");
    now = 120;
    expect(join.expire().map((d) => d.taskId.problem_id)).toEqual([2, 3]);
    expect(join.pending()).toEqual({ a: 0, b: 1 });
  });

  it("cancels a task, remembering it in a bounded set", () => {
    const join = new TaskJoin<string>({
      inputs: ["a", "b"],
      maxPendingPerInput: 5,
      maxAgeMs: 1_000,
      maxCancelled: 1,
    });
    join.offer("a", id(1), "x");
    expect(join.cancel(id(1), true)).toEqual([{ input: "a", taskId: id(1), reason: "cancelled" }]);
    expect(join.offer("b", id(1), "y")).toEqual({ kind: "rejected", reason: "cancelled-task" });
    join.cancel(id(2), true);
    // The limit of one forgets task 1 once task 2 is cancelled.
    expect(join.offer("b", id(1), "y").kind).toBe("pending");
    expect(join.reset()).toHaveLength(1);
  });

  it("accepts a stopped task again after RESET_TASK or a reset of the node", () => {
    const join = new TaskJoin<string>({
      inputs: ["a", "b"],
      maxPendingPerInput: 5,
      maxAgeMs: 1_000,
    });
    join.cancel(id(1), true);
    join.cancel(id(1), false);
    expect(join.offer("a", id(1), "x").kind).toBe("pending");
    join.cancel(id(2), true);
    expect(join.reset()).toEqual([{ input: "a", taskId: id(1), reason: "reset" }]);
    expect(join.offer("a", id(2), "x").kind).toBe("pending");
    expect(join.dropAll()).toEqual([{ input: "a", taskId: id(2), reason: "stopped" }]);
  });

  it("refuses an input for a task that completed, until RESET_TASK or the age limit", () => {
    let now = 0;
    const join = new TaskJoin<string>({
      inputs: ["a", "b"],
      maxPendingPerInput: 5,
      maxAgeMs: 1_000,
      now: () => now,
    });
    join.offer("a", id(5), "a");
    expect(join.offer("b", id(5), "b").kind).toBe("complete");
    // A duplicate after completion is not held: it would answer the next run of the id.
    expect(join.offer("b", id(5), "stale")).toEqual({ kind: "rejected", reason: "completed-task" });
    expect(join.pending()).toEqual({ a: 0, b: 0 });
    join.cancel(id(5), false);
    join.offer("a", id(5), "a2");
    const rerun = join.offer("b", id(5), "b2");
    expect(rerun.kind === "complete" && Object.fromEntries(rerun.values)).toEqual({
      a: "a2",
      b: "b2",
    });
    now = 1_001;
    expect(join.offer("a", id(5), "a3").kind).toBe("pending");
  });

  it("makes room in a full queue from the writer holding the most entries", () => {
    const join = new TaskJoin<string>({ inputs: ["a", "b"], maxPendingPerInput: 4, maxAgeMs: 1e9 });
    join.offer("a", id(1), "genuine", "orchestrator");
    for (const problem of [100, 101, 102]) join.offer("a", id(problem), "x", "flooder");
    // The flooder's own oldest gives way to its newcomer, not the orchestrator's older entry.
    expect(join.offer("a", id(103), "x", "flooder")).toMatchObject({
      kind: "pending",
      dropped: [{ input: "a", taskId: id(100), reason: "queue-full" }],
    });
    expect(join.offer("a", id(2), "genuine", "orchestrator")).toMatchObject({
      dropped: [{ input: "a", taskId: id(101), reason: "fair-share" }],
    });
    expect(join.offer("b", id(1), "b", "orchestrator").kind).toBe("complete");
  });
});
