import { describe, expect, it } from "vitest";
import { SimulatedSource } from "../src/index.ts";
import {
  type Detection,
  energyBetween,
  measuredDeviceForTests,
  openPowerMeter,
  type PowerSource,
  type SourceSample,
} from "./helpers/meter-fixtures.ts";

describe("PowerMeter over simulated devices", () => {
  it("sums devices within a component: two GPUs at 100 W and 200 W draw 300 W", async () => {
    const opened = await openPowerMeter({
      simulated: [
        { kind: "gpu", name: "sim A", watts: 100 },
        { kind: "gpu", name: "sim B", watts: 400, utilisation: 0.5 },
        { kind: "cpu", name: "sim cpu", watts: 50 },
      ],
    });
    if (!opened.ok) throw new Error(opened.error.message);
    await using meter = opened.value;
    expect(meter.devices.map((d) => [d.id, d.reader, d.basis])).toEqual([
      ["sim_cpu:0", "sim_cpu", "simulated"],
      ["sim_gpu:0", "sim_gpu", "simulated"],
      ["sim_gpu:1", "sim_gpu", "simulated"],
    ]);
    expect(meter.devices[2]?.notes[0]).toBe(
      "Using simulated GPU: sim B with power consumption: 400.00W (at 50% utilization)",
    );
    const before = await meter.sample();
    await new Promise((resolve) => setTimeout(resolve, 200));
    const after = await meter.sample();
    const gpu = after.components.find((c) => c.component === "gpu");
    expect(gpu?.watts).toBe(300);
    expect(gpu?.basis).toBe("simulated");
    const interval = energyBetween(before, after);
    // Summed, not averaged, within the component: exact, both GPUs being read together.
    const [simA, simB] = ["sim_gpu:0", "sim_gpu:1"].map(
      (id) => interval.devices.find((d) => d.id === id)?.energyJ ?? Number.NaN,
    );
    const gpuEnergy = interval.components.find((c) => c.component === "gpu")?.energyJ;
    expect(gpuEnergy).toBeCloseTo((simA ?? 0) + (simB ?? 0), 9);
    expect((simB ?? 0) / (simA ?? 1)).toBeCloseTo(2, 9);
    // Mean watts within 2 %: each source stamps its own reads and the interval runs between
    // the readings' latest stamps, so on a loaded machine a few ms between the two sources'
    // stamps shift a 200 ms interval's means by a watt or two (349 for 350 on CI once).
    const near = (watts: number | undefined, expected: number) =>
      expect(Math.abs((watts ?? Number.NaN) - expected) / expected).toBeLessThan(0.02);
    near(interval.components.find((c) => c.component === "gpu")?.meanWatts, 300);
    near(
      interval.components.reduce((sum, c) => sum + c.meanWatts, 0),
      350,
    );
    expect(after.totalWatts).toBe(350);
  });

  it("answers a utilisation curve outside [0, 1] with a problem, not a throw", async () => {
    const opened = await openPowerMeter({
      simulated: [{ kind: "cpu", name: "wild", watts: 10, utilisation: () => 2 }],
    });
    if (!opened.ok) throw new Error(opened.error.message);
    await using meter = opened.value;
    const r = await meter.sample();
    expect(r.problems[0]).toMatchObject({ kind: "out-of-range", device: "sim_cpu:0" });
  });

  it("answers a curve returning a Symbol with a problem, and keeps sampling", async () => {
    // Building the message with `${u}` threw for a Symbol inside the round, which then never
    // finished: every later sample() waited forever.
    let calls = 0;
    const curve = (): number => (++calls > 1 ? (Symbol("x") as unknown as number) : 0.5);
    const opened = await openPowerMeter({
      simulated: [{ kind: "cpu", name: "odd", watts: 10, utilisation: curve }],
    });
    if (!opened.ok) throw new Error(opened.error.message);
    await using meter = opened.value;
    const second = await meter.sample();
    expect(second.problems[0]).toMatchObject({
      kind: "out-of-range",
      message: expect.stringContaining("Symbol(x)"),
    });
    const third = await meter.sample();
    expect(third.problems[0]).toMatchObject({ kind: "out-of-range" });
  });

  it("counts elapsedS and uncountedS from the first sample, not from before detection", async () => {
    const opened = await openPowerMeter({ simulated: [{ kind: "cpu", name: "c", watts: 10 }] });
    if (!opened.ok) throw new Error(opened.error.message);
    await using meter = opened.value;
    const first = meter.latest();
    expect(first.elapsedS).toBe(0);
    expect(first.devices[0]?.uncountedS).toBe(0);
    const second = await meter.sample();
    expect(second.elapsedS).toBe((second.atMs - first.atMs) / 1000);
  });

  it("holds the time of a device that never reads well as pending, not as a silent 0 J", async () => {
    const opened = await openPowerMeter({
      simulated: [{ kind: "cpu", name: "never", watts: 10, utilisation: () => 2 }],
    });
    if (!opened.ok) throw new Error(opened.error.message);
    await using meter = opened.value;
    await new Promise((resolve) => setTimeout(resolve, 50));
    const r = await meter.sample();
    expect(r.devices[0]?.energyJ).toBe(0);
    expect(r.devices[0]?.samples).toBe(0);
    expect(r.elapsedS).toBeGreaterThan(0);
    expect(r.devices[0]?.pendingS).toBeCloseTo(r.elapsedS, 9);
    expect(r.devices[0]?.uncountedS).toBe(0);
  });

  it("holds the gap after failed readings as pending until a good reading bridges it", async () => {
    let good = true;
    const opened = await openPowerMeter({
      simulated: [{ kind: "cpu", name: "flaky", watts: 10, utilisation: () => (good ? 1 : 2) }],
    });
    if (!opened.ok) throw new Error(opened.error.message);
    await using meter = opened.value;
    const first = meter.latest();
    good = false;
    await new Promise((resolve) => setTimeout(resolve, 30));
    const failed = await meter.sample();
    expect(failed.devices[0]?.pendingS).toBeCloseTo((failed.atMs - first.atMs) / 1000, 9);
    good = true;
    await new Promise((resolve) => setTimeout(resolve, 30));
    const bridged = await meter.sample();
    expect(bridged.devices[0]?.pendingS).toBe(0);
    expect(bridged.devices[0]?.uncountedS).toBe(0);
    expect(bridged.devices[0]?.energyJ).toBeCloseTo(10 * bridged.elapsedS, 6);
  });

  it("releases a round whose fill throws, failing its devices for that round only", async () => {
    let broken = false;
    const spec = {
      name: "flaky",
      utilisation: 0.5,
      // A getter standing for any bug inside a reader's fill: it throws once sampling has begun.
      get watts(): number {
        if (broken) throw new Error("watts are gone");
        return 10;
      },
    };
    const source = new SimulatedSource("cpu", [spec]);
    await source.detect();
    broken = true;
    const failed = await source.sample();
    expect(failed.readings[0]?.problem).toMatchObject({
      kind: "driver-error",
      device: "sim_cpu:0",
      message: expect.stringContaining("watts are gone"),
    });
    broken = false;
    const next = await source.sample();
    expect(next.readings[0]).toMatchObject({ watts: 5, problem: null });
  });
});

function fakeSource(
  reader: "rapl" | "nvml",
  devices: Detection["devices"],
  sample: () => Promise<SourceSample>,
): PowerSource {
  let closed = 0;
  return {
    reader,
    detect: async () => ({ devices, skipped: [] }),
    sample,
    close: () => {
      closed++;
    },
    introspect: () => ({ samples: 0, readings: 0, coalesced: closed, problems: {} as never }),
  };
}

describe("openPowerMeter choices", () => {
  it("names a missing component and why each reader that could provide it was skipped", async () => {
    const opened = await openPowerMeter({
      components: ["gpu"],
      nvmlLibrary: "/nonexistent/libnvidia-ml.so.1",
      hwmonRoot: "/nonexistent/hwmon",
      platform: "linux",
    });
    expect(opened.ok).toBe(false);
    if (opened.ok) return;
    expect(opened.error).toMatchObject({ kind: "component-unavailable", field: "gpu" });
    expect(opened.error.message).toMatch(
      /no gpu power source on this machine: nvml: cannot load \/nonexistent\/libnvidia-ml\.so\.1/,
    );
    expect(opened.error.message).toMatch(/amdgpu: no hwmon directory at \/nonexistent\/hwmon/);
  });

  it("names a device filter that matches nothing and lists the devices there are", async () => {
    const opened = await openPowerMeter({
      simulated: [{ kind: "cpu", name: "sim cpu", watts: 5 }],
      devices: ["nvml:*"],
    });
    expect(opened.ok).toBe(false);
    if (opened.ok) return;
    expect(opened.error).toMatchObject({
      kind: "device-not-found",
      field: "nvml:*",
      suggestions: ["sim_cpu:0"],
    });
  });

  it("filters devices by id, name or pattern", async () => {
    const opened = await openPowerMeter({
      simulated: [
        { kind: "gpu", name: "first", watts: 1 },
        { kind: "gpu", name: "Second", watts: 2 },
        { kind: "cpu", name: "cpu", watts: 3 },
      ],
      devices: ["second", "sim_cpu:*"],
    });
    if (!opened.ok) throw new Error(opened.error.message);
    await using meter = opened.value;
    expect(meter.devices.map((d) => d.id)).toEqual(["sim_cpu:0", "sim_gpu:1"]);
  });

  it("refuses malformed options with the field named", async () => {
    const opened = await openPowerMeter({ components: ["cpu", "tpu" as "cpu"] });
    expect(opened.ok).toBe(false);
    if (opened.ok) return;
    expect(opened.error).toMatchObject({ kind: "invalid-options", field: "components.1" });
    const negative = await openPowerMeter({ simulated: [{ kind: "cpu", name: "x", watts: -1 }] });
    expect(!negative.ok && negative.error.field).toBe("simulated.0.watts");
    for (const sampleIntervalS of [0, -1, Number.NaN, 1e9]) {
      const interval = await openPowerMeter({ sampleIntervalS });
      expect(!interval.ok && interval.error.field).toBe("sampleIntervalS");
    }
  });

  it("refuses a cpuName no CPU row matches, naming the option and the variable", async () => {
    // It was modelled as the median of every CPU of the table, as if the user had named one.
    const facts = {
      cpu: { brand: "AMD EPYC", logicalCpus: 2, sockets: 1 },
      memoryBytes: 16 * 1024 ** 3,
      dimms: undefined,
      origin: ["test"],
    };
    const quiet = {
      powercapRoot: "/nonexistent/powercap",
      hwmonRoot: "/nonexistent/hwmon",
      nvmlLibrary: "/nonexistent/libnvidia-ml.so.1",
    };
    for (const [cpuName, why] of [
      ["bogus", /unknown hardware "bogus"/],
      ["NVIDIA A100 40GB PCIe", /names NVIDIA A100 PCIe 40GB, a gpu, not a CPU/],
    ] as const) {
      const opened = await openPowerMeter({ ...quiet, cpuName, inject: { facts } });
      expect(opened.ok ? null : opened.error).toMatchObject({
        kind: "invalid-options",
        field: "cpuName",
        message: expect.stringMatching(why),
      });
      expect(opened.ok ? "" : opened.error.message).toContain("WATTPRINT_CPU_NAME");
    }
    for (const [cpuName, confidence] of [
      ["AMD EPYC", "low"],
      ["AMD EPYC 7763", "high"],
    ] as const) {
      const opened = await openPowerMeter({
        ...quiet,
        cpuName,
        components: ["cpu"],
        inject: { facts },
      });
      if (!opened.ok) throw new Error(opened.error.message);
      await using meter = opened.value;
      expect(meter.devices.map((d) => d.confidence)).toEqual([confidence]);
    }
  });

  it("models an unmeasured cpu and dram when everything is asked for, and says so", async () => {
    const opened = await openPowerMeter({
      powercapRoot: "/nonexistent/powercap",
      hwmonRoot: "/nonexistent/hwmon",
      nvmlLibrary: "/nonexistent/libnvidia-ml.so.1",
      inject: {
        facts: {
          cpu: { brand: "AMD EPYC", logicalCpus: 2, sockets: 1 },
          memoryBytes: 16 * 1024 ** 3,
          dimms: undefined,
          origin: ["test"],
        },
      },
    });
    if (!opened.ok) throw new Error(opened.error.message);
    await using meter = opened.value;
    expect(meter.devices.map((d) => [d.id, d.basis, d.confidence])).toEqual([
      ["model:cpu", "modelled", "low"],
      ["model:dram", "modelled", "low"],
    ]);
    expect(meter.skipped.map((s) => [s.reader, s.kind])).toEqual(
      expect.arrayContaining([
        ["rapl", "not-present"],
        ["nvml", "no-driver"],
        ["amdgpu", "not-present"],
      ]),
    );
    const none = await openPowerMeter({
      fallback: "none",
      powercapRoot: "/nonexistent",
      hwmonRoot: "/nonexistent",
      nvmlLibrary: "/nonexistent",
    });
    expect(!none.ok && none.error.kind).toBe("no-devices");
  });

  it("never rejects when a reader throws, and closes every reader once", async () => {
    const device = measuredDeviceForTests("rapl:x", "cpu");
    let calls = 0;
    const source = fakeSource("rapl", [device], async () => {
      calls++;
      if (calls > 1) throw new Error("boom");
      return {
        atMs: performance.now(),
        readings: [{ energyJ: 1, watts: Number.NaN, utilisation: Number.NaN, problem: null }],
      };
    });
    const opened = await openPowerMeter({ inject: { sources: [source] }, fallback: "none" });
    if (!opened.ok) throw new Error(opened.error.message);
    const meter = opened.value;
    const r = await meter.sample();
    expect(r.problems[0]).toMatchObject({
      kind: "driver-error",
      device: "rapl:x",
      message: expect.stringMatching(/the rapl reader failed: boom/),
    });
    await meter.close();
    await meter.close();
    expect(source.introspect().coalesced).toBe(1);
  });

  it("answers concurrent sample() calls with one sample", async () => {
    const device = measuredDeviceForTests("rapl:a", "cpu");
    let reads = 0;
    const source = fakeSource("rapl", [device], async () => {
      reads++;
      await new Promise((resolve) => setTimeout(resolve, 5));
      return {
        atMs: performance.now(),
        readings: [{ energyJ: reads, watts: Number.NaN, utilisation: Number.NaN, problem: null }],
      };
    });
    const opened = await openPowerMeter({ inject: { sources: [source] }, fallback: "none" });
    if (!opened.ok) throw new Error(opened.error.message);
    await using meter = opened.value;
    const [a, b] = await Promise.all([meter.sample(), meter.sample()]);
    expect(a).toBe(b);
    expect(reads).toBe(2);
    expect(meter.introspect().coalesced).toBe(1);
  });

  it("reads simulated devices at once: each sample() is its own sample", async () => {
    const opened = await openPowerMeter({ simulated: [{ kind: "cpu", name: "c", watts: 1 }] });
    if (!opened.ok) throw new Error(opened.error.message);
    await using meter = opened.value;
    const [a, b] = await Promise.all([meter.sample(), meter.sample()]);
    expect(a).not.toBe(b);
    expect(b.atMs).toBeGreaterThanOrEqual(a.atMs);
    expect(meter.introspect().coalesced).toBe(0);
    expect(meter.introspect().samples).toBe(3);
  });

  it("samples on a timer until stopped", async () => {
    const opened = await openPowerMeter({ simulated: [{ kind: "cpu", name: "c", watts: 1 }] });
    if (!opened.ok) throw new Error(opened.error.message);
    await using meter = opened.value;
    const seen: number[] = [];
    meter.start(20, (r) => seen.push(r.atMs));
    await new Promise((resolve) => setTimeout(resolve, 150));
    meter.stop();
    const count = seen.length;
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(count).toBeGreaterThanOrEqual(3);
    expect(seen.length).toBe(count);
  });

  it("refuses a timer interval Node cannot keep", async () => {
    // 30 days became 1 ms (Node's timers stop at 2^31 − 1 ms): 174 samples in 200 ms.
    const opened = await openPowerMeter({ simulated: [{ kind: "cpu", name: "c", watts: 1 }] });
    if (!opened.ok) throw new Error(opened.error.message);
    await using meter = opened.value;
    const samples = meter.introspect().samples;
    expect(() => meter.start(30 * 24 * 3600 * 1000)).toThrow(
      /intervalMs must be from 1 to 2147483647 \(about 24\.8 days\), got 2592000000/,
    );
    expect(() => meter.start(0)).toThrow(/intervalMs must be from 1/);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(meter.introspect().samples).toBe(samples);
  });
});
