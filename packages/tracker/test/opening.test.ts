import { mkdtempSync, readdirSync, readlinkSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { IntensityProvider } from "@wattprint/core";
import { type PowerSource, SimulatedSource } from "@wattprint/power";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CarbonTracker, measure, type TrackerOptions } from "../src/index.ts";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "tracker-opening-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Files under `folder` this process holds open (Linux: /proc/self/fd). */
function openDescriptorsUnder(folder: string): string[] {
  return readdirSync("/proc/self/fd")
    .map((fd) => {
      try {
        return readlinkSync(`/proc/self/fd/${fd}`);
      } catch {
        return ""; // the descriptor readdir itself used, closed since
      }
    })
    .filter((target) => target.startsWith(folder));
}

/** A simulated CPU that counts how often the tracker closes it. */
function countedSource(): { source: PowerSource; closed: () => number; detected: () => number } {
  const inner = new SimulatedSource("cpu", [{ name: "sim cpu", watts: 100 }]);
  let closed = 0;
  let detected = 0;
  const source: PowerSource = {
    reader: inner.reader,
    detect: () => {
      detected++;
      return inner.detect();
    },
    sample: () => inner.sample(),
    introspect: () => inner.introspect(),
    close: () => {
      closed++;
      inner.close();
    },
  };
  return { source, closed: () => closed, detected: () => detected };
}

/** A simulated CPU whose detection takes `delayMs` of real time: an open that is not instant. */
function slowSource(delayMs: number): PowerSource {
  const inner = countedSource().source;
  return {
    ...inner,
    detect: async () => {
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      return inner.detect();
    },
  };
}

/** A provider whose `supports` throws from its `failOn`-th call on (a caller's bug). */
function throwingProvider(failOn: number): IntensityProvider {
  let calls = 0;
  return {
    id: "broken",
    title: "Broken",
    supports: () => {
      calls++;
      if (calls >= failOn) throw new Error("the provider's zone list is not loaded");
      return true;
    },
    current: async () => {
      throw new Error("never reached");
    },
  };
}

function options(source: PowerSource, extra: TrackerOptions): TrackerOptions {
  return {
    location: "DK",
    logDir: dir,
    verbose: 0,
    power: { inject: { sources: [source] }, fallback: "none" },
    ...extra,
  };
}

describe("an exception while the tracker opens", () => {
  it("from the intensity provider is an intensity failure, before any device is opened", async () => {
    const counted = countedSource();
    const opened = await CarbonTracker.create(
      options(counted.source, { intensityProvider: throwingProvider(1) }),
    );
    expect(!opened.ok && opened.error).toMatchObject({
      kind: "intensity",
      message: "opening the carbon intensity failed: the provider's zone list is not loaded",
    });
    expect(counted.detected()).toBe(0);
  });

  it("from a power source is a no-devices failure naming the power meter", async () => {
    const broken: PowerSource = {
      ...countedSource().source,
      detect: () => Promise.reject(new Error("the device file vanished")),
    };
    const opened = await CarbonTracker.create(options(broken, {}));
    expect(!opened.ok && opened.error).toMatchObject({
      kind: "no-devices",
      message: "opening the power meter failed: the device file vanished",
    });
  });

  it("once the meter and logs are open, names its stage and closes the meter and the logs", async () => {
    const counted = countedSource();
    const tracker = new CarbonTracker(
      options(counted.source, { intensityProvider: throwingProvider(2) }),
    );
    const ready = await tracker.ready();
    expect(!ready.ok && ready.error).toMatchObject({
      kind: "intensity",
      message:
        "opening the live carbon intensity feed failed: the provider's zone list is not loaded",
    });
    expect(counted.closed()).toBe(1);
    expect(tracker.devices).toEqual([]);
    expect(tracker.logFiles).toBeNull();
    // The two logs had been created before the failure; no descriptor is left open on them.
    expect(readdirSync(dir).length).toBe(2);
    expect(openDescriptorsUnder(dir)).toEqual([]);
  });
});

describe("measure() of a promise that rejects while the tracker opens", () => {
  it("observes the rejection at once and passes it on after stopping, never unhandled", async () => {
    const unhandled: unknown[] = [];
    const note = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", note);
    try {
      const work = Promise.reject(new Error("inference failed early"));
      await expect(measure(work, options(slowSource(50), {}))).rejects.toThrow(
        "inference failed early",
      );
      // Node reports an unhandled rejection after a turn of the event loop.
      await new Promise((resolve) => setTimeout(resolve, 10));
    } finally {
      process.off("unhandledRejection", note);
    }
    expect(unhandled).toEqual([]);
    // The run was measured and its logs written before the rejection was passed on.
    expect(readdirSync(dir).length).toBe(2);
  });
});
