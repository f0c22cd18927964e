import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { CarbonTracker } from "../src/index.ts";

/**
 * A disk that fills up during a run: every write of the logs (or of the output log only)
 * fails from some point on, as with ENOSPC or EFBIG. The writer's `writeSync` is made to fail
 * here; nothing else in the tracker writes with it (its echo goes to the `stdout` option).
 */
const disk = vi.hoisted(() => ({
  full: false,
  outputFull: false,
  outputFds: new Set<number>(),
}));
vi.mock("node:fs", async (importOriginal) => {
  const real = await importOriginal<typeof import("node:fs")>();
  return {
    ...real,
    openSync: (...args: Parameters<typeof real.openSync>) => {
      const fd = real.openSync(...args);
      if (String(args[0]).endsWith("_output.log")) disk.outputFds.add(fd);
      return fd;
    },
    writeSync: (...args: Parameters<typeof real.writeSync>) => {
      if (disk.full || (disk.outputFull && disk.outputFds.has(args[0]))) {
        throw new Error("EFBIG: file too large, write");
      }
      return real.writeSync(...args);
    },
  };
});

let dir: string;

beforeEach(() => {
  vi.useFakeTimers({ now: new Date("2026-12-04T12:00:00Z") });
  dir = mkdtempSync(join(tmpdir(), "tracker-disk-full-"));
  disk.full = false;
  disk.outputFull = false;
});
afterEach(() => {
  disk.full = false;
  disk.outputFull = false;
  vi.useRealTimers();
  rmSync(dir, { recursive: true, force: true });
});

describe("log writes that fail during the run", () => {
  it("are one warning per failure, never a rejection: the run is measured and returned", async () => {
    const tracker = new CarbonTracker({
      epochs: 5,
      simCpu: "Xeon Sim",
      simCpuTdp: 100,
      simCpuUtil: 1,
      intensityGPerKWh: 100,
      logDir: dir,
      verbose: 0,
    });
    let last = null;
    for (let epoch = 1; epoch <= 5; epoch++) {
      if (epoch === 3) disk.full = true;
      await tracker.epochStart();
      await vi.advanceTimersByTimeAsync(10_000);
      last = await tracker.epochEnd();
    }
    // The last epochEnd() stopped the run and gave its result, complete with all 5 epochs.
    const result = last?.actual;
    expect(result?.status).toBe("complete");
    expect(result?.epochs.completed).toBe(5);
    expect(result?.energy.itJ).toBeCloseTo(100 * 50, 6);
    expect(await tracker.stop()).toBe(result);
    // Epochs 3, 4 and 5, the actual consumption and the end: one warning for them all.
    const logs = tracker.warnings.filter((w) => w.kind === "logs");
    expect(logs).toHaveLength(1);
    expect(logs[0]?.message).toMatch(/^cannot append to .*EFBIG/);
    expect(logs[0]?.message).toContain("the logs are incomplete");
    expect(tracker.introspect().logWriteFailures).toBeGreaterThanOrEqual(4);
    // The result says its logs are incomplete.
    expect(result?.warnings.filter((w) => w.kind === "logs")).toEqual([
      expect.objectContaining({ message: logs[0]?.message }),
    ]);
    // What was written before the disk filled is there.
    expect(readFileSync(tracker.logFiles?.standard ?? "", "utf8")).toMatch(/Epoch 2:/);
  });

  it("first at the actual consumption is a warning in the returned result, never a rejection", async () => {
    const tracker = new CarbonTracker({
      epochs: 1,
      epochsBeforePred: 0,
      simCpu: "Xeon Sim",
      simCpuTdp: 100,
      simCpuUtil: 1,
      intensityGPerKWh: 100,
      logDir: dir,
      verbose: 0,
    });
    await tracker.ready();
    // The epoch's record goes to the standard log; the actual consumption, to the output log.
    disk.outputFull = true;
    await tracker.epochStart();
    await vi.advanceTimersByTimeAsync(10_000);
    const result = (await tracker.epochEnd())?.actual;
    expect(result?.status).toBe("complete");
    expect(result?.energy.itJ).toBeCloseTo(100 * 10, 6);
    expect(result?.warnings.map((w) => [w.kind, w.message])).toEqual([
      ["logs", expect.stringMatching(/_output\.log: EFBIG.*the logs are incomplete/)],
    ]);
    expect(await tracker.stop()).toBe(result);
  });
});
