import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AmdgpuSource, openPowerMeter } from "../src/index.ts";
import { ioWithErrors } from "./helpers/io.ts";
import { tempDir, writeHwmon } from "./helpers/trees.ts";

let root: string;
let dispose: () => Promise<void>;

beforeEach(async () => {
  const dir = await tempDir("hwmon");
  root = join(dir.path, "hwmon");
  dispose = dir.dispose;
  await writeHwmon(root, [
    { hwmon: "hwmon0", name: "k10temp", files: { temp1_input: 45000 } },
    {
      hwmon: "hwmon1",
      name: "amdgpu",
      pci: "0000:03:00.0",
      product: "AMD Instinct MI210",
      files: { power1_average: 150_000_000, power1_input: 151_000_000, power1_cap: 300_000_000 },
    },
    {
      hwmon: "hwmon2",
      name: "amdgpu",
      pci: "0000:83:00.0",
      files: { energy1_input: 5_000_000, power1_input: 90_000_000 },
    },
    {
      // An APU on a current kernel: its power1 is labelled "PPT", as a discrete card's is;
      // only APUs have the vddnb rail.
      hwmon: "hwmon3",
      name: "amdgpu",
      pci: "0000:c1:00.0",
      files: { power1_input: 20_000_000, power1_label: "PPT", in1_input: 950, in1_label: "vddnb" },
    },
    {
      // A discrete card on a kernel that labelled every power1 "slowPPT": it was skipped as an APU.
      hwmon: "hwmon4",
      name: "amdgpu",
      pci: "0000:44:00.0",
      files: { power1_average: 200_000_000, power1_label: "slowPPT", in0_label: "vddgfx" },
    },
  ]);
});
afterEach(async () => {
  await dispose();
});

describe("amdgpu hwmon", () => {
  it("prefers an energy counter, then power1_average, then power1_input, and leaves APUs to RAPL", async () => {
    const source = new AmdgpuSource({ root });
    const { devices, skipped } = await source.detect();
    source.close();
    expect(
      devices.map((d) => [d.id, d.name, d.counter === null ? "power" : "counter", d.maxWatts]),
    ).toEqual([
      ["amdgpu:0000:03:00.0", "AMD Instinct MI210", "power", 600],
      ["amdgpu:0000:83:00.0", "AMD GPU 0000:83:00.0", "counter", 1500],
      ["amdgpu:0000:44:00.0", "AMD GPU 0000:44:00.0", "power", 1500],
    ]);
    expect(devices[0]?.notes[0]).toMatch(/power1_average \(µW\)/);
    expect(skipped).toEqual([
      expect.objectContaining({
        kind: "not-supported",
        device: "amdgpu:0000:c1:00.0",
        message: expect.stringMatching(/is an APU \(its driver reports the vddnb rail\)/),
      }),
    ]);
  });

  it("meters microwatts and microjoules, summing the cards", async () => {
    const opened = await openPowerMeter({
      inject: { sources: [new AmdgpuSource({ root })] },
      fallback: "none",
    });
    if (!opened.ok) throw new Error(opened.error.message);
    const meter = opened.value;
    await writeFile(join(root, "hwmon2", "energy1_input"), "9000000\n");
    await writeFile(join(root, "hwmon1", "power1_average"), "150000000\n");
    const r = await meter.sample();
    await meter.close();
    expect(r.devices[0]?.watts).toBe(150);
    expect(r.devices[1]?.energyJ).toBeCloseTo(4, 9);
    expect(r.devices[2]?.watts).toBe(200);
    const gpu = r.components[0];
    expect(gpu?.component).toBe("gpu");
    expect(gpu?.energyJ).toBeCloseTo(
      (r.devices[0]?.energyJ ?? 0) + 4 + (r.devices[2]?.energyJ ?? 0),
      9,
    );
  });

  it("names the card in a malformed reading and in a removed device", async () => {
    const readErrors = new Map<string, string>();
    const source = new AmdgpuSource({ root, io: ioWithErrors({ readErrors }) });
    await source.detect();
    await writeFile(join(root, "hwmon1", "power1_average"), "N/A\n");
    readErrors.set(join(root, "hwmon2", "energy1_input"), "ENODEV");
    const s = await source.sample();
    source.close();
    expect(s.readings[0]?.problem).toMatchObject({
      kind: "malformed",
      device: "amdgpu:0000:03:00.0",
      message: expect.stringMatching(/MI210.*"N\/A"/),
    });
    expect(s.readings[1]?.problem).toMatchObject({
      kind: "vanished",
      device: "amdgpu:0000:83:00.0",
    });
  });

  it("says why there is nothing to read", async () => {
    const none = new AmdgpuSource({ root: join(root, "missing") });
    expect((await none.detect()).skipped[0]).toMatchObject({ kind: "not-present" });
    const mac = new AmdgpuSource({ root, platform: "darwin" });
    expect((await mac.detect()).skipped[0]).toMatchObject({ kind: "unsupported-platform" });
  });
});
