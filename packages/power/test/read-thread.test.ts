import { closeSync, openSync } from "node:fs";
import { mkdir, readdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import {
  AmdgpuSource,
  MAX_ROUND_REQUESTS,
  nodeSysfsIo,
  openPowerMeter,
  type PowerMeter,
  type PowerSource,
  RaplSource,
  readThreadStats,
} from "../src/index.ts";
import { setEnergy, tempDir, twoSocketServer, writeHwmon, writePowercap } from "./helpers/trees.ts";

/** A temporary folder for one test, removed when the test ends. */
async function freshRoot(): Promise<string> {
  const dir = await tempDir("read-thread");
  onTestFinished(() => dir.dispose());
  return dir.path;
}

/** Descriptors this process holds now (Linux). */
async function openDescriptors(): Promise<number> {
  return (await readdir("/proc/self/fd")).length;
}

/** Lets the deferred closes run and a stopped worker exit (a hang detector, not a timing bound). */
async function settled(): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    const stats = readThreadStats();
    if (!stats.running && stats.stopping === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The descriptor count once it is back to `expected`, or what it is after a generous wait. */
async function descriptorsSettleAt(expected: number): Promise<number> {
  let now = await openDescriptors();
  for (let i = 0; i < 500 && now !== expected; i++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    now = await openDescriptors();
  }
  return now;
}

/** A two-socket powercap tree, with the read thread idle and the descriptors counted. */
async function idleTree(): Promise<{ root: string; fdsBefore: number }> {
  const root = await freshRoot();
  await writePowercap(root, twoSocketServer());
  await settled();
  return { root, fdsBefore: await openDescriptors() };
}

/** The worker has exited and every descriptor opened since `fdsBefore` is closed. */
async function expectReleased(fdsBefore: number): Promise<void> {
  await settled();
  const stats = readThreadStats();
  expect(stats.running).toBe(false);
  expect(stats.stopping).toBe(0);
  expect(await descriptorsSettleAt(fdsBefore)).toBe(fdsBefore);
}

async function meterOver(...sources: PowerSource[]): Promise<PowerMeter> {
  const opened = await openPowerMeter({ inject: { sources }, fallback: "none" });
  if (!opened.ok) throw new Error(opened.error.message);
  return opened.value;
}

function readOnce(fd: number, length = 32): Promise<{ code: string | null; text: string }> {
  const buffer = Buffer.alloc(length);
  return new Promise((resolve) =>
    nodeSysfsIo.read(fd, buffer, length, 0, (error, bytes) =>
      resolve({
        code: error === null ? null : (error.code ?? "none"),
        text: buffer.toString("latin1", 0, bytes),
      }),
    ),
  );
}

describe.runIf(process.platform === "linux")("the read thread", () => {
  it("reads RAPL on the calling thread without starting the worker", async () => {
    const { root, fdsBefore } = await idleTree();
    const before = readThreadStats();
    const meter = await meterOver(new RaplSource({ root }));
    await meter.sample();
    await meter.sample();
    const during = readThreadStats();
    // RAPL's energy_uj is a register read that does not sleep: no hand-off to another thread.
    expect(during.running).toBe(false);
    expect(during.started).toBe(before.started);
    expect(during.rounds).toBe(before.rounds);
    expect(during.users).toBe(before.users + meter.devices.length);
    expect(during.directReads - before.directReads).toBe(3 * meter.devices.length);

    await meter.close();
    await expectReleased(fdsBefore);
    expect(readThreadStats().users).toBe(before.users);
  });

  it("starts with the first open descriptor, reads every amdgpu card of a sample in one round, and stops with the last close", async () => {
    const { root, fdsBefore } = await idleTree();
    const hwmon = join(root, "hwmon");
    await writeHwmon(hwmon, [
      { hwmon: "hwmon0", name: "amdgpu", pci: "0000:03:00.0", files: { power1_average: 1 } },
      { hwmon: "hwmon1", name: "amdgpu", pci: "0000:83:00.0", files: { energy1_input: 1 } },
    ]);
    const before = readThreadStats();
    expect(before.stopping).toBe(0);
    expect(before.running).toBe(false);

    const meter = await meterOver(new RaplSource({ root }), new AmdgpuSource({ root: hwmon }));
    const cards = meter.devices.filter((d) => d.reader === "amdgpu").length;
    expect(cards).toBe(2);
    const roundsAtOpen = readThreadStats().rounds;
    await meter.sample();
    await meter.sample();
    const during = readThreadStats();
    expect(during.running).toBe(true);
    expect(during.started).toBe(before.started + 1);
    expect(during.users).toBe(before.users + meter.devices.length);
    // Two samples, one round each, however many cards: that is the point of the thread.
    expect(during.rounds - roundsAtOpen).toBe(2);
    expect(during.reads - before.reads).toBe(3 * cards);

    await meter.close();
    await expectReleased(fdsBefore);
    const after = readThreadStats();
    expect(after.users).toBe(before.users);
    expect(after.broken).toBeNull();
  });

  it("starts a meter's round as the meter asks its sources, not after the tick", async () => {
    const { root, fdsBefore } = await idleTree();
    const hwmon = join(root, "hwmon");
    await writeHwmon(hwmon, [
      { hwmon: "hwmon0", name: "amdgpu", pci: "0000:03:00.0", files: { power1_average: 1 } },
    ]);
    const meter = await meterOver(new RaplSource({ root }), new AmdgpuSource({ root: hwmon }));
    const before = readThreadStats().rounds;
    const sampling = meter.sample();
    // Already started, synchronously: no promise reaction (an allocation a sample) started it.
    expect(readThreadStats().rounds).toBe(before + 1);
    const reading = await sampling;
    expect(reading.problems).toEqual([]);
    await meter.close();
    await expectReleased(fdsBefore);
  });

  it("runs a round asked for from the callback of the round before (a caller that reads again at once)", async () => {
    const { root, fdsBefore } = await idleTree();
    const hwmon = join(root, "hwmon");
    await writeHwmon(hwmon, [
      { hwmon: "hwmon0", name: "amdgpu", pci: "0000:03:00.0", files: { energy1_input: 7_000 } },
    ]);
    const source = new AmdgpuSource({ root: hwmon });
    await source.detect();
    const roundsBefore = readThreadStats().rounds;
    const energies: number[] = [];
    await new Promise<void>((resolve) => {
      const onFrame = (frame: { energyJ: Float64Array }): void => {
        energies.push(frame.energyJ[0] as number);
        if (energies.length < 3) source.read(onFrame);
        else resolve();
      };
      source.read(onFrame);
    });
    expect(energies).toEqual([0.007, 0.007, 0.007]);
    expect(readThreadStats().rounds - roundsBefore).toBe(3);
    source.close();
    await expectReleased(fdsBefore);
  });

  it("keeps the vanished zone's descriptor out of every later round, even when the zone comes back, and a new meter reads the new one", async () => {
    const { root, fdsBefore } = await idleTree();
    const meter = await meterOver(new RaplSource({ root, revalidateEvery: 1 }));
    await setEnergy(root, "intel-rapl:1", 2_000_000 + 3_000_000);
    await meter.sample();
    await rm(join(root, "intel-rapl:1"), { recursive: true });
    const gone = await meter.sample();
    // The zone comes back, re-created with a counter of its own (a new file, a new inode).
    await writePowercap(root, [
      {
        dir: "intel-rapl:1",
        name: "package-1",
        energyUj: 50_000_000,
        maxEnergyRangeUj: 262_143_328_850,
      },
    ]);
    await setEnergy(root, "intel-rapl:0", 1_000_000 + 1_000_000);
    const readsBefore = readThreadStats().directReads;
    const back = await meter.sample();
    const readsInSample = readThreadStats().directReads - readsBefore;

    const id = "rapl:intel-rapl:1";
    expect(gone.devices.find((d) => d.device.id === id)?.problem?.kind).toBe("vanished");
    // The old meter does not pick the new file up through its old descriptor: still vanished,
    // its energy as it was, and the other zones read as before.
    expect(back.devices.find((d) => d.device.id === id)?.problem?.kind).toBe("vanished");
    expect(back.devices.find((d) => d.device.id === id)?.energyJ).toBeCloseTo(3, 9);
    expect(back.devices.find((d) => d.device.id === "rapl:intel-rapl:0")?.energyJ).toBeCloseTo(
      1,
      9,
    );
    expect(readsInSample).toBe(meter.devices.length - 1);

    const fresh = await meterOver(new RaplSource({ root }));
    await setEnergy(root, "intel-rapl:1", 50_000_000 + 4_000_000);
    const reading = await fresh.sample();
    expect(reading.problems).toEqual([]);
    expect(reading.devices.find((d) => d.device.id === id)?.energyJ).toBeCloseTo(4, 9);

    await meter.close();
    await fresh.close();
    await expectReleased(fdsBefore);
  });

  it("closes a descriptor only after the round reading it is back (a synchronous dispose mid-sample)", async () => {
    const { root, fdsBefore } = await idleTree();
    const meter = await meterOver(new RaplSource({ root }));
    const inFlight = meter.sample();
    meter[Symbol.dispose]();
    const reading = await inFlight;
    // The sample finished against a closed reader: every zone says so, none read a stray descriptor.
    for (const d of reading.devices) expect(d.problem?.message ?? "").not.toMatch(/EBADF/);
    await expectReleased(fdsBefore);
  });

  it("reports a failed read by its errno code, and serves more requests than a round holds", async () => {
    const root = await freshRoot();
    const file = join(root, "value");
    await writeFile(file, "12345\n");
    await mkdir(join(root, "dir"));
    const fd = await nodeSysfsIo.open(file);
    const dirFd = openSync(join(root, "dir"), "r");
    const before = readThreadStats();

    expect(await readOnce(fd)).toEqual({ code: null, text: "12345\n" });
    expect((await readOnce(dirFd)).code).toBe("EISDIR");

    const many = await Promise.all(
      Array.from({ length: MAX_ROUND_REQUESTS + 10 }, () => readOnce(fd)),
    );
    expect(many.every((r) => r.code === null && r.text === "12345\n")).toBe(true);
    const after = readThreadStats();
    expect(after.fallbackReads - before.fallbackReads).toBe(10);

    nodeSysfsIo.close(fd);
    closeSync(dirFd); // opened here, not through the file layer: not a user of the thread
    await settled();
    expect(readThreadStats().running).toBe(false);
  });
});

describe("a read thread that dies of an error", () => {
  it("keeps its stopping count at zero, and the next round falls back to the thread pool", async () => {
    // 'error' (the worker out of memory under its limit) then 'exit': the exit was counted
    // as a stop that never began, and `stopping` went to -1.
    const root = await freshRoot();
    await writeHwmon(root, [
      {
        hwmon: "hwmon0",
        name: "amdgpu",
        pci: "0000:03:00.0",
        files: { power1_average: 150_000_000 },
      },
    ]);
    const source = new AmdgpuSource({ root, platform: "linux" });
    onTestFinished(() => source.close());
    await source.detect();
    await source.sample();
    const { readThread } = await import("../src/sysfs/read-thread.ts");
    // The real Worker, reached past its privacy only to make it fail as V8 would.
    const worker = (readThread as unknown as { worker: import("node:worker_threads").Worker })
      .worker;
    expect(worker).not.toBeNull();
    worker.emit("error", new Error("simulated: ERR_WORKER_OUT_OF_MEMORY"));
    await worker.terminate();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(readThreadStats().stopping).toBe(0);
    const after = await source.sample();
    expect(after.readings[0]?.watts).toBe(150);
  });
});
