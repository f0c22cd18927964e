import { execFileSync } from "node:child_process";
import { closeSync, constants, openSync } from "node:fs";
import { mkdir, rm, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  AmdgpuSource,
  type Detection,
  MAX_DIR_ENTRIES,
  type MachineFacts,
  ModelSource,
  nodeSysfsIo,
  RaplSource,
  type SysfsIo,
} from "../src/index.ts";
import { tempDir, writeHwmon, writePowercap } from "./helpers/trees.ts";

let root: string;
let dispose: () => Promise<void>;
const fifos: string[] = [];

beforeEach(async () => {
  const dir = await tempDir("hostile");
  root = dir.path;
  dispose = dir.dispose;
});
afterEach(async () => {
  // A reader blocked opening or reading a FIFO (the defect these tests catch) is released by a
  // writer that opens and closes it; without one, the test process could never exit.
  for (const fifo of fifos.splice(0)) {
    for (let i = 0; i < 50; i++) {
      try {
        closeSync(openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK));
      } catch {
        break; // ENXIO: no reader waits on it any more
      }
    }
  }
  await dispose();
});

async function fifoAt(path: string): Promise<void> {
  await rm(path, { force: true });
  execFileSync("mkfifo", [path]);
  fifos.push(path);
}

/** Detection, or a failure after `ms`: a reader that hangs must fail the test, not stall it. */
async function detectWithin(source: { detect(): Promise<Detection> }, ms = 3000) {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`detect() still running after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([source.detect(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** `count` empty files named `extra-N` in `dir`: a directory larger than any sysfs one. */
async function crowd(dir: string, count: number): Promise<void> {
  await mkdir(dir, { recursive: true });
  // In batches: thousands of open files at once could meet the descriptor limit.
  for (let i = 0; i < count; i += 256) {
    await Promise.all(
      Array.from({ length: Math.min(256, count - i) }, (_, j) =>
        writeFile(join(dir, `extra-${i + j}`), ""),
      ),
    );
  }
}

const zoneDir = () => join(root, "intel-rapl:0");
const onePackage = () =>
  writePowercap(root, [
    { dir: "intel-rapl:0", name: "package-0", energyUj: 5, maxEnergyRangeUj: 1_000_000 },
  ]);

describe("RAPL over a hostile powercap tree", () => {
  it("skips a zone whose energy_uj is a FIFO instead of hanging on it", async () => {
    await onePackage();
    await fifoAt(join(zoneDir(), "energy_uj"));
    const source = new RaplSource({ root });
    const { devices, skipped } = await detectWithin(source);
    source.close();
    expect(devices).toEqual([]);
    expect(skipped[0]).toMatchObject({ kind: "not-supported", device: "rapl:intel-rapl:0" });
    expect(skipped[0]?.message).toMatch(/energy_uj cannot be opened \(ENOTREG\)/);
  });

  it("skips a zone whose name or max_energy_range_uj is a FIFO", async () => {
    await writePowercap(root, [
      { dir: "intel-rapl:0", name: "package-0", energyUj: 5, maxEnergyRangeUj: 1_000_000 },
      { dir: "intel-rapl:1", name: "package-1", energyUj: 5, maxEnergyRangeUj: 1_000_000 },
    ]);
    await fifoAt(join(root, "intel-rapl:0", "name"));
    await fifoAt(join(root, "intel-rapl:1", "max_energy_range_uj"));
    const source = new RaplSource({ root });
    const { devices, skipped } = await detectWithin(source);
    source.close();
    expect(devices).toEqual([]);
    expect(skipped.map((s) => [s.kind, s.device])).toEqual([
      ["malformed", "rapl:intel-rapl:0"],
      ["malformed", "rapl:intel-rapl:1"],
    ]);
    expect(skipped[0]?.message).toMatch(/no readable name \(ENOTREG\)/);
    expect(skipped[1]?.message).toMatch(/max_energy_range_uj cannot be read \(ENOTREG\)/);
  });

  it("refuses endless and oversized files without reading them whole", async () => {
    await writePowercap(root, [
      { dir: "intel-rapl:0", name: "package-0", energyUj: 5, maxEnergyRangeUj: 1_000_000 },
      { dir: "intel-rapl:1", name: "package-1", energyUj: 5, maxEnergyRangeUj: 1_000_000 },
      { dir: "intel-rapl:2", name: "package-2", energyUj: 5, maxEnergyRangeUj: 1_000_000 },
    ]);
    await rm(join(root, "intel-rapl:0", "name"));
    await symlink("/dev/zero", join(root, "intel-rapl:0", "name"));
    await writeFile(join(root, "intel-rapl:1", "max_energy_range_uj"), "1".repeat(8 << 20));
    await rm(join(root, "intel-rapl:2", "energy_uj"));
    await symlink("/dev/zero", join(root, "intel-rapl:2", "energy_uj"));
    const source = new RaplSource({ root });
    // Reading /dev/zero until Node's size limit took seconds and 600 MB here.
    const { devices, skipped } = await detectWithin(source, 1500);
    source.close();
    expect(devices).toEqual([]);
    expect(skipped.map((s) => s.message.match(/\((E[A-Z]+)\)/)?.[1])).toEqual([
      "ENOTREG",
      "EFBIG",
      "ENOTREG",
    ]);
  });

  it("skips a directory where energy_uj should be at detect, not at every sample", async () => {
    await onePackage();
    await rm(join(zoneDir(), "energy_uj"));
    await mkdir(join(zoneDir(), "energy_uj"));
    const source = new RaplSource({ root });
    const { devices, skipped } = await detectWithin(source);
    source.close();
    expect(devices).toEqual([]);
    expect(skipped[0]?.message).toMatch(/energy_uj cannot be opened \(EISDIR\)/);
  });

  it("does not read non-ASCII characters as digits in max_energy_range_uj", async () => {
    // U+0130 is 0x30 ("0") in its low byte: a latin1 conversion made "1İİİ" read as 1000.
    await writePowercap(root, [
      {
        dir: "intel-rapl:0",
        name: "package-0",
        energyUj: 5,
        maxEnergyRangeUj: "1\u0130\u0130\u0130",
      },
    ]);
    const source = new RaplSource({ root });
    const { devices, skipped } = await detectWithin(source);
    source.close();
    expect(devices).toEqual([]);
    expect(skipped[0]).toMatchObject({ kind: "malformed", device: "rapl:intel-rapl:0" });
  });

  it("reads at most a bounded number of constraint files per zone", async () => {
    await onePackage();
    await Promise.all(
      Array.from({ length: 500 }, (_, i) =>
        writeFile(join(zoneDir(), `constraint_${i}_max_power_uw`), "100000000\n"),
      ),
    );
    let reads = 0;
    const io: SysfsIo = {
      ...nodeSysfsIo,
      readText: (path) => {
        reads++;
        return nodeSysfsIo.readText(path);
      },
    };
    const source = new RaplSource({ root, io });
    const { devices } = await detectWithin(source);
    source.close();
    expect(devices).toHaveLength(1);
    expect(reads).toBeLessThanOrEqual(2 + 16);
    expect(devices[0]?.notes.join(" ")).toMatch(/484 constraint files beyond the first 16/);
  });
});

describe("directory listings at detect", () => {
  it("read a directory only up to the limit asked for, and say it was cut", async () => {
    const dir = join(root, "big");
    await crowd(dir, MAX_DIR_ENTRIES + 500);
    const cut = await nodeSysfsIo.listDir(dir, MAX_DIR_ENTRIES);
    expect(cut.names).toHaveLength(MAX_DIR_ENTRIES);
    expect(cut.cut).toBe(true);
    expect(new Set(cut.names).size).toBe(MAX_DIR_ENTRIES);
    const whole = await nodeSysfsIo.listDir(dir, MAX_DIR_ENTRIES + 500);
    expect(whole.cut).toBe(false);
    expect([...whole.names].sort()).toEqual(
      Array.from({ length: MAX_DIR_ENTRIES + 500 }, (_, i) => `extra-${i}`).sort(),
    );
    await expect(nodeSysfsIo.listDir(join(dir, "extra-0"), 8)).rejects.toMatchObject({
      code: "ENOTDIR",
    });
  });

  it("RAPL says so when the powercap root holds more entries than it lists", async () => {
    await onePackage();
    await crowd(root, MAX_DIR_ENTRIES + 10);
    const source = new RaplSource({ root });
    const { skipped } = await source.detect();
    source.close();
    expect(skipped).toContainEqual(
      expect.objectContaining({
        reader: "rapl",
        kind: "malformed",
        message: expect.stringContaining(
          `${root} holds more than ${MAX_DIR_ENTRIES} entries; only the first ${MAX_DIR_ENTRIES} were looked at`,
        ),
      }),
    );
  });

  it("RAPL notes a zone directory too large to list whole, and still counts the zone", async () => {
    await onePackage();
    await crowd(zoneDir(), MAX_DIR_ENTRIES + 10);
    const source = new RaplSource({ root });
    const { devices } = await source.detect();
    source.close();
    expect(devices).toHaveLength(1);
    expect(devices[0]?.notes.join(" ")).toContain(
      `${zoneDir()} holds more than ${MAX_DIR_ENTRIES} entries; constraint files past the first ${MAX_DIR_ENTRIES} were not looked at`,
    );
  });

  it("amdgpu says so for a hwmon root and for a chip directory too large to list whole", async () => {
    await writeHwmon(root, [{ hwmon: "hwmon0", name: "amdgpu", files: { power1_average: 1 } }]);
    await crowd(join(root, "hwmon0"), MAX_DIR_ENTRIES + 10);
    const first = new AmdgpuSource({ root });
    const chip = await first.detect();
    first.close();
    // The chip's power file may or may not be among the names read: either way the cut is told.
    const told = [...chip.devices.flatMap((d) => d.notes), ...chip.skipped.map((s) => s.message)];
    expect(told.join("\n")).toContain(
      `${join(root, "hwmon0")} holds more than ${MAX_DIR_ENTRIES} entries; files past the first ${MAX_DIR_ENTRIES} were not looked at`,
    );

    await crowd(root, MAX_DIR_ENTRIES + 10);
    const second = new AmdgpuSource({ root });
    const { skipped } = await second.detect();
    second.close();
    expect(skipped).toContainEqual(
      expect.objectContaining({
        reader: "amdgpu",
        kind: "malformed",
        message: expect.stringContaining(
          `${root} holds more than ${MAX_DIR_ENTRIES} entries; only the first ${MAX_DIR_ENTRIES} were looked at`,
        ),
      }),
    );
  });
});

describe("amdgpu over a hostile hwmon tree", () => {
  it("skips a card whose power file is a FIFO, and a chip whose name is one", async () => {
    await writeHwmon(root, [
      { hwmon: "hwmon0", name: "amdgpu", files: { power1_average: 1 } },
      { hwmon: "hwmon1", name: "amdgpu", files: { power1_average: 1 } },
    ]);
    await fifoAt(join(root, "hwmon0", "power1_average"));
    await fifoAt(join(root, "hwmon1", "name"));
    const source = new AmdgpuSource({ root });
    const { devices, skipped } = await detectWithin(source);
    source.close();
    expect(devices).toEqual([]);
    expect(skipped[0]?.message).toMatch(/cannot open .*power1_average \(ENOTREG\)/);
  });
});

describe("the model over a hostile proc root", () => {
  it("falls back to the OS's CPU times when /proc/stat is a FIFO", async () => {
    await fifoAt(join(root, "stat"));
    const facts: MachineFacts = {
      cpu: { brand: "AMD EPYC 7763 64-Core Processor", logicalCpus: 128, sockets: 1 },
      memoryBytes: 256 * 1024 ** 3,
      dimms: 8,
      origin: ["test facts", "8 DIMM(s) from the SMBIOS table"],
    };
    const source = new ModelSource({
      cpu: true,
      dram: false,
      facts,
      procRoot: root,
      platform: "linux",
    });
    const { devices } = await detectWithin(source);
    source.close();
    expect(devices.map((d) => d.id)).toEqual(["model:cpu"]);
  });
});
