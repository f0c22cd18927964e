import { describe, expect, it } from "vitest";
import { ProblemLogLimiter } from "./problem-log.ts";

describe("ProblemLogLimiter", () => {
  it("admits the budget per interval, counts the rest once, and starts over each interval", () => {
    const limiter = new ProblemLogLimiter({ linesPerInterval: 3, intervalMs: 1_000 });
    const admitted = (now: number, count: number) =>
      Array.from({ length: count }, () => limiter.admit(now)).filter(Boolean).length;
    expect(admitted(0, 10)).toBe(3);
    expect(admitted(999, 5)).toBe(0);
    expect(limiter.takeSuppressed()).toBe(12);
    expect(limiter.takeSuppressed()).toBe(0);
    expect(admitted(1_000, 4)).toBe(3);
    expect(limiter.takeSuppressed()).toBe(1);
  });

  it("starts a new interval when the clock steps back rather than going silent", () => {
    const limiter = new ProblemLogLimiter({ linesPerInterval: 1, intervalMs: 60_000 });
    expect(limiter.admit(50_000)).toBe(true);
    expect(limiter.admit(50_001)).toBe(false);
    expect(limiter.admit(10_000)).toBe(true);
  });
});
