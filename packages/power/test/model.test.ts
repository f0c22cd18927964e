import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { cpuProfiles } from "@wattprint/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type MachineFacts, ModelSource, modelCpu, parseProcStat } from "../src/index.ts";
import { tempDir } from "./helpers/trees.ts";

describe("modelCpu", () => {
  it("uses the table's TDP for a CPU it knows, with its source", () => {
    const m = modelCpu({ brand: "AMD EPYC 7763 64-Core Processor", logicalCpus: 128, sockets: 1 });
    expect(m).toMatchObject({ ratedWatts: 280, idleWatts: 28, confidence: "high" });
    expect(m.provenance[0]?.source.url).toMatch(/^https:\/\/www\.amd\.com/);
    expect(m.notes[0]).toMatch(/matched AMD EPYC 7763 \(normalised\)/);
  });

  it("scales to the slice of the chip a VM sees, and multiplies by sockets", () => {
    const slice = modelCpu({
      brand: "AMD EPYC 7763 64-Core Processor",
      logicalCpus: 8,
      sockets: 1,
    });
    expect(slice.ratedWatts).toBeCloseTo((280 * 8) / 128, 12);
    expect(slice.notes.join(" ")).toMatch(/sees 8 of the 128 logical CPUs/);
    const two = modelCpu({
      brand: "Intel(R) Xeon(R) Platinum 8380 CPU @ 2.30GHz",
      logicalCpus: 160,
      sockets: 2,
    });
    expect(two.ratedWatts).toBe(540);
  });

  it('copes with a bare "AMD EPYC": the median TDP per thread of the EPYC rows, low confidence', () => {
    const epyc = cpuProfiles.filter(
      (p) => p.name.startsWith("AMD EPYC") && p.threads !== undefined,
    );
    const perThread = epyc.map((p) => p.tdpW / (p.threads ?? 1)).sort((a, b) => a - b);
    const mid = perThread.length >> 1;
    const median =
      perThread.length % 2 === 1
        ? (perThread[mid] as number)
        : ((perThread[mid - 1] as number) + (perThread[mid] as number)) / 2;
    const m = modelCpu({ brand: "AMD EPYC", logicalCpus: 2, sockets: 1 });
    expect(m.confidence).toBe("low");
    expect(m.ratedWatts).toBeCloseTo(median * 2, 12);
    expect(m.idleWatts).toBeCloseTo(median * 2 * 0.1, 12);
    expect(m.notes[0]).toMatch(
      new RegExp(
        `"AMD EPYC" names no single CPU.*median TDP per logical CPU of ${epyc.length} "AMD EPYC" rows`,
      ),
    );
    expect(m.notes[1]).toMatch(/WATTPRINT_CPU_NAME/);
    // A command that exists: `hardware detect` takes --cpu.
    expect(m.notes[1]).toContain("`wattprint hardware detect --cpu NAME`");
    expect(m.provenance[0]?.source.id).toBe("wattprint-cpu-median-per-thread");
  });

  it("never fails: no brand, an unknown brand, an ambiguous core name", () => {
    for (const brand of [
      "",
      "Common KVM processor",
      "Neoverse-N1",
      "QEMU Virtual CPU version 2.5+",
    ]) {
      const m = modelCpu({ brand, logicalCpus: 4, sockets: 0 });
      expect(m.confidence).toBe("low");
      expect(m.ratedWatts).toBeGreaterThan(0);
      expect(Number.isFinite(m.ratedWatts)).toBe(true);
    }
    expect(modelCpu({ brand: "Neoverse-N1", logicalCpus: 4, sockets: 1 }).notes[0]).toMatch(
      /matches several rows/,
    );
  });
});

describe("parseProcStat", () => {
  it("reads busy and total ticks from the aggregate line only", () => {
    const into = { busy: 0, total: 0 };
    const text = Buffer.from("cpu  93449 10 36391 141482 355 5 754 7 0 0\ncpu0 1 2 3 4\n");
    expect(parseProcStat(text, text.length, into)).toBe(true);
    expect(into).toEqual({
      busy: 93449 + 10 + 36391 + 5 + 754,
      total: 93449 + 10 + 36391 + 141482 + 355 + 5 + 754 + 7,
    });
    for (const bad of ["cpu0 1 2 3 4\n", "intr 1 2 3\n", "cpu  1 2\n", "cpu  a b c d\n", ""]) {
      const b = Buffer.from(bad);
      expect(parseProcStat(b, b.length, into)).toBe(false);
    }
  });
});

describe("ModelSource", () => {
  let proc: string;
  let dispose: () => Promise<void>;
  beforeEach(async () => {
    const dir = await tempDir("proc");
    proc = dir.path;
    dispose = dir.dispose;
    await mkdir(proc, { recursive: true });
  });
  afterEach(async () => {
    await dispose();
  });

  const facts: MachineFacts = {
    cpu: { brand: "AMD EPYC 7763 64-Core Processor", logicalCpus: 128, sockets: 1 },
    memoryBytes: 256 * 1024 ** 3,
    dimms: 8,
    origin: ["test facts", "8 DIMM(s) from the SMBIOS table"],
  };

  /** A CPU-only model over a /proc/stat of 200 busy in 1000 ticks, detected. */
  async function cpuOnlySource(): Promise<{ stat: string; source: ModelSource }> {
    const stat = join(proc, "stat");
    await writeFile(stat, "cpu  100 0 100 800 0 0 0 0 0 0\n");
    const source = new ModelSource({
      cpu: true,
      dram: false,
      facts,
      procRoot: proc,
      platform: "linux",
    });
    await source.detect();
    return { stat, source };
  }

  it("models CPU power from the load between samples and DRAM from the module count, all flagged modelled", async () => {
    const stat = join(proc, "stat");
    await writeFile(stat, "cpu  100 0 100 800 0 0 0 0 0 0\nintr 5\n");
    const source = new ModelSource({
      cpu: true,
      dram: true,
      facts,
      procRoot: proc,
      platform: "linux",
    });
    const { devices } = await source.detect();
    expect(devices.map((d) => [d.id, d.kind, d.basis, d.confidence])).toEqual([
      ["model:cpu", "cpu", "modelled", "high"],
      ["model:dram", "dram", "modelled", "high"],
    ]);
    expect(devices[1]?.notes[0]).toMatch(
      /8 module\(s\) × 3\.33 W \+ 0\.0521 W\/GB × 256 GB .* = 40 W/,
    );
    // The OS's GiB are what the model calls GB, as DIMMs are named: said, not left to guess.
    expect(devices[1]?.name).toBe("memory (256.0 GiB)");
    expect(devices[1]?.notes[1]).toBe(
      "GB here are the GiB the OS reports (256.0 GiB = 274.9 GB decimal), as module sizes are named",
    );
    expect(devices[0]?.notes.join(" ")).toMatch(/linear curve/);
    // 300 busy of 600 ticks: 50 % load.
    await writeFile(stat, "cpu  350 0 150 1100 0 0 0 0 0 0\nintr 5\n");
    const s = await source.sample();
    source.close();
    expect(s.readings[0]?.utilisation).toBe(0.5);
    expect(s.readings[0]?.watts).toBeCloseTo(28 + (280 - 28) * 0.5, 12);
    expect(s.readings[1]?.watts).toBe(40);
    expect(s.readings[0]?.energyJ).toBeGreaterThan(0);
  });

  it("reports an unreadable load and assumes the previous one for that interval", async () => {
    const { stat, source } = await cpuOnlySource();
    await writeFile(stat, "garbage\n");
    const s = await source.sample();
    source.close();
    expect(s.readings[0]?.problem).toMatchObject({
      kind: "malformed",
      device: "model:cpu",
      message: expect.stringMatching(/previous load \(0 %\) was assumed/),
    });
  });

  it("completes a sample in flight when the source is closed meanwhile", async () => {
    const { stat, source } = await cpuOnlySource();
    await writeFile(stat, "cpu  200 0 100 900 0 0 0 0 0 0\n");
    const pending = source.sample();
    source.close(); // before the sample has resolved: its reading must still be whole
    const s = await pending;
    expect(s.readings[0]?.problem).toBeNull();
    expect(s.readings[0]?.utilisation).toBe(0.5);
  });

  it("describes this very machine without crashing, whatever its CPU", async () => {
    const source = new ModelSource({ cpu: true, dram: true });
    const { devices } = await source.detect();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const s = await source.sample();
    source.close();
    expect(devices.map((d) => d.id)).toEqual(["model:cpu", "model:dram"]);
    for (const d of devices) {
      expect(d.basis).toBe("modelled");
      expect(d.notes.length).toBeGreaterThan(0);
      expect(d.provenance.length).toBeGreaterThan(0);
    }
    expect(s.readings[0]?.watts).toBeGreaterThan(0);
    expect(s.readings[1]?.watts).toBeGreaterThan(0);
  });
});
