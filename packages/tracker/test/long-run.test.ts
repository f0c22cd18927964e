import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { gramsPerKWh, type IntensityProvider } from "@wattprint/core";
import { ok } from "@wattprint/result";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { CarbonTracker } from "../src/index.ts";

/**
 * A day of tracking in fake time: the live intensity is fetched at start and every 900 s
 * through the core's provider port (an in-memory provider, no network), and the process's
 * memory does not grow with the hours.
 */

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

/** Grid intensity that cycles through four values, one per call, like a changing grid. */
function cyclingProvider(): IntensityProvider & { calls: string[] } {
  const calls: string[] = [];
  const values = [100, 200, 300, 400];
  return {
    id: "fake-grid",
    title: "In-memory grid",
    calls,
    supports: (zone) => zone === "DK",
    current: async (zone) => {
      calls.push(new Date().toISOString());
      const value = values[(calls.length - 1) % values.length] as number;
      return ok({
        zone,
        intensity: gramsPerKWh(value),
        at: new Date().toISOString(),
        providerId: "fake-grid",
        source: { id: "fake-grid", title: "In-memory grid", url: "", year: 2026 },
        basis: "test values",
        estimated: false,
      });
    },
  };
}

let dir: string;
beforeEach(() => {
  vi.useFakeTimers({ now: new Date("2026-12-02T00:00:00Z") });
  dir = mkdtempSync(join(tmpdir(), "tracker-long-"));
});
afterEach(() => {
  vi.useRealTimers();
  rmSync(dir, { recursive: true, force: true });
});

describe("a 24-hour run", () => {
  it("refreshes the intensity every 900 s and keeps memory flat", async () => {
    const provider = cyclingProvider();
    const tracker = new CarbonTracker({
      simGpu: "NVIDIA Sim",
      simGpuWatts: 300,
      simCpu: "Xeon Sim",
      simCpuTdp: 120,
      location: "DK",
      intensityProvider: provider,
      logDir: dir,
      verbose: 0,
    });
    await tracker.start();
    const heapAt: number[] = [];
    for (let hour = 1; hour <= 24; hour++) {
      await vi.advanceTimersByTimeAsync(3_600_000);
      if (hour === 2 || hour === 24) {
        gc();
        heapAt.push(process.memoryUsage().heapUsed);
      }
    }
    const result = await tracker.stop();

    // At start, then every 900 s: 96 more in 24 h.
    expect(provider.calls).toHaveLength(97);
    const gaps = provider.calls
      .slice(1)
      .map((at, i) => Date.parse(at) - Date.parse(provider.calls[i] as string));
    expect(new Set(gaps)).toEqual(new Set([900_000]));
    expect(result.intensity.level).toBe("live");
    expect(result.intensity.values).toHaveLength(97);
    // 97 values cycling 100..400: 25 of 100, 24 each of the others.
    const mean = (25 * 100 + 24 * (200 + 300 + 400)) / 97;
    expect(result.intensity.gPerKWh).toBeCloseTo(mean, 9);
    expect(result.co2G).toBeCloseTo(result.energy.totalKWh * mean, 9);
    expect(result.durationS).toBeCloseTo(86_400, 6);
    expect(result.energy.itJ).toBeCloseTo((150 + 60) * 86_400, 0);

    const std = readFileSync(tracker.logFiles?.standard ?? "", "utf8");
    expect(std.match(/Carbon intensity fetched: \d+\.00 gCO2\/kWh at Denmark, DK/g)).toHaveLength(
      97,
    );
    expect(std).toMatch(
      /Carbon intensities \(gCO2eq\/kWh\) fetched every 900 s at detected location: Denmark, DK: \[100\.0, 200\.0, 300\.0, 400\.0, 100\.0/,
    );

    const counters = tracker.introspect();
    expect(counters.samples).toBeGreaterThanOrEqual(86_000);
    expect(counters.intensityFetches).toBe(97);
    // Memory: 22 simulated hours (79,200 samples, 88 fetches) add no more than a generous 8 MB.
    const [early, late] = heapAt as [number, number];
    expect(late - early).toBeLessThan(8 * 1024 * 1024);
  }, 120_000);
});
