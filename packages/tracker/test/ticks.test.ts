import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { CarbonTracker, type TrackerWarning } from "../src/index.ts";

/**
 * The timer's ticks sample into one reading (`sampleInto`); what a tick sees must still reach
 * the user: samples counted, a device that fails warned once, its energy kept by the meter.
 * On a fake powercap tree (real files), so the RAPL reader runs as it does on a machine.
 */

const RANGE_UJ = 262_143_328_850;
let root = "";

async function writeZone(energyUj: string): Promise<void> {
  await writeFile(join(root, "intel-rapl:0", "energy_uj"), `${energyUj}\n`);
}

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "wattprint-ticks-"));
  await mkdir(join(root, "intel-rapl"), { recursive: true });
  await writeFile(join(root, "intel-rapl", "enabled"), "1\n");
  await mkdir(join(root, "intel-rapl:0"), { recursive: true });
  await writeFile(join(root, "intel-rapl:0", "name"), "package-0\n");
  await writeFile(join(root, "intel-rapl:0", "max_energy_range_uj"), `${RANGE_UJ}\n`);
  await writeZone("1000000");
  vi.useFakeTimers({ now: new Date("2026-12-03T04:00:00Z") });
});
afterEach(async () => {
  vi.useRealTimers();
  await rm(root, { recursive: true, force: true });
});

describe("timer ticks", () => {
  it("counts each tick, warns once about a device that fails, and keeps its energy", async () => {
    const warnings: TrackerWarning[] = [];
    const tracker = new CarbonTracker({
      components: ["cpu"],
      power: {
        powercapRoot: root,
        fallback: "none",
        nvmlLibrary: "/nonexistent/libnvidia-ml.so.1",
      },
      updateInterval: 1,
      intensityGPerKWh: 400,
      logDir: null,
      verbose: 0,
      onWarning: (warning) => warnings.push(warning),
    });
    await tracker.start();
    const opened = tracker.introspect().samples;

    await writeZone("11000000"); // 10 J later
    await vi.advanceTimersByTimeAsync(1000);
    expect(tracker.introspect().samples).toBe(opened + 1);

    await writeZone("not a number");
    await vi.advanceTimersByTimeAsync(3000);
    expect(tracker.introspect().samples).toBe(opened + 4);
    const sampling = warnings.filter((w) => w.kind === "sampling");
    expect(sampling).toHaveLength(1);
    expect(sampling[0]?.message).toMatch(/package-0/);
    expect(sampling[0]?.message).toMatch(/not repeated/);

    await writeZone("31000000"); // 20 J more
    await vi.advanceTimersByTimeAsync(1000);
    const result = await tracker.stop();
    expect(warnings.filter((w) => w.kind === "sampling")).toHaveLength(1);
    const cpu = result.components.find((c) => c.component === "cpu");
    expect(cpu?.basis).toBe("measured");
    expect(cpu?.energyJ).toBeCloseTo(30, 6);
  });
});
