import { describe, expect, it } from "vitest";
import { CarbonTracker } from "../src/index.ts";

/**
 * Simulated devices exist for reproducible tests and demos: one that draws a constant W must
 * read back exactly W per epoch. Real timers on purpose: under fake timers no time passes
 * between the CPU's and the GPU's reads, which is what hid the difference. The assertion does
 * not depend on how long the epochs take.
 */

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("a constant simulated CPU next to a simulated GPU", () => {
  it("reads back its exact wattage per epoch, as the GPU does", async () => {
    const tracker = new CarbonTracker({
      epochs: 6,
      simCpu: "Xeon Sim",
      simCpuTdp: 100,
      simCpuUtil: 1,
      simGpu: "NVIDIA Sim",
      simGpuWatts: 100,
      simGpuUtil: 1,
      intensityGPerKWh: 100,
      updateInterval: 0.05,
      verbose: 0,
    });
    const watts: { cpu?: number; gpu?: number }[] = [];
    for (const ms of [2, 5, 5, 20, 60, 2]) {
      await tracker.epochStart();
      await sleep(ms);
      const report = await tracker.epochEnd();
      watts.push(report?.powerW ?? {});
    }
    for (const w of watts) {
      // The same arithmetic on the same times: the same number, to the last bit.
      expect(w.cpu).toBe(w.gpu);
      expect(Math.abs((w.cpu ?? 0) - 100)).toBeLessThan(1e-9);
    }
  });
});
