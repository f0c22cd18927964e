import { describe, expect, it } from "vitest";
import { parseTrackerOptions } from "./options.ts";

describe("tracker options", () => {
  it("has carbontracker's defaults", () => {
    const parsed = parseTrackerOptions({ epochs: 5 });
    if (!parsed.ok) throw new Error(parsed.error.message);
    expect(parsed.value).toMatchObject({
      epochs: 5,
      epochsBeforePred: 1,
      monitorEpochs: -1,
      updateInterval: 1,
      interpretable: true,
      ignoreErrors: false,
      components: ["gpu", "cpu"],
      devicesByPid: false,
      logDir: null,
      logFilePrefix: "",
      verbose: 1,
      decimalPrecision: 12,
      apiKeys: null,
      simCpuUtil: 0.5,
      simGpuUtil: 0.5,
      intensityRefreshS: 900,
    });
  });

  it("takes carbontracker's verbose=True as 1 and False as 0", () => {
    const on = parseTrackerOptions({ verbose: true });
    expect(on.ok && on.value.verbose).toBe(1);
    const off = parseTrackerOptions({ verbose: false });
    expect(off.ok && off.value.verbose).toBe(0);
  });

  it("reads components as carbontracker does: trimmed, lower-cased, gpu before cpu", () => {
    const parsed = parseTrackerOptions({ components: " CPU , gpu" });
    expect(parsed.ok && parsed.value.components).toEqual(["gpu", "cpu"]);
    const cpu = parseTrackerOptions({ components: ["cpu"] });
    expect(cpu.ok && cpu.value.components).toEqual(["cpu"]);
  });

  it("accepts epochsBeforePred up to epochs, and 0 or -1 with any epochs", () => {
    for (const epochsBeforePred of [3, 0, -1]) {
      expect(parseTrackerOptions({ epochs: 3, epochsBeforePred }).ok).toBe(true);
    }
    // Without epochs there is no prediction to refuse.
    expect(parseTrackerOptions({ epochsBeforePred: 4 }).ok).toBe(true);
  });

  it.each([
    [{ epochs: 0 }, "epochs", ">= 1"],
    [{ epochs: 2.5 }, "epochs", "whole number"],
    [{ components: "tpu" }, "components", '"tpu" is not a component'],
    [{ monitorEpochs: 0 }, "monitorEpochs", "got 0"],
    [{ epochsBeforePred: 3, monitorEpochs: 2 }, "monitorEpochs", ">= epochsBeforePred"],
    [{ epochs: 3, epochsBeforePred: 4 }, "epochsBeforePred", "(4) must be <= epochs (3), or 0"],
    [{ epochs: 3, monitorEpochs: -1, epochsBeforePred: 5 }, "epochsBeforePred", "<= epochs (3)"],
    [{ simCpu: "Xeon" }, "simCpuTdp", "required with simCpu"],
    [{ simGpu: "A100", simGpuWatts: 300, simGpuUtil: 2 }, "simGpuUtil", "from 0 to 1"],
    [{ verbose: 3 }, "verbose", "0, 1 or 2, or true (1) or false (0)"],
    [{ verbose: "yes" }, "verbose", "0, 1 or 2, or true (1) or false (0)"],
    [{ intensityGPerKWh: 1e300 }, "intensityGPerKWh", "from 0 to 1e20 (MAX_INTENSITY_G_PER_KWH"],
    [{ intensityGPerKWh: -1 }, "intensityGPerKWh", "from 0 to 1e20"],
    [{ apiKeys: { foo: "k" } }, "apiKeys.foo", "supported: electricitymaps"],
    [{ epcohs: 3 }, "epcohs", "the options are epochs"],
    [{ logFilePrefix: "../escape" }, "logFilePrefix", "may not contain a path separator"],
    [{ logFilePrefix: 3 }, "logFilePrefix", "logFilePrefix must be a string"],
  ] as const)("rejects %j naming %s", (options, field, words) => {
    const parsed = parseTrackerOptions(options as never);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.error.kind).toBe("invalid-options");
    expect(parsed.error.field).toBe(field);
    expect(parsed.error.message).toContain(words);
  });
});
