import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Worker } from "node:worker_threads";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hungCallStats, NvmlSource, readThreadStats } from "../src/index.ts";
import { DEFAULT_ROUND_DEADLINE_MS, readThread } from "../src/sysfs/read-thread.ts";
import { buildFakeNvml } from "./fake-nvml/build.ts";
import { hungCallsReturned, meterGivingUpAt300Ms, scriptedCopy } from "./helpers/hung-nvml.ts";
import { tempDir } from "./helpers/trees.ts";

const GPU = "GPU-aaaa1111-2222-3333-4444-555566667777";

let dir: { path: string; dispose(): Promise<void> };
let built: string;

beforeAll(async () => {
  built = await buildFakeNvml();
  dir = await tempDir("nvml-no-read-thread");
}, 120_000);
afterAll(async () => {
  delete process.env.FAKE_NVML_SCRIPT;
  await dir.dispose();
});

const library = (name: string, lines: string[]) => scriptedCopy(built, join(dir.path, name), lines);

/** Kills the process's read thread as V8 would (an error, then exit): it is not started again. */
async function breakReadThread(): Promise<void> {
  if (readThreadStats().broken !== null) return;
  const lib = await library("healthy", [`device ${GPU} Fake A100`, "energy 1000000"]);
  const source = new NvmlSource({ library: lib.path, cudaVisibleDevices: null });
  await source.detect();
  // The real Worker, reached past its privacy only to make it fail.
  const worker = (readThread as unknown as { worker: Worker | null }).worker;
  if (worker === null) throw new Error("the read thread did not start");
  worker.emit("error", new Error("simulated: ERR_WORKER_OUT_OF_MEMORY"));
  await worker.terminate();
  await source.close();
  expect(readThreadStats().broken).toMatch(/simulated/);
}

describe("NVML without the read thread (it died)", () => {
  it("still reads on koffi's thread pool, and gives up on a hung call at the deadline", async () => {
    await breakReadThread();
    const lib = await library("hang-on-pool", [
      `device ${GPU} Fake A100`,
      "energy 1000000 1000500 1001000 1001500",
      "limit 400000",
      "hang-energy 3 1500",
    ]);
    const source = new NvmlSource({ library: lib.path, cudaVisibleDevices: null });
    const meter = await meterGivingUpAt300Ms(source);
    // The first sample is read on the thread pool: no thread round ran for it.
    const roundsBefore = readThreadStats().rounds;
    const first = await meter.sample();
    expect(first.problems).toEqual([]);
    expect(readThreadStats().rounds).toBe(roundsBefore);
    // Before, the second one waited for the hung call: 1.5 s here, for ever on a lost GPU.
    const hung = await meter.sample();
    expect(hung.problems[0]).toMatchObject({
      kind: "driver-error",
      device: `nvml:${GPU}`,
      message: expect.stringMatching(
        /nvmlDeviceGetTotalEnergyConsumption for Fake A100 .*did not return within 300 ms/,
      ),
    });
    expect(await readFile(lib.log, "utf8")).not.toContain("energy hang ends");
    expect(hungCallStats().outstanding).toBe(1);
    const later = await meter.sample();
    expect(later.problems[0]).toMatchObject({ kind: "driver-error" });
    await meter.close();
    await hungCallsReturned();
    // NVML was called no more after the hung call: one hang, and no shutdown.
    const log = await readFile(lib.log, "utf8");
    expect(log.match(/energy hang begins/g)).toHaveLength(1);
    expect(log).not.toContain("shutdown");
  }, 15_000);
});

describe("NVML at detect without the read thread", () => {
  it("asks on koffi's thread pool, and gives up on a hung call at the deadline", async () => {
    await breakReadThread();
    readThread.setRoundDeadline(300);
    const lib = await library("hang-handle-on-pool", [
      `device ${GPU} Fake A100`,
      "energy 1000000",
      "hang-call nvmlDeviceGetHandleByIndex_v2 1500",
    ]);
    const source = new NvmlSource({ library: lib.path, cudaVisibleDevices: null });
    const { devices, skipped } = await source.detect();
    expect(devices).toEqual([]);
    expect(skipped).toEqual([
      expect.objectContaining({
        kind: "driver-error",
        device: "nvml:0",
        message: expect.stringMatching(
          /nvmlDeviceGetHandleByIndex_v2 for GPU 0 \(index 0\) did not return within 300 ms at detect/,
        ),
      }),
    ]);
    expect(await readFile(lib.log, "utf8")).not.toContain("hang ends");
    expect(hungCallStats().outstanding).toBe(1);
    await source.close();
    readThread.setRoundDeadline(DEFAULT_ROUND_DEADLINE_MS);
    await hungCallsReturned();
    const log = await readFile(lib.log, "utf8");
    expect(log.match(/hang begins/g)).toHaveLength(1);
    expect(log).not.toContain("shutdown");
  }, 15_000);
});
