import { readdirSync } from "node:fs";
import { chmod, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  nodeSysfsIo,
  openPowerMeter,
  type PowerMeter,
  RaplSource,
  readThreadStats,
} from "../src/index.ts";
import { ioWithErrors } from "./helpers/io.ts";
import {
  INTEL_RANGE_UJ,
  setEnergy,
  tempDir,
  twoSocketServer,
  writePowercap,
} from "./helpers/trees.ts";

let root: string;
let dispose: () => Promise<void>;

beforeEach(async () => {
  const dir = await tempDir("powercap");
  root = dir.path;
  dispose = dir.dispose;
});
afterEach(async () => {
  await dispose();
});

async function meterOver(source: RaplSource): Promise<PowerMeter> {
  const opened = await openPowerMeter({ inject: { sources: [source] }, fallback: "none" });
  if (!opened.ok) throw new Error(opened.error.message);
  return opened.value;
}

describe("RAPL detection", () => {
  it("counts every package, DRAM and psys zone once: no core/uncore sub-zone, no MMIO twin", async () => {
    await writePowercap(root, twoSocketServer());
    const source = new RaplSource({ root });
    const { devices, skipped } = await source.detect();
    source.close();
    expect(skipped).toEqual([]);
    expect(devices.map((d) => [d.id, d.name, d.kind, d.basis])).toEqual([
      ["rapl:intel-rapl:0", "package-0", "cpu", "measured"],
      ["rapl:intel-rapl:0:2", "dram (package-0)", "dram", "measured"],
      ["rapl:intel-rapl:1", "package-1", "cpu", "measured"],
      ["rapl:intel-rapl:1:0", "dram (package-1)", "dram", "measured"],
      ["rapl:intel-rapl:2", "psys", "psys", "measured"],
    ]);
    const package0 = devices[0];
    expect(package0?.counter?.rangeJ).toBeCloseTo((INTEL_RANGE_UJ + 1) / 1e6, 9);
    // Declared limit 270 W, twice that for bursts.
    expect(package0?.maxWatts).toBe(540);
    expect(package0?.notes.join(" ")).toMatch(/intel-rapl:0:0, intel-rapl:0:1, not counted again/);
    // A zone that declares nothing gets the component's ceiling.
    expect(devices[4]?.maxWatts).toBe(2000);
  });

  it("uses the MMIO package when the MSR interface has none", async () => {
    await writePowercap(root, [
      { dir: "intel-rapl-mmio:0", name: "package-0", energyUj: 5, maxEnergyRangeUj: 1000 },
    ]);
    const source = new RaplSource({ root });
    const { devices } = await source.detect();
    source.close();
    expect(devices.map((d) => d.id)).toEqual(["rapl:intel-rapl-mmio:0"]);
  });

  it("counts the MMIO twin of an MSR package that has no counter, not its core and uncore", async () => {
    await writePowercap(root, [
      { dir: "intel-rapl:0", name: "package-0", maxEnergyRangeUj: INTEL_RANGE_UJ },
      { dir: "intel-rapl:0:0", name: "core", energyUj: 0, maxEnergyRangeUj: INTEL_RANGE_UJ },
      { dir: "intel-rapl:0:1", name: "uncore", energyUj: 0, maxEnergyRangeUj: INTEL_RANGE_UJ },
      {
        dir: "intel-rapl-mmio:0",
        name: "package-0",
        energyUj: 0,
        maxEnergyRangeUj: INTEL_RANGE_UJ,
      },
    ]);
    const meter = await meterOver(new RaplSource({ root }));
    try {
      expect(meter.devices.map((d) => d.id)).toEqual(["rapl:intel-rapl-mmio:0"]);
      expect(meter.skipped.map((s) => s.message).join(" ")).toMatch(
        /its MMIO twin intel-rapl-mmio:0 is counted instead/,
      );
      await setEnergy(root, "intel-rapl:0:0", 10_000_000);
      await setEnergy(root, "intel-rapl-mmio:0", 20_000_000);
      const reading = await meter.sample();
      // The whole package's 20 J, not the core's 10 J standing in for it.
      expect(reading.totalEnergyJ).toBeCloseTo(20, 6);
    } finally {
      await meter.close();
    }
  });

  it("says why when there is no RAPL: no tree, an empty tree, not Linux", async () => {
    const missing = new RaplSource({ root: join(root, "nope") });
    const a = await missing.detect();
    expect(a.devices).toEqual([]);
    expect(a.skipped[0]).toMatchObject({ kind: "not-present", reader: "rapl" });
    expect(a.skipped[0]?.message).toMatch(/modprobe intel_rapl_msr/);

    const empty = new RaplSource({ root });
    expect((await empty.detect()).skipped[0]).toMatchObject({ kind: "not-present" });

    const mac = new RaplSource({ root, platform: "darwin" });
    expect((await mac.detect()).skipped[0]).toMatchObject({
      kind: "unsupported-platform",
      message: expect.stringMatching(/darwin/),
    });
  });

  it("skips a zone whose wrap range is malformed, naming the zone and keeping the others", async () => {
    await writePowercap(root, [
      { dir: "intel-rapl:0", name: "package-0", energyUj: 5, maxEnergyRangeUj: "lots" },
      { dir: "intel-rapl:1", name: "package-1", energyUj: 5, maxEnergyRangeUj: 1000 },
    ]);
    const source = new RaplSource({ root });
    const { devices, skipped } = await source.detect();
    source.close();
    expect(devices.map((d) => d.id)).toEqual(["rapl:intel-rapl:1"]);
    expect(skipped).toEqual([
      expect.objectContaining({
        kind: "malformed",
        device: "rapl:intel-rapl:0",
        message: expect.stringMatching(/max_energy_range_uj is "lots"/),
      }),
    ]);
  });

  it("explains a root-only energy_uj with the exact fixes (EACCES simulated: the tests may run as root)", async () => {
    await writePowercap(root, twoSocketServer());
    const locked = join(root, "intel-rapl:1", "energy_uj");
    const source = new RaplSource({
      root,
      io: ioWithErrors({ openErrors: { [locked]: "EACCES" } }),
    });
    const { devices, skipped } = await source.detect();
    source.close();
    expect(devices.map((d) => d.id)).not.toContain("rapl:intel-rapl:1");
    expect(devices.map((d) => d.id)).toContain("rapl:intel-rapl:0");
    const skip = skipped.find((s) => s.device === "rapl:intel-rapl:1");
    expect(skip).toMatchObject({ kind: "no-permission", reader: "rapl" });
    expect(skip?.fix).toContain(`sudo chmod o+r ${locked}`);
    expect(skip?.fix).toMatch(/SUBSYSTEM=="powercap".*chmod o\+r %S%p\/energy_uj/);
    expect(skip?.fix).toMatch(/cap_dac_read_search/);
  });

  it("releases a zone opened and gone before its stat, and does not stand its sub-zones in", async () => {
    // The descriptor and its hold on the read thread leaked, and the skip said the file
    // could not be opened, which sent the package to its core/uncore sub-zones (leaked too).
    await writePowercap(root, twoSocketServer());
    const descriptors = (): number => readdirSync("/proc/self/fd").length;
    const before = descriptors();
    const source = new RaplSource({
      root,
      io: {
        ...nodeSysfsIo,
        identity: (path) =>
          Promise.reject(Object.assign(new Error(`ENOENT: stat '${path}'`), { code: "ENOENT" })),
      },
    });
    const { devices, skipped } = await source.detect();
    source.close();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(devices).toEqual([]);
    expect(skipped.length).toBeGreaterThan(0);
    // The counted zones, each once: packages, DRAM, psys; never the core/uncore stand-ins.
    expect(skipped.map((skip) => skip.device).sort()).toEqual([
      "rapl:intel-rapl:0",
      "rapl:intel-rapl:0:2",
      "rapl:intel-rapl:1",
      "rapl:intel-rapl:1:0",
      "rapl:intel-rapl:2",
    ]);
    for (const skip of skipped) {
      expect(skip).toMatchObject({ kind: "malformed", reader: "rapl" });
      expect(skip.message).toMatch(/was opened but its stat failed \(ENOENT\)/);
    }
    expect(descriptors()).toBe(before);
    expect(readThreadStats().users).toBe(0);
  });

  it.skipIf(process.getuid?.() === 0)(
    "refuses a real chmod 000 energy_uj with the same explanation (skipped as root: root reads it anyway)",
    async () => {
      await writePowercap(root, [
        { dir: "intel-rapl:0", name: "package-0", energyUj: 5, maxEnergyRangeUj: 1000 },
      ]);
      await chmod(join(root, "intel-rapl:0", "energy_uj"), 0o000);
      const source = new RaplSource({ root });
      const { skipped } = await source.detect();
      source.close();
      expect(skipped[0]).toMatchObject({ kind: "no-permission", device: "rapl:intel-rapl:0" });
    },
  );
});

describe("RAPL sampling through the meter", () => {
  it("ignores a declared limit under 1 W, which would leave every interval uncounted", async () => {
    // 2 µW declared: maxWatts became 4 µW and each 50 J interval was "implausible" for good.
    await writePowercap(root, [
      {
        dir: "intel-rapl:0",
        name: "package-0",
        energyUj: 0,
        maxEnergyRangeUj: 262_143_328_850,
        maxPowerUw: 2,
      },
    ]);
    const meter = await meterOver(new RaplSource({ root }));
    expect(meter.devices[0]?.maxWatts).toBe(1000);
    expect(meter.devices[0]?.notes.join("\n")).toMatch(
      /2 declared power limit\(s\) under 1 W ignored; the limit used is the cpu ceiling, 1000 W/,
    );
    await setEnergy(root, "intel-rapl:0", 50_000_000);
    const r = await meter.sample();
    await meter.close();
    expect(r.problems).toEqual([]);
    expect(r.devices[0]?.energyJ).toBe(50);
  });

  it("reads counter deltas and sums packages within the cpu component", async () => {
    await writePowercap(root, twoSocketServer());
    const meter = await meterOver(new RaplSource({ root }));
    await setEnergy(root, "intel-rapl:0", 1_000_000 + 10_000_000);
    await setEnergy(root, "intel-rapl:1", 2_000_000 + 30_000_000);
    await setEnergy(root, "intel-rapl:0:2", 200_000 + 2_000_000);
    await setEnergy(root, "intel-rapl:2", 5_000_000 + 50_000_000);
    const r = await meter.sample();
    await meter.close();
    const byId = Object.fromEntries(r.devices.map((d) => [d.device.id, d.energyJ]));
    expect(byId["rapl:intel-rapl:0"]).toBeCloseTo(10, 9);
    expect(byId["rapl:intel-rapl:1"]).toBeCloseTo(30, 9);
    const cpu = r.components.find((c) => c.component === "cpu");
    expect(cpu).toMatchObject({ devices: 2, basis: "measured" });
    expect(cpu?.energyJ).toBeCloseTo(40, 9);
    expect(r.components.find((c) => c.component === "dram")?.energyJ).toBeCloseTo(2, 9);
    // psys (55 J) overlaps package and DRAM: reported, never in the total.
    expect(r.components.find((c) => c.component === "psys")?.energyJ).toBeCloseTo(50, 9);
    expect(r.totalEnergyJ).toBeCloseTo(42, 9);
    expect(r.problems).toEqual([]);
  });

  it("adds the range when the counter wraps", async () => {
    const range = 1_000_000_000; // 1000 J
    await writePowercap(root, [
      {
        dir: "intel-rapl:0",
        name: "package-0",
        energyUj: range - 2_000_000,
        maxEnergyRangeUj: range,
        maxPowerUw: 500_000_000,
      },
    ]);
    const meter = await meterOver(new RaplSource({ root }));
    await setEnergy(root, "intel-rapl:0", 3_000_000);
    const r = await meter.sample();
    await meter.close();
    // 2 J to the top of the range, 1 µJ to wrap to 0, 3 J after.
    expect(r.devices[0]?.energyJ).toBeCloseTo(5.000001, 9);
    expect(r.devices[0]?.lowerBound).toBe(false);
    expect(r.problems).toEqual([]);
  });

  it("does not count a jump the zone cannot have drawn (a reset read as a wrap)", async () => {
    // Declared 10 W (20 W with headroom): 5 J within a few milliseconds is impossible.
    await writePowercap(root, [
      {
        dir: "intel-rapl:0",
        name: "package-0",
        energyUj: 8_000_000,
        maxEnergyRangeUj: 1_000_000_000,
        maxPowerUw: 10_000_000,
      },
    ]);
    const meter = await meterOver(new RaplSource({ root }));
    await setEnergy(root, "intel-rapl:0", 3_000_000);
    const r = await meter.sample();
    await meter.close();
    expect(r.devices[0]?.energyJ).toBe(0);
    expect(r.devices[0]?.uncountedS).toBeGreaterThan(0);
    expect(r.problems[0]).toMatchObject({
      kind: "implausible-delta",
      message: expect.stringMatching(/more than 20 W could draw/),
    });
  });

  it("flags a gap long enough for two wraps instead of guessing, and counts the minimum", async () => {
    // A 1 J range on a zone that may draw 20 W wraps more than once between any two samples.
    await writePowercap(root, [
      {
        dir: "intel-rapl:0",
        name: "package-0",
        energyUj: 900_000,
        maxEnergyRangeUj: 1_000_000,
        maxPowerUw: 10_000_000,
      },
    ]);
    const meter = await meterOver(new RaplSource({ root }));
    await setEnergy(root, "intel-rapl:0", 100_000);
    const r = await meter.sample();
    await meter.close();
    expect(r.devices[0]?.energyJ).toBeCloseTo(0.200001, 9);
    expect(r.devices[0]?.lowerBound).toBe(true);
    expect(r.components[0]?.lowerBound).toBe(true);
    expect(r.problems[0]).toMatchObject({ kind: "ambiguous-wraps", device: "rapl:intel-rapl:0" });
    // No interval is safe for such a counter: the fix says so ("every 0 s" before).
    expect(r.problems[0]?.fix).toMatch(/wraps too fast to sample reliably/);
  });

  it("skips a malformed or out-of-range reading, names the zone, and loses no energy", async () => {
    await writePowercap(root, [
      {
        dir: "intel-rapl:0",
        name: "package-0",
        energyUj: 1_000_000,
        maxEnergyRangeUj: INTEL_RANGE_UJ,
      },
      {
        dir: "intel-rapl:1",
        name: "package-1",
        energyUj: 1_000_000,
        maxEnergyRangeUj: INTEL_RANGE_UJ,
      },
    ]);
    const meter = await meterOver(new RaplSource({ root }));
    await setEnergy(root, "intel-rapl:0", "12ab");
    await setEnergy(root, "intel-rapl:1", INTEL_RANGE_UJ + 5);
    const bad = await meter.sample();
    expect(bad.problems).toEqual([
      expect.objectContaining({
        kind: "malformed",
        device: "rapl:intel-rapl:0",
        message: expect.stringMatching(/package-0.*holds "12ab"/),
      }),
      expect.objectContaining({
        kind: "out-of-range",
        device: "rapl:intel-rapl:1",
        message: expect.stringMatching(/above its max_energy_range_uj/),
      }),
    ]);
    await setEnergy(root, "intel-rapl:0", 4_000_000);
    await setEnergy(root, "intel-rapl:1", 2_000_000);
    const good = await meter.sample();
    await meter.close();
    expect(good.problems).toEqual([]);
    expect(good.devices[0]?.energyJ).toBeCloseTo(3, 9);
    expect(good.devices[1]?.energyJ).toBeCloseTo(1, 9);
    expect(good.devices[0]?.skipped).toBe(1);
    expect(meter.introspect().sources.rapl?.problems).toMatchObject({
      malformed: 1,
      "out-of-range": 1,
    });
  });

  it("reports a zone that disappears and keeps the rest and the energy it had", async () => {
    await writePowercap(root, twoSocketServer());
    const meter = await meterOver(new RaplSource({ root, revalidateEvery: 1 }));
    await setEnergy(root, "intel-rapl:1", 2_000_000 + 7_000_000);
    await meter.sample();
    await rm(join(root, "intel-rapl:1"), { recursive: true });
    await setEnergy(root, "intel-rapl:0", 1_000_000 + 4_000_000);
    const after = await meter.sample();
    const again = await meter.sample();
    await meter.close();
    const gone = after.devices.find((d) => d.device.id === "rapl:intel-rapl:1");
    expect(gone?.problem).toMatchObject({
      kind: "vanished",
      message: expect.stringMatching(/package-1: .*energy_uj is gone/),
    });
    expect(gone?.energyJ).toBeCloseTo(7, 9);
    expect(after.devices.find((d) => d.device.id === "rapl:intel-rapl:0")?.energyJ).toBeCloseTo(
      4,
      9,
    );
    expect(again.devices.find((d) => d.device.id === "rapl:intel-rapl:1")?.problem?.kind).toBe(
      "vanished",
    );
  });

  it("treats ENODEV on an open descriptor (how sysfs answers for a removed zone) as vanished", async () => {
    await writePowercap(root, [
      { dir: "intel-rapl:0", name: "package-0", energyUj: 1, maxEnergyRangeUj: 1000 },
    ]);
    const readErrors = new Map<string, string>();
    const meter = await meterOver(new RaplSource({ root, io: ioWithErrors({ readErrors }) }));
    readErrors.set(join(root, "intel-rapl:0", "energy_uj"), "ENODEV");
    const r = await meter.sample();
    await meter.close();
    expect(r.problems[0]).toMatchObject({
      kind: "vanished",
      message: expect.stringMatching(/ENODEV/),
    });
  });

  it("re-reads the same descriptor: a counter rewritten in place is seen without reopening", async () => {
    await writePowercap(root, [
      { dir: "intel-rapl:0", name: "package-0", energyUj: 10, maxEnergyRangeUj: 1_000_000_000 },
    ]);
    const source = new RaplSource({ root });
    await source.detect();
    const first = await source.sample();
    await writeFile(join(root, "intel-rapl:0", "energy_uj"), "2000010\n");
    const second = await source.sample();
    source.close();
    expect(first.readings[0]?.energyJ).toBeCloseTo(0.00001, 12);
    expect(second.readings[0]?.energyJ).toBeCloseTo(2.00001, 12);
    expect(second.atMs).toBeGreaterThanOrEqual(first.atMs);
  });
});

describe("RAPL package without a counter", () => {
  it("counts its core and uncore sub-zones instead, and says it is an underestimate", async () => {
    await writePowercap(root, [
      { dir: "intel-rapl:0", name: "package-0", maxEnergyRangeUj: 1000 },
      { dir: "intel-rapl:0:0", name: "core", energyUj: 5, maxEnergyRangeUj: 1000 },
      { dir: "intel-rapl:0:1", name: "uncore", energyUj: 5, maxEnergyRangeUj: 1000 },
    ]);
    const source = new RaplSource({ root });
    const { devices, skipped } = await source.detect();
    source.close();
    expect(devices.map((d) => [d.id, d.name, d.kind])).toEqual([
      ["rapl:intel-rapl:0:0", "core (package-0)", "cpu"],
      ["rapl:intel-rapl:0:1", "uncore (package-0)", "cpu"],
    ]);
    expect(devices[0]?.notes[1]).toMatch(/stands in for its package/);
    expect(skipped[0]?.message).toMatch(
      /core and uncore sub-zones are counted instead.*underestimate/,
    );
  });
});
