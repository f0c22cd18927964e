import { describe, expect, it } from "vitest";
import { defaultCarbonNodeSettings } from "../src/nodes/carbon-footprint.ts";
import { WarmUpError, warmUpCarbonNode } from "../src/nodes/carbon-warm-up.ts";

describe("warmUpCarbonNode", () => {
  it("runs every synthetic task through a private RTPS network and reports it", async () => {
    const report = await warmUpCarbonNode(defaultCarbonNodeSettings(), {
      tasks: 60,
      burstSize: 10,
    });
    expect(report.tasks).toBe(60);
    expect(report.elapsedMs).toBeGreaterThan(0);
  });

  it("fails with the node's own reason when the synthetic task cannot be answered", async () => {
    const broken = { ...defaultCarbonNodeSettings(), gridIntensityOverride: -5 };
    await expect(warmUpCarbonNode(broken, { tasks: 4 })).rejects.toThrow(WarmUpError);
    await expect(warmUpCarbonNode(broken, { tasks: 4 })).rejects.toThrow(/reported ERROR: .+/);
  });

  it("gives up after its time limit instead of holding the start back", async () => {
    await expect(
      warmUpCarbonNode(defaultCarbonNodeSettings(), { tasks: 100_000, timeoutMs: 300 }),
    ).rejects.toThrow("warm-up failed: timed out");
  });
});
