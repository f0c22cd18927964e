import { describe, expect, it } from "vitest";
import { createMemoryLogger } from "../src/log.ts";
import { carbonFootprintNode, defaultCarbonNodeSettings } from "../src/nodes/carbon-footprint.ts";
import { warmUpCarbonNode } from "../src/warm-up/carbon-warm-up.ts";

describe("warmUpCarbonNode", () => {
  it("answers every synthetic task despite the losses it stages, and reports them", async () => {
    const logger = createMemoryLogger();
    const result = await warmUpCarbonNode(carbonFootprintNode(defaultCarbonNodeSettings()), {
      tasks: 150,
      burstSize: 10,
      logger,
    });
    if (!result.ok) throw new Error(result.error.message);
    const report = result.value;
    expect(report.tasks).toBe(150);
    // The late client announcement and five lost samples, each repaired by the protocol.
    expect(report.lostDatagrams).toBe(6);
    expect(report.elapsedMs).toBeGreaterThan(0);
    expect(logger.records.filter((r) => r.level === "warn" || r.level === "error")).toEqual([]);
    // Both clients' tasks went through the node's own logging.
    expect(logger.records.filter((r) => r.message === "task done")).toHaveLength(150);
  });

  it("fails with the node's own reason when the synthetic task cannot be answered", async () => {
    const broken = { ...defaultCarbonNodeSettings(), gridIntensityOverride: -5 };
    const result = await warmUpCarbonNode(carbonFootprintNode(broken), {
      tasks: 4,
      logger: createMemoryLogger(),
    });
    expect(!result.ok && result.error).toEqual({
      kind: "task-failed",
      message:
        "warm-up failed: the node reported ERROR: Failed to obtain carbon footprint information: " +
        "grid intensity override -5 must be a non-negative number",
    });
  });

  it("ends when its caller's signal aborts, with fewer tasks run than asked", async () => {
    const controller = new AbortController();
    // Aborted once the first tasks are answered; without the signal this warm-up would run
    // to its 30 s time limit and answer "timeout".
    let answered = 0;
    const result = await warmUpCarbonNode(carbonFootprintNode(defaultCarbonNodeSettings()), {
      tasks: 1_000_000,
      logger: {
        enabled: () => true,
        log: (_level, message) => {
          if (message === "task done" && ++answered === 30) controller.abort();
        },
      },
      signal: controller.signal,
    });
    expect(!result.ok && result.error).toEqual({
      kind: "aborted",
      message: "warm-up failed: stopped by its caller",
    });
    expect(answered).toBeGreaterThanOrEqual(30);
    expect(answered).toBeLessThan(1_000_000);
  });

  it("does not start when its caller's signal has already aborted", async () => {
    const result = await warmUpCarbonNode(carbonFootprintNode(defaultCarbonNodeSettings()), {
      tasks: 100,
      logger: createMemoryLogger(),
      signal: AbortSignal.abort(),
    });
    expect(!result.ok && result.error.kind).toBe("aborted");
  });

  it("gives up after its time limit instead of holding the start back", async () => {
    const result = await warmUpCarbonNode(carbonFootprintNode(defaultCarbonNodeSettings()), {
      tasks: 100_000,
      timeoutMs: 300,
      logger: createMemoryLogger(),
    });
    expect(!result.ok && result.error).toEqual({
      kind: "timeout",
      message: "warm-up failed: timed out",
    });
  });
});
