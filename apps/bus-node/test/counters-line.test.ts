import { describe, expect, it } from "vitest";
import { changedCounters } from "../src/counters-line.ts";

describe("changedCounters", () => {
  it("gives the text of counters that changed since the last line, nothing otherwise", () => {
    const counters = { inputsDropped: { queueFull: 0 }, measurer: { runner: { restarts: 0 } } };
    const first = changedCounters(undefined, counters);
    expect(first).toBe(JSON.stringify(counters));
    expect(changedCounters(first, counters)).toBeUndefined();
    counters.inputsDropped.queueFull = 3;
    expect(changedCounters(first, counters)).toMatch(/"queueFull":3/);
  });
});
