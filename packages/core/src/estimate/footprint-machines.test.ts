import { describe, expect, it } from "vitest";
import { cloudPue } from "../cloud/components.ts";
import { resolveGridIntensity } from "../intensity/grid-intensity.ts";
import { estimateFootprint } from "./footprint.ts";
import { estimateReportSchema } from "./report.ts";

async function report(request: unknown) {
  const result = await estimateFootprint(request);
  if (!result.ok) throw new Error(result.error.message);
  return estimateReportSchema.parse(result.value);
}

describe("estimateFootprint for accelerators alone", () => {
  it("says the host's CPUs and memory are left out, and how to include them", async () => {
    const gpus = await report({ hardware: [{ name: "H100", count: 8 }], duration: "72h" });
    expect(gpus.leftOut?.parts).toEqual(["host-cpus", "host-memory"]);
    expect(gpus.leftOut?.message).toMatch(/CPUs and memory are not included/);
    expect(gpus.leftOut?.message).toMatch(/dgx-h100/);
    const withCpu = await report({
      hardware: [
        { name: "H100", count: 8 },
        { name: "EPYC 7763", count: 2 },
      ],
      duration: "1h",
    });
    expect(withCpu.leftOut).toEqual({
      parts: ["host-memory"],
      message: expect.stringMatching(/memory is not included/),
    });
    const whole = await report({
      hardware: [{ name: "H100" }, { name: "EPYC 7763" }],
      memoryGB: 256,
      duration: "1h",
    });
    expect(whole.leftOut).toBeUndefined();
    const cpuOnly = await report({ hardware: [{ name: "EPYC 7763" }], duration: "1h" });
    expect(cpuOnly.leftOut).toBeUndefined();
  });
});

describe("estimateFootprint for a machine preset", () => {
  it("counts 4 DGX H100 for 72 h at their spec sheet's 10.2 kW each", async () => {
    const dgx = await report({
      machine: "dgx-h100",
      machines: 4,
      duration: "72h",
      location: "FR",
      pue: 1,
    });
    expect(dgx.itEnergy.value).toBeCloseTo((4 * 10_200 * 72) / 1000, 6);
    expect(dgx.breakdown.map((row) => row.kind)).toEqual([
      "gpu",
      "cpu",
      "memory",
      "other",
      "facility",
    ]);
    expect(dgx.leftOut).toBeUndefined();
    const france = resolveGridIntensity({ location: "FR" });
    if (!france.ok) throw new Error("FR");
    expect(dgx.carbon.value).toBeCloseTo(dgx.energy.value * france.value.intensity.value, 6);
  });

  it("refuses an unknown preset with suggestions", async () => {
    const result = await estimateFootprint({ machine: "dgx-h10", duration: "1h" });
    expect(result).toMatchObject({
      ok: false,
      error: { kind: "unknown-machine", field: "machine", query: "dgx-h10" },
    });
    expect(
      !result.ok && result.error.kind === "unknown-machine" && result.error.suggestions[0],
    ).toBe("dgx-h100");
  });
});

describe("estimateFootprint for a cloud instance", () => {
  it("estimates aws p5.48xlarge in us-east-1 for 72 h: region zone, provider PUE, all parts", async () => {
    const p5 = await report({
      cloud: "aws",
      instance: "p5.48xlarge",
      region: "us-east-1",
      duration: "72h",
    });
    expect(p5.intensity.zone).toBe("US-MIDA-PJM");
    expect(p5.intensity.source.note).toMatch(/aws us-east-1, US East \(N\. Virginia\)/);
    expect(p5.pue.value).toBe(1.15);
    expect(p5.pue.source.id).toBe(cloudPue("aws").provenance.source.id);
    expect(p5.breakdown.map((row) => row.kind)).toEqual(["gpu", "cpu", "memory", "facility"]);
    expect(p5.leftOut).toBeUndefined();
    const itW = p5.breakdown
      .filter((row) => row.kind !== "facility")
      .reduce((sum, row) => sum + row.power.value, 0);
    expect(p5.itEnergy.value).toBeCloseTo((itW * 72) / 1000, 9);
    expect(p5.energy.value).toBeCloseTo(p5.itEnergy.value * 1.15, 9);
  });

  it("infers the provider from the instance, takes a given PUE over the provider's", async () => {
    const vm = await report({
      instance: "n2-standard-8",
      region: "europe-west4",
      duration: "1h",
      pue: 1.3,
    });
    expect(vm.intensity.zone).toBe("NL");
    expect(vm.pue.value).toBe(1.3);
    const counted = await report({ instance: "n2-standard-8", machines: 3, duration: "1h" });
    expect(counted.breakdown[0]?.count).toBe(3);
    expect(counted.pue.value).toBe(cloudPue("gcp").value);
  });

  it("refuses a region of another provider, an unknown cloud and a region with a location", async () => {
    expect(
      await estimateFootprint({ instance: "p5.48xlarge", region: "europe-west4", duration: "1h" }),
    ).toMatchObject({ ok: false, error: { kind: "unknown-region", field: "region" } });
    expect(
      await estimateFootprint({ cloud: "ibm", instance: "p5.48xlarge", duration: "1h" }),
    ).toMatchObject({ ok: false, error: { kind: "unknown-cloud", field: "cloud" } });
    expect(
      await estimateFootprint({
        instance: "p5.48xlarge",
        region: "us-east-1",
        location: "FR",
        duration: "1h",
      }),
    ).toMatchObject({ ok: false, error: { kind: "invalid-request" } });
  });

  it("refuses host memory beside a machine preset or an instance, which count their own", async () => {
    for (const whole of [
      { machine: "dgx-h100" },
      { instance: "p5.48xlarge", region: "us-east-1" },
    ]) {
      const refused = await estimateFootprint({ ...whole, memoryGB: 5, duration: "1h" });
      expect(refused).toMatchObject({
        ok: false,
        error: { kind: "invalid-request", field: "memoryGB" },
      });
      if (!refused.ok) expect(refused.error.message).toMatch(/counted twice/);
    }
  });
});
