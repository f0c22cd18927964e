import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  MAX_NVML_GPUS,
  NvmlSource,
  openPowerMeter,
  type PowerMeter,
  readThreadStats,
} from "../src/index.ts";
import { handleHalves } from "../src/nvml/gpu.ts";
import { buildFakeNvml } from "./fake-nvml/build.ts";
import { tempDir } from "./helpers/trees.ts";

const H100 = "GPU-aaaa1111-2222-3333-4444-555566667777";
const T4 = "GPU-bbbb1111-2222-3333-4444-555566667777";
const MIG_A = "MIG-cccc1111-2222-3333-4444-555566667777";
const MIG_B = "MIG-dddd1111-2222-3333-4444-555566667777";

let library: string;
let dir: { path: string; dispose(): Promise<void> };
let script: string;
let log: string;

beforeAll(async () => {
  library = await buildFakeNvml();
  dir = await tempDir("nvml");
}, 120_000);
afterAll(async () => {
  delete process.env.FAKE_NVML_SCRIPT;
  await dir.dispose();
});

let scriptCount = 0;
beforeEach(() => {
  scriptCount++;
  script = join(dir.path, `script-${scriptCount}.txt`);
  // The fake library reads the script named here at nvmlInit_v2.
  process.env.FAKE_NVML_SCRIPT = script;
});

let logCount = 0;
async function writeScript(lines: string[]): Promise<void> {
  // A fresh call log for each script.
  log = join(dir.path, `log-${scriptCount}-${++logCount}.txt`);
  await writeFile(script, `log ${log}\n${lines.join("\n")}\n`);
}

async function calls(): Promise<string[]> {
  return (await readFile(log, "utf8").catch(() => ""))
    .trim()
    .split("\n")
    .filter((line) => line !== "");
}

const twoGpus = [
  `device ${H100} NVIDIA H100 80GB HBM3`,
  "energy 1000000 1010000 1030000 1060000",
  "limit 700000",
  "util 55 20",
  "process 4242 1073741824",
  `device ${T4} Tesla T4`,
  "power 70000 70000 30000",
  "limit 70000",
];

async function meterOf(source: NvmlSource): Promise<PowerMeter> {
  const opened = await openPowerMeter({ inject: { sources: [source] }, fallback: "none" });
  if (!opened.ok) throw new Error(opened.error.message);
  return opened.value;
}

describe("NVML against a scripted libnvidia-ml.so.1", () => {
  it("finds each GPU with its UUID, its counter or power reading, and its power limit", async () => {
    await writeScript(twoGpus);
    const source = new NvmlSource({ library, cudaVisibleDevices: null });
    const { devices, skipped } = await source.detect();
    await source.close();
    expect(skipped).toEqual([]);
    expect(
      devices.map((d) => [d.id, d.name, d.kind, d.basis, d.counter === null ? "power" : "counter"]),
    ).toEqual([
      [`nvml:${H100}`, "NVIDIA H100 80GB HBM3", "gpu", "measured", "counter"],
      [`nvml:${T4}`, "Tesla T4", "gpu", "measured", "power"],
    ]);
    expect(devices[0]?.maxWatts).toBe(1400);
    expect(devices[0]?.notes).toContain("enforced power limit 700 W");
    expect(devices[1]?.notes[0]).toMatch(/no energy counter on this GPU/);
    expect(await calls()).toEqual(["init 0", "shutdown"]);
  });

  it("sums the GPUs of the gpu component: counter deltas for one, trapezoids for the other", async () => {
    await writeScript(twoGpus);
    const threadBefore = readThreadStats();
    const meter = await meterOf(new NvmlSource({ library, cudaVisibleDevices: null }));
    const first = await meter.sample();
    const second = await meter.sample();
    await meter.close();
    // Every call ran on the read thread: nvmlInit_v2; at detect the GPU count, then for each
    // GPU its handle, UUID, MIG mode, name and power limit, and the first readings (both
    // counters, then power for the GPU with none); the opening sample and two more, two GPUs;
    // nvmlShutdown.
    expect(readThreadStats().calls - threadBefore.calls).toBe(1 + 1 + 2 * 5 + 3 + 6 + 1);
    expect(readThreadStats().broken).toBeNull();
    // Counter: detect read 1000000 mJ, the baseline 1010000, then 1030000 and 1060000.
    const h100 = second.devices.find((d) => d.device.id === `nvml:${H100}`);
    expect(h100?.energyJ).toBeCloseTo(50, 9);
    expect(first.devices.find((d) => d.device.id === `nvml:${H100}`)?.energyJ).toBeCloseTo(20, 9);
    // Power: 70 W, 70 W, then 30 W: (70+70)/2·Δt1 + (70+30)/2·Δt2.
    const t4 = second.devices.find((d) => d.device.id === `nvml:${T4}`);
    expect(t4?.watts).toBe(30);
    expect(t4?.energyJ).toBeGreaterThan(0);
    const gpu = second.components.find((c) => c.component === "gpu");
    expect(gpu?.devices).toBe(2);
    expect(gpu?.energyJ).toBeCloseTo((h100?.energyJ ?? 0) + (t4?.energyJ ?? 0), 12);
    expect(second.totalEnergyJ).toBeCloseTo(gpu?.energyJ ?? -1, 12);
  });

  it("reads utilisation when asked and lists compute processes", async () => {
    await writeScript(twoGpus);
    const source = new NvmlSource({ library, cudaVisibleDevices: null, utilisation: true });
    await source.detect();
    const sample = await source.sample();
    const processes = await source.processes();
    await source.close();
    expect(sample.readings[0]?.utilisation).toBeCloseTo(0.55, 12);
    expect(sample.readings[1]?.utilisation).toBeNaN();
    expect(processes).toEqual([
      {
        device: `nvml:${H100}`,
        processes: [{ pid: 4242, usedMemoryBytes: 1073741824 }],
        truncated: false,
        problem: null,
      },
      { device: `nvml:${T4}`, processes: [], truncated: false, problem: null },
    ]);
  });

  it("lists a busy GPU's processes at their count, and says when more run than it lists", async () => {
    // 100 processes: more than the first try's 64, so a second call at their count, whose
    // records span several of the read thread's slots. 1,500: more than MAX_PROCESSES.
    await writeScript([
      `device ${H100} NVIDIA H100 80GB HBM3`,
      "energy 1000000",
      "processes 100 5000 2097152",
      `device ${T4} Tesla T4`,
      "power 70000",
      "processes 1500 9000 1024",
    ]);
    const source = new NvmlSource({ library, cudaVisibleDevices: null });
    await source.detect();
    const callsBefore = readThreadStats().calls;
    const [busy, busier] = await source.processes();
    // On the read thread: two first tries and the busy GPU's second call.
    expect(readThreadStats().calls - callsBefore).toBe(3);
    await source.close();
    expect(busy?.problem).toBeNull();
    expect(busy?.truncated).toBe(false);
    expect(busy?.processes).toEqual(
      Array.from({ length: 100 }, (_, k) => ({ pid: 5000 + k, usedMemoryBytes: 2097152 })),
    );
    expect(busier).toEqual({
      device: `nvml:${T4}`,
      processes: [],
      truncated: true,
      problem: null,
    });
  });

  it("turns NVML error codes into problems naming the GPU and the fix; a lost GPU stays lost", async () => {
    await writeScript([
      `device ${H100} NVIDIA H100 80GB HBM3`,
      "energy 1000 2000 !999 4000 !15 9000",
      "limit 700000",
    ]);
    const meter = await meterOf(new NvmlSource({ library, cudaVisibleDevices: null }));
    const unknown = await meter.sample();
    expect(unknown.problems[0]).toMatchObject({
      kind: "driver-error",
      device: `nvml:${H100}`,
      message: expect.stringMatching(
        /NVIDIA H100 80GB HBM3.*nvmlDeviceGetTotalEnergyConsumption returned NVML_ERROR_UNKNOWN \(999\)/,
      ),
    });
    const recovered = await meter.sample();
    expect(recovered.problems).toEqual([]);
    expect(recovered.devices[0]?.energyJ).toBeCloseTo(2, 9);
    const lost = await meter.sample();
    expect(lost.problems[0]).toMatchObject({ kind: "vanished", fix: expect.stringMatching(/Xid/) });
    const still = await meter.sample();
    await meter.close();
    expect(still.problems[0]?.kind).toBe("vanished");
    expect(still.devices[0]?.energyJ).toBeCloseTo(2, 9);
    expect(meter.introspect().sources.nvml?.problems).toMatchObject({
      "driver-error": 1,
      vanished: 2,
    });
  });

  it("reads at most MAX_NVML_GPUS GPUs of a library that reports billions", async () => {
    await writeScript([...twoGpus, "count 4000000000"]);
    const source = new NvmlSource({ library, cudaVisibleDevices: null });
    const { devices, skipped } = await source.detect();
    await source.close();
    expect(devices.map((d) => d.id)).toEqual([`nvml:${H100}`, `nvml:${T4}`]);
    expect(skipped[0]).toEqual(
      expect.objectContaining({
        kind: "malformed",
        message: expect.stringMatching(/reports 4000000000 GPUs.*the first 64 are read/),
      }),
    );
    // Each index the library then cannot hand out is one skip, up to the cap: not billions.
    expect(skipped).toHaveLength(1 + MAX_NVML_GPUS - 2);
  });

  it("skips a GPU that reports neither energy nor power", async () => {
    await writeScript([`device ${H100} Old GPU`, `device ${T4} Tesla T4`, "power 70000"]);
    const source = new NvmlSource({ library, cudaVisibleDevices: null });
    const { devices, skipped } = await source.detect();
    await source.close();
    expect(devices.map((d) => d.id)).toEqual([`nvml:${T4}`]);
    expect(skipped).toEqual([
      expect.objectContaining({
        kind: "not-supported",
        device: `nvml:${H100}`,
        message: expect.stringMatching(
          /Old GPU .* neither a total-energy counter nor power usage \(NVML_ERROR_NOT_SUPPORTED \(3\)\)/,
        ),
      }),
    ]);
  });

  it("explains a driver that is not loaded, and does not shut down what never started", async () => {
    await writeScript(["init 9", `device ${H100} NVIDIA H100 80GB HBM3`]);
    const source = new NvmlSource({ library, cudaVisibleDevices: null });
    const { devices, skipped } = await source.detect();
    await source.close();
    expect(devices).toEqual([]);
    expect(skipped[0]).toMatchObject({
      kind: "no-driver",
      reader: "nvml",
      fix: expect.stringMatching(/modprobe nvidia/),
    });
    expect(skipped[0]?.message).toMatch(/NVML_ERROR_DRIVER_NOT_LOADED \(9\) "Driver Not Loaded"/);
    expect(await calls()).toEqual(["init 9"]);
  });

  it("does not load NVML without an NVIDIA kernel driver, unless the library is named", async () => {
    const root = join(dir.path, "no-driver");
    await mkdir(join(root, "proc"), { recursive: true });
    await mkdir(join(root, "dev"), { recursive: true });
    const roots = {
      procRoot: join(root, "proc"),
      devRoot: join(root, "dev"),
      platform: "linux",
    } as const;
    const source = new NvmlSource({ ...roots, cudaVisibleDevices: null });
    const { devices, skipped } = await source.detect();
    await source.close();
    expect(devices).toEqual([]);
    expect(skipped).toEqual([
      expect.objectContaining({
        kind: "no-driver",
        reader: "nvml",
        message: expect.stringMatching(
          /^no NVIDIA kernel driver is loaded \(neither .*driver\/nvidia nor .*dxg exists\), so libnvidia-ml\.so\.1 was not loaded/,
        ),
        fix: expect.stringMatching(/WATTPRINT_NVML_LIBRARY/),
      }),
    ]);
    // WSL 2's /dev/dxg counts as a driver; a named library is tried whatever the tree says.
    await writeFile(join(root, "dev", "dxg"), "");
    const wsl = new NvmlSource({
      ...roots,
      library: join(dir.path, "none.so"),
      cudaVisibleDevices: null,
    });
    const tried = await wsl.detect();
    await wsl.close();
    expect(tried.skipped[0]?.message).toMatch(/^cannot load .*none\.so/);
    const withDxg = new NvmlSource({ ...roots, cudaVisibleDevices: null });
    const found = await withDxg.detect();
    await withDxg.close();
    expect(found.skipped.map((s) => s.message).join()).not.toMatch(/no NVIDIA kernel driver/);
  });

  it("explains a missing library", async () => {
    const source = new NvmlSource({ library: join(dir.path, "no-such", "libnvidia-ml.so.1") });
    const { skipped } = await source.detect();
    await source.close();
    expect(skipped[0]).toMatchObject({
      kind: "no-driver",
      fix: expect.stringMatching(/WATTPRINT_NVML_LIBRARY/),
    });
    // A library the user named is theirs to fix: the driver does not ship it.
    expect(skipped[0]?.fix).toMatch(/was named as the NVML library .* point it at the driver's/);
    expect(skipped[0]?.message).not.toMatch(/it ships/);
  });

  it("always shuts NVML down: close(), await using, using, and a close during a sample", async () => {
    await writeScript(twoGpus);
    const meter = await meterOf(new NvmlSource({ library, cudaVisibleDevices: null }));
    await meter.close();
    await meter.close();
    expect(await calls()).toEqual(["init 0", "shutdown"]);

    await writeScript(twoGpus);
    {
      await using scoped = await meterOf(new NvmlSource({ library, cudaVisibleDevices: null }));
      await scoped.sample();
    }
    expect(await calls()).toEqual(["init 0", "shutdown"]);

    await writeScript(twoGpus);
    {
      using scoped = await meterOf(new NvmlSource({ library, cudaVisibleDevices: null }));
      void scoped.sample();
    }
    // The sample that was running finishes against the closed reader, then NVML shuts down.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await calls()).toEqual(["init 0", "shutdown"]);
  });
});

describe("CUDA_VISIBLE_DEVICES", () => {
  const withMig = [
    `device ${H100} NVIDIA H100 80GB HBM3`,
    "energy 1000",
    `mig ${MIG_A}`,
    `mig ${MIG_B}`,
    `device ${T4} Tesla T4`,
    "power 70000",
  ];

  async function visible(value: string | undefined, order?: string) {
    await writeScript(withMig);
    const source = new NvmlSource({
      library,
      cudaVisibleDevices: value ?? null,
      ...(order === undefined ? {} : { cudaDeviceOrder: order }),
    });
    const detection = await source.detect();
    await source.close();
    return detection;
  }

  it("reads indices as NVML indices, and says when CUDA's order may differ", async () => {
    const { devices } = await visible("1");
    expect(devices.map((d) => d.id)).toEqual([`nvml:${T4}`]);
    expect(devices[0]?.notes.join(" ")).toMatch(/CUDA_DEVICE_ORDER=PCI_BUS_ID/);
    const ordered = await visible("1", "PCI_BUS_ID");
    expect(ordered.devices[0]?.notes.join(" ")).not.toMatch(/CUDA_DEVICE_ORDER/);
  });

  it("accepts GPU- UUIDs and unique prefixes", async () => {
    expect((await visible(T4)).devices.map((d) => d.id)).toEqual([`nvml:${T4}`]);
    expect((await visible("GPU-bbbb")).devices.map((d) => d.id)).toEqual([`nvml:${T4}`]);
  });

  it("measures MIG instances through their parent GPU, once, with a note", async () => {
    const { devices } = await visible(`${MIG_A},${MIG_B}`);
    expect(devices.map((d) => d.id)).toEqual([`nvml:${H100}`]);
    const notes = devices[0]?.notes.join(" ") ?? "";
    expect(notes).toContain(`MIG instance ${MIG_A} runs on this GPU (${H100})`);
    expect(notes).toContain(`MIG instance ${MIG_B}`);
    const legacy = await visible(`MIG-${H100}/1/0`);
    expect(legacy.devices.map((d) => d.id)).toEqual([`nvml:${H100}`]);
  });

  it("notes MIG mode when every GPU is visible", async () => {
    const { devices } = await visible(undefined);
    expect(devices[0]?.notes).toContain(
      "MIG mode is on: the energy is the whole GPU's, shared by all its instances",
    );
  });

  it("stops at the first entry that is not a GPU, as CUDA does, and says which were ignored", async () => {
    const { devices, skipped } = await visible("0,7,1");
    expect(devices.map((d) => d.id)).toEqual([`nvml:${H100}`]);
    expect(skipped[0]).toMatchObject({
      kind: "malformed",
      device: "7",
      message: expect.stringMatching(/"7" is not a GPU of this machine.*ignores it and 1/),
    });
    const hidden = await visible("-1");
    expect(hidden.devices).toEqual([]);
    const none = await visible("");
    expect(none.devices).toEqual([]);
    expect(none.skipped[0]).toMatchObject({
      kind: "not-present",
      message: expect.stringMatching(/hides every GPU/),
    });
  });
});

/** The same checks against the machine's own driver, when it has one. */
const realDriver = await (async () => {
  try {
    const koffi = await import("koffi");
    koffi.load("libnvidia-ml.so.1");
    return true;
  } catch {
    return false;
  }
})();

describe.skipIf(!realDriver)(
  "NVML against the real driver (skipped: no libnvidia-ml.so.1 on this machine)",
  () => {
    it("finds GPUs and meters a non-negative, growing energy", async () => {
      delete process.env.FAKE_NVML_SCRIPT;
      const opened = await openPowerMeter({
        components: ["gpu"],
        cudaVisibleDevices: null,
        fallback: "none",
      });
      if (!opened.ok) throw new Error(opened.error.message);
      await using meter = opened.value;
      expect(meter.devices.length).toBeGreaterThan(0);
      expect(meter.devices.every((d) => d.reader === "nvml" || d.reader === "amdgpu")).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const a = await meter.sample();
      await new Promise((resolve) => setTimeout(resolve, 300));
      const b = await meter.sample();
      for (const d of b.devices) expect(d.energyJ).toBeGreaterThanOrEqual(0);
      expect(b.totalEnergyJ).toBeGreaterThanOrEqual(a.totalEnergyJ);
    });
  },
);

describe("NVML with hostile environment input", () => {
  it("refuses a named library that is a FIFO without blocking the event loop", async () => {
    const { execFileSync, spawn } = await import("node:child_process");
    const fifo = join(dir.path, "libnvidia-ml.fifo");
    execFileSync("mkfifo", [fifo]);
    // dlopen on the old code blocked this thread; a writer in another process frees it after
    // 2 s, so the old code failed on the time below instead of hanging the run.
    // Opened read-write, the writer never waits for a reader itself.
    const writer = spawn("sh", ["-c", `sleep 2; exec 3<> '${fifo}'`], { stdio: "ignore" });
    const started = performance.now();
    const { devices, skipped } = await new NvmlSource({
      library: fifo,
      platform: "linux",
    }).detect();
    const elapsedMs = performance.now() - started;
    await new Promise((resolve) => writer.on("exit", resolve));
    expect(elapsedMs).toBeLessThan(1000);
    expect(devices).toEqual([]);
    expect(skipped[0]).toMatchObject({
      kind: "no-driver",
      message: expect.stringMatching(/a FIFO/),
    });
  }, 10_000);

  it("quotes a CUDA_VISIBLE_DEVICES of 100,000 entries in a bounded message", async () => {
    await writeScript(twoGpus);
    const raw = ["0", ...Array.from({ length: 100_000 }, (_, i) => `x${i}`)].join(",");
    const source = new NvmlSource({ library, cudaVisibleDevices: raw });
    const { devices, skipped } = await source.detect();
    await source.close();
    expect(devices).toHaveLength(1);
    expect(skipped[0]?.kind).toBe("malformed");
    expect(skipped[0]?.message.length).toBeLessThan(1000);
    expect(skipped[0]?.message).toMatch(/"x0" is not a GPU/);
  });
});

describe("a device handle for the read thread", () => {
  it("splits into two signed 32-bit halves that the thread's reading joins back", () => {
    for (const handle of [
      0n,
      1n,
      0x7fff_ffffn,
      0x8000_0000n,
      0xffff_ffff_ffff_ffffn,
      0x7f12_8000_0001n,
    ]) {
      const { handleLo, handleHi } = handleHalves(handle);
      for (const half of [handleLo, handleHi]) {
        expect(Number.isInteger(half) && half >= -(2 ** 31) && half < 2 ** 31).toBe(true);
      }
      // The worker's join (read-worker-source.ts), over the Int32Array slots.
      const slots = Int32Array.of(handleLo, handleHi);
      const joined =
        (BigInt((slots[1] as number) >>> 0) << 32n) | BigInt((slots[0] as number) >>> 0);
      expect(joined).toBe(handle);
    }
  });
});
