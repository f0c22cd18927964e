import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { CarbonTracker } from "../src/index.ts";

/**
 * The output log alone failing, at the run's last record: a real file size limit (see
 * full-disk.test.ts) fails whichever file passes it first, the standard log, so here the
 * writer's `writeSync` is made to fail for the output log only; nothing else in the tracker
 * writes with it (its echo goes to the `stdout` option).
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
