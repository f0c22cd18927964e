import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hungCallStats, NvmlSource, readThreadStats } from "../src/index.ts";
import { DEFAULT_ROUND_DEADLINE_MS, readThread } from "../src/sysfs/read-thread.ts";
import { buildFakeNvml } from "./fake-nvml/build.ts";
import {
  hungCallsReturned,
  logLines,
  meterGivingUpAt300Ms,
  scriptedCopy,
  untilLogged,
} from "./helpers/hung-nvml.ts";
import { tempDir } from "./helpers/trees.ts";

const GPU = "GPU-eeee1111-2222-3333-4444-555566667777";

let dir: { path: string; dispose(): Promise<void> };
let built: string;

beforeAll(async () => {
  built = await buildFakeNvml();
  dir = await tempDir("nvml-hang");
}, 120_000);
afterAll(async () => {
  delete process.env.FAKE_NVML_SCRIPT;
  readThread.setRoundDeadline(DEFAULT_ROUND_DEADLINE_MS);
  await dir.dispose();
});

const library = (name: string, lines: string[]) => scriptedCopy(built, join(dir.path, name), lines);

describe("NVML calls that never return", () => {
  it("fails a hung call at the read thread's deadline, then calls NVML no more", async () => {
    // Calls 1 (detect) and 2 (the meter's first sample) answer; the third hangs for 1.5 s, far
    // past the 300 ms deadline. The sample must answer while the call still hangs.
    const lib = await library("hang-energy", [
      `device ${GPU} Fake H100`,
      "energy 1000000 1000500 1001000",
      "limit 700000",
      "hang-energy 2 1500",
    ]);
    const source = new NvmlSource({ library: lib.path, cudaVisibleDevices: null });
    const meter = await meterGivingUpAt300Ms(source);
    const hung = await meter.sample();
    expect(hung.problems[0]).toMatchObject({
      kind: "driver-error",
      device: `nvml:${GPU}`,
      message: expect.stringMatching(/Fake H100 .*did not return within 300 ms.*Xid/),
    });
    // Answered while the call was still inside the library.
    expect(await logLines(lib.log)).not.toContain("energy hang ends");
    const stats = readThreadStats();
    expect(stats.abandoned).toBeGreaterThanOrEqual(1);
    expect(hungCallStats().outstanding).toBe(1);
    expect(stats.hungLibraries).toContain(lib.path);
    // Later samples fail at once with the same problem, without another call into NVML.
    const later = await meter.sample();
    expect(later.problems[0]).toMatchObject({ kind: "driver-error", device: `nvml:${GPU}` });
    expect((await logLines(lib.log)).filter((l) => l === "energy hang begins")).toHaveLength(1);
    expect((await meter.gpuProcesses())[0]?.problem).toMatchObject({ kind: "driver-error" });
    await meter.close();
    // No nvmlShutdown: it could wait on the lock the hung call holds, on the event loop.
    expect(await logLines(lib.log)).not.toContain("shutdown");
    // Once the call returns, the thread left in it ends and the process may end as Node ends it.
    await hungCallsReturned();
    expect(await logLines(lib.log)).toContain("energy hang ends");
  }, 15_000);

  it("answers a process listing that hangs at the deadline, then calls NVML no more", async () => {
    const lib = await library("hang-processes", [
      `device ${GPU} Fake H100`,
      "energy 1000000 1000500 1001000",
      "process 4242 1048576",
      "hang-processes 1500",
    ]);
    const source = new NvmlSource({ library: lib.path, cudaVisibleDevices: null });
    const meter = await meterGivingUpAt300Ms(source);
    const abandoned = readThreadStats().abandoned;
    const [listing] = await meter.gpuProcesses();
    // Listed on the read thread, whose round was given up on: the process can still end.
    expect(readThreadStats().abandoned).toBe(abandoned + 1);
    expect(listing).toMatchObject({
      device: `nvml:${GPU}`,
      processes: [],
      problem: {
        kind: "driver-error",
        message: expect.stringMatching(
          /listing processes for Fake H100 .*did not return within 300 ms/,
        ),
      },
    });
    expect(await logLines(lib.log)).not.toContain("processes hang ends");
    expect(hungCallStats().outstanding).toBe(1);
    // The driver's lock may be held: the next sample does not call NVML either.
    const later = await meter.sample();
    expect(later.problems[0]).toMatchObject({ kind: "driver-error", device: `nvml:${GPU}` });
    await meter.close();
    await hungCallsReturned();
  }, 15_000);

  it("fails detect at the deadline when a GPU's first reading hangs, then calls NVML no more", async () => {
    // The probe's energy call is the first that asks the GPU itself; it ran on the event loop.
    const lib = await library("hang-probe", [
      `device ${GPU} Fake H100`,
      "energy 1000000",
      "hang-energy 0 1500",
    ]);
    readThread.setRoundDeadline(300);
    const source = new NvmlSource({ library: lib.path, cudaVisibleDevices: null });
    const detecting = source.detect();
    // The event loop still turns while the call hangs.
    const turned = await Promise.race([
      new Promise((resolve) => setTimeout(() => resolve("turned"), 50)),
      detecting.then(() => "detected"),
    ]);
    expect(turned).toBe("turned");
    const { devices, skipped } = await detecting;
    expect(devices).toEqual([]);
    expect(skipped).toEqual([
      expect.objectContaining({
        kind: "driver-error",
        device: `nvml:${GPU}`,
        message: expect.stringMatching(
          /nvmlDeviceGetTotalEnergyConsumption for GPU 0 .*did not return within 300 ms at detect/,
        ),
      }),
    ]);
    expect(await logLines(lib.log)).not.toContain("energy hang ends");
    await source.close();
    expect(await logLines(lib.log)).not.toContain("shutdown");
    readThread.setRoundDeadline(DEFAULT_ROUND_DEADLINE_MS);
    await hungCallsReturned();
  }, 15_000);

  it("skips NVML when nvmlInit_v2 does not return within initTimeoutMs", async () => {
    const lib = await library("hang-init", [
      "hang-init 3000",
      `device ${GPU} Fake H100`,
      "energy 1000000",
    ]);
    const source = new NvmlSource({
      library: lib.path,
      cudaVisibleDevices: null,
      initTimeoutMs: 200,
    });
    const { devices, skipped } = await source.detect();
    await source.close();
    expect(devices).toEqual([]);
    expect(skipped).toEqual([
      expect.objectContaining({
        kind: "driver-error",
        message: expect.stringMatching(
          new RegExp(`nvmlInit_v2 in ${lib.path} did not return within 200 ms.*Xid`),
        ),
      }),
    ]);
  });
});

describe("NVML calls at detect", () => {
  // Each call that asks the driver at detect, hung far past a 300 ms deadline: detect answers
  // at the deadline with a skip naming the call and its GPU, while the call is still inside
  // the library, and NVML is called no more (no nvmlShutdown either).
  it.each([
    ["nvmlDeviceGetCount_v2", "nvml", "the driver \\(.*libnvidia-ml\\.so\\.1\\)"],
    ["nvmlDeviceGetHandleByIndex_v2", "nvml:0", "GPU 0 \\(index 0\\)"],
    ["nvmlDeviceGetMigMode", `nvml:${GPU}`, `GPU 0 \\(${GPU}\\)`],
    ["nvmlDeviceGetName", `nvml:${GPU}`, `GPU 0 \\(${GPU}\\)`],
    ["nvmlDeviceGetEnforcedPowerLimit", `nvml:${GPU}`, `GPU 0 \\(${GPU}\\)`],
  ])(
    "fails detect at the deadline when %s hangs",
    async (symbol, device, subject) => {
      const lib = await library(`hang-${symbol}`, [
        `device ${GPU} Fake H100`,
        "energy 1000000",
        "limit 700000",
        `hang-call ${symbol} 1500`,
      ]);
      readThread.setRoundDeadline(300);
      const source = new NvmlSource({ library: lib.path, cudaVisibleDevices: null });
      const { devices, skipped } = await source.detect();
      expect(devices).toEqual([]);
      expect(skipped).toEqual([
        expect.objectContaining({
          kind: "driver-error",
          device,
          message: expect.stringMatching(
            new RegExp(`${symbol} for ${subject} did not return within 300 ms at detect.*Xid`),
          ),
        }),
      ]);
      expect(await logLines(lib.log)).toContain(`${symbol} hang begins`);
      expect(await logLines(lib.log)).not.toContain(`${symbol} hang ends`);
      await source.close();
      expect(await logLines(lib.log)).not.toContain("shutdown");
      readThread.setRoundDeadline(DEFAULT_ROUND_DEADLINE_MS);
      await hungCallsReturned();
    },
    15_000,
  );

  it("finds a GPU that is slow to hand over its handle, with the event loop turning meanwhile", async () => {
    // Persistence mode off: the first call that touches a GPU waits while the driver sets it
    // up, a second or more per GPU. Here 1 s, within the 5 s deadline.
    const lib = await library("slow-handle", [
      `device ${GPU} Fake H100`,
      "energy 1000000",
      "limit 700000",
      "hang-call nvmlDeviceGetHandleByIndex_v2 1000",
    ]);
    const source = new NvmlSource({ library: lib.path, cudaVisibleDevices: null });
    const detecting = source.detect();
    // This test's own code runs while the call is inside the library: the event loop is free.
    await untilLogged(lib.log, "nvmlDeviceGetHandleByIndex_v2 hang begins");
    expect(await logLines(lib.log)).not.toContain("nvmlDeviceGetHandleByIndex_v2 hang ends");
    const { devices, skipped } = await detecting;
    expect(skipped).toEqual([]);
    expect(devices.map((d) => d.id)).toEqual([`nvml:${GPU}`]);
    expect(devices[0]?.notes).toContain("enforced power limit 700 W");
    await source.close();
    expect(await logLines(lib.log)).toContain("shutdown");
  }, 15_000);
});

describe("nvmlShutdown", () => {
  it("runs off the event loop, and close() settles once it has returned", async () => {
    // Persistence mode off: the driver tears the GPU's state down at nvmlShutdown (1 s here).
    const lib = await library("slow-shutdown", [
      `device ${GPU} Fake H100`,
      "energy 1000000",
      "hang-call nvmlShutdown 1000",
    ]);
    const source = new NvmlSource({ library: lib.path, cudaVisibleDevices: null });
    await source.detect();
    const closing = source.close();
    await untilLogged(lib.log, "nvmlShutdown hang begins");
    expect(await logLines(lib.log)).not.toContain("shutdown");
    await closing;
    expect((await logLines(lib.log)).slice(-2)).toEqual(["nvmlShutdown hang ends", "shutdown"]);
  }, 15_000);

  it("is given up on at the read deadline when it hangs", async () => {
    const lib = await library("hung-shutdown", [
      `device ${GPU} Fake H100`,
      "energy 1000000",
      "hang-call nvmlShutdown 1500",
    ]);
    readThread.setRoundDeadline(300);
    const source = new NvmlSource({ library: lib.path, cudaVisibleDevices: null });
    await source.detect();
    await source.close();
    expect(await logLines(lib.log)).not.toContain("nvmlShutdown hang ends");
    expect(hungCallStats().outstanding).toBe(1);
    readThread.setRoundDeadline(DEFAULT_ROUND_DEADLINE_MS);
    await hungCallsReturned();
  }, 15_000);
});

const HUNG_EXIT = fileURLToPath(new URL("./support/hung-exit.ts", import.meta.url));
/** Far longer than any run of the suite: the call never returns while the process is watched. */
const FOR_GOOD_MS = 600_000;

/**
 * Runs `support/hung-exit.ts` with a call that hangs for ten minutes. Node waits for every
 * thread before a process ends, so before `hung-calls.ts` these processes never ended: the
 * spawn's timeout (a guard, not a measurement) killed them.
 */
function runHung(
  name: string,
  hungAt: "sample" | "init" | "detect" | "processes",
  end: "natural" | "exit",
) {
  return async () => {
    const lib = await library(name, [
      ...(hungAt === "init" ? [`hang-init ${FOR_GOOD_MS}`] : []),
      ...(hungAt === "detect" ? [`hang-call nvmlDeviceGetName ${FOR_GOOD_MS}`] : []),
      `device ${GPU} Fake H100`,
      "energy 1000000 1000500",
      ...(hungAt === "sample" ? [`hang-energy 1 ${FOR_GOOD_MS}`] : []),
      ...(hungAt === "processes" ? ["process 4242 1024", `hang-processes ${FOR_GOOD_MS}`] : []),
    ]);
    const child = spawnSync(
      process.execPath,
      ["--conditions=@wattprint/source", "--import", "tsx", HUNG_EXIT],
      {
        cwd: fileURLToPath(new URL("..", import.meta.url)),
        env: {
          ...process.env,
          FAKE_NVML_LIBRARY: lib.path,
          HUNG_END: end,
          LIST_PROCESSES: hungAt === "processes" ? "1" : "0",
        },
        encoding: "utf8",
        timeout: 30_000,
        killSignal: "SIGKILL",
      },
    );
    return { child, log: await logLines(lib.log) };
  };
}

describe("a process whose NVML call never returns", () => {
  it("ends by itself, with its exit code, once its work is done", async () => {
    const { child, log } = await runHung("end-natural", "sample", "natural")();
    expect(child.signal).toBeNull();
    expect(child.status).toBe(3);
    const [seen, listener] = child.stdout.trim().split("\n");
    expect(JSON.parse(seen ?? "")).toEqual({
      skipped: [],
      problems: ["driver-error"],
      hung: { outstanding: 1, ever: 1 },
    });
    // Exit listeners registered after the hang still ran.
    expect(listener).toBe("later exit listener ran with 3");
    expect(log).toContain("energy hang begins");
    expect(log).not.toContain("energy hang ends");
  }, 60_000);

  it("ends on process.exit() with the code it was given", async () => {
    const { child } = await runHung("end-exit", "sample", "exit")();
    expect(child.signal).toBeNull();
    expect(child.status).toBe(5);
    expect(child.stdout).toContain("later exit listener ran with 5");
  }, 60_000);

  it("ends when nvmlInit_v2 itself never returned", async () => {
    const { child, log } = await runHung("end-init", "init", "natural")();
    expect(child.signal).toBeNull();
    expect(child.status).toBe(3);
    const seen = JSON.parse(child.stdout.trim().split("\n")[0] ?? "");
    expect(seen.hung).toEqual({ outstanding: 1, ever: 1 });
    expect(log).not.toContain("shutdown");
  }, 60_000);

  it("ends when listing a GPU's processes never returned", async () => {
    // On koffi's thread pool, as the listing was before, the pending call kept the event loop
    // alive: the process never ended by itself.
    const { child, log } = await runHung("end-processes", "processes", "natural")();
    expect(child.signal).toBeNull();
    expect(child.status).toBe(3);
    const seen = JSON.parse(child.stdout.trim().split("\n")[0] ?? "");
    expect(seen.listed).toEqual(["driver-error"]);
    expect(seen.hung).toEqual({ outstanding: 1, ever: 1 });
    expect(log).toContain("processes hang begins");
    expect(log).not.toContain("shutdown");
  }, 60_000);

  it("ends when a call at detect never returned", async () => {
    const { child, log } = await runHung("end-detect", "detect", "natural")();
    expect(child.signal).toBeNull();
    expect(child.status).toBe(3);
    const seen = JSON.parse(child.stdout.trim().split("\n")[0] ?? "");
    // The meter had no device left to open.
    expect(seen).toEqual({
      skipped: [expect.any(String)],
      problems: [],
      hung: { outstanding: 1, ever: 1 },
    });
    expect(log).toContain("nvmlDeviceGetName hang begins");
    expect(log).not.toContain("shutdown");
  }, 60_000);
});
