import { Status } from "@wattprint/messages";
import { describe, expect, it } from "vitest";
import {
  restingStatus,
  statusAfterOutput,
  statusBeforeOutput,
  statusOnReset,
  statusOnStart,
} from "./status-rules.ts";

describe("status rules", () => {
  it("around a task: ERROR before a failed output, INACTIVE after it while stopped", () => {
    expect(restingStatus(false)).toBe(Status.NODE_IDLE);
    expect(restingStatus(true)).toBe(Status.NODE_INACTIVE);
    expect(statusBeforeOutput(true, false)).toBe(Status.NODE_IDLE);
    expect(statusBeforeOutput(true, true)).toBe(Status.NODE_INACTIVE);
    expect(statusBeforeOutput(false, false)).toBe(Status.NODE_ERROR);
    expect(statusBeforeOutput(false, true)).toBe(Status.NODE_ERROR);
    expect(statusAfterOutput(false, true)).toBe(Status.NODE_INACTIVE);
    expect(statusAfterOutput(false, false)).toBeUndefined();
    expect(statusAfterOutput(true, true)).toBeUndefined();
  });

  it("START_NODE resumes a stopped node only; RESET_NODE says IDLE unless a task runs", () => {
    expect(statusOnStart(false, false)).toBeUndefined();
    expect(statusOnStart(false, true)).toBeUndefined();
    expect(statusOnStart(true, false)).toBe(Status.NODE_IDLE);
    expect(statusOnStart(true, true)).toBe(Status.NODE_RUNNING);
    expect(statusOnReset(false)).toBe(Status.NODE_IDLE);
    expect(statusOnReset(true)).toBe(Status.NODE_RUNNING);
  });
});
