import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CarbonTracker } from "../src/index.ts";

// A machine with no GPU, whatever this one has: empty sysfs trees and no NVML library.
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "tracker-no-devices-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const noGpuHere = () => ({
  powercapRoot: join(dir, "powercap"),
  hwmonRoot: join(dir, "hwmon"),
  nvmlLibrary: join(dir, "libnvidia-ml.so.1"),
});

describe("no device for the components asked for", () => {
  it("says why, from the readers that could have given them, what was found, and how to simulate", async () => {
    const tracker = new CarbonTracker({ components: "gpu", verbose: 0, power: noGpuHere() });
    const ready = await tracker.ready();
    expect(ready.ok).toBe(false);
    if (ready.ok) return;
    expect(ready.error.kind).toBe("no-devices");
    const { message } = ready.error;
    expect(message).toMatch(/^No components were available for gpu: nvml: /);
    expect(message).toContain("amdgpu: ");
    // RAPL and the CPU model give no GPU: their skips do not explain a missing one.
    expect(message).not.toMatch(/\brapl: /);
    expect(message).toMatch(/; found only cpu(, dram)? devices;/);
    expect(message).toMatch(/simGpu with simGpuWatts simulates a GPU$/);
    // Nothing was measured, so nothing was said about the intensity it would have used.
    expect(tracker.warnings.map((w) => w.message).join("\n")).not.toMatch(
      /No carbon intensity provider/,
    );
  });

  it("says the intensity notice once a run can be measured", async () => {
    const tracker = new CarbonTracker({ simCpu: "C", simCpuTdp: 10, verbose: 0 });
    expect((await tracker.ready()).ok).toBe(true);
    expect(tracker.warnings.map((w) => w.message)).toContainEqual(
      expect.stringMatching(/^No carbon intensity provider specified and no location given/),
    );
    await tracker.stop();
  });
});
