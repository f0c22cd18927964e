import { describe, expect, it } from "vitest";
import { resolveGridIntensity } from "../intensity/grid-intensity.ts";
import { estimateFootprint, estimateParsedFootprint, footprintRequestSchema } from "./footprint.ts";
import { estimateReportSchema } from "./report.ts";
import { estimateReportJson } from "./report-json.ts";

describe("estimateFootprint", () => {
  it("resolves a named GPU and a country, and every number carries its source", async () => {
    const result = await estimateFootprint({
      hardware: [{ name: "Tesla V100-SXM2-16GB" }],
      duration: "1h",
      location: "Sweden",
      pue: 1.2,
    });
    if (!result.ok) throw new Error(result.error.message);
    const sweden = resolveGridIntensity({ location: "SE" });
    if (!sweden.ok) throw new Error("SE must resolve");
    const report = result.value;
    expect(report.breakdown[0]).toMatchObject({
      name: "NVIDIA V100 SXM2 16GB",
      power: { value: 300 },
    });
    expect(report.energy.value).toBeCloseTo(0.3 * 1.2, 12);
    expect(report.intensity.value).toBe(sweden.value.intensity.value);
    expect(report.carbon.value).toBeCloseTo(0.36 * sweden.value.intensity.value, 9);
    for (const row of report.breakdown) expect(row.source.title.length).toBeGreaterThan(0);
  });

  it("writes no data year for an overridden intensity or a power in watts", async () => {
    const result = await estimateFootprint({
      hardware: [{ watts: 1 }],
      duration: "1h",
      intensityGPerKWh: 100,
      location: "Spain",
    });
    if (!result.ok) throw new Error(result.error.message);
    const report = result.value;
    expect(report.intensity).toMatchObject({ level: "override", zone: "Spain" });
    expect(report.intensity).not.toHaveProperty("year");
    expect(report.intensity.source).not.toHaveProperty("year");
    expect(report.breakdown[0]?.source).not.toHaveProperty("year");
    expect(estimateReportJson(report)).toBe(JSON.stringify(report));
    expect(estimateReportSchema.safeParse(report).success).toBe(true);
  });

  it("refuses an unknown location or year with an overridden intensity", async () => {
    const place = await estimateFootprint({
      hardware: [{ watts: 1 }],
      duration: "1h",
      intensityGPerKWh: 100,
      location: "Atlantis",
    });
    expect(!place.ok && place.error).toMatchObject({ kind: "unknown-location", field: "location" });
    const year = await estimateFootprint({
      hardware: [{ watts: 1 }],
      duration: "1h",
      intensityGPerKWh: 100,
      year: 1800,
    });
    expect(!year.ok && year.error).toMatchObject({ kind: "invalid-request", field: "year" });
  });

  it("scales named hardware by utilisation and adds memory", async () => {
    const full = await estimateFootprint({
      hardware: [{ name: "AMD EPYC 7763" }],
      duration: "1h",
      intensityGPerKWh: 0,
      pue: 1,
    });
    const half = await estimateFootprint({
      hardware: [{ name: "AMD EPYC 7763", utilisation: 0.5 }],
      memoryGB: 256,
      duration: "1h",
      intensityGPerKWh: 0,
      pue: 1,
    });
    if (!full.ok || !half.ok) throw new Error("estimate failed");
    const tdp = full.value.breakdown[0]?.power.value ?? 0;
    expect(tdp).toBe(280);
    // linear model: idle 10 % of TDP + 90 % x 0.5
    expect(half.value.breakdown[0]?.power.value).toBeCloseTo(tdp * (0.1 + 0.9 * 0.5), 9);
    expect(half.value.breakdown.map((row) => row.kind)).toEqual(["cpu", "memory", "facility"]);
    expect(half.value.carbon.value).toBe(0);
  });

  it("scales given watts by utilisation on the same line as a named part of that power", async () => {
    const given = await estimateFootprint({
      hardware: [{ watts: 280, utilisation: 0.5 }],
      duration: "1h",
      intensityGPerKWh: 0,
      pue: 1,
    });
    const named = await estimateFootprint({
      hardware: [{ name: "AMD EPYC 7763", utilisation: 0.5 }],
      duration: "1h",
      intensityGPerKWh: 0,
      pue: 1,
    });
    if (!given.ok || !named.ok) throw new Error("estimate failed");
    const row = given.value.breakdown[0];
    expect(row?.power.value).toBeCloseTo(named.value.breakdown[0]?.power.value ?? 0, 9);
    expect(row?.source.method).toBe(
      "linear in utilisation 0.5 from 10 % of the given 280 W at idle to all of it",
    );
    const idle = await estimateFootprint({
      hardware: [{ watts: 100, utilisation: 0 }],
      duration: "1h",
    });
    expect(idle.ok && idle.value.breakdown[0]?.power.value).toBeCloseTo(10, 9);
  });

  it("reads a count written in a hardware name, and refuses one it cannot read", async () => {
    // The fuzzy lookup ignored "4x" and counted one: four A100s were estimated as one.
    const one = await estimateFootprint({ hardware: [{ name: "A100" }], duration: "1h" });
    for (const name of ["4x A100", "A100 x4"]) {
      const four = await estimateFootprint({ hardware: [{ name }], duration: "1h" });
      if (!four.ok || !one.ok) throw new Error("A100 must resolve");
      expect(four.value.breakdown[0]).toMatchObject({
        name: one.value.breakdown[0]?.name,
        count: 4,
      });
      expect(four.value.itEnergy.value).toBeCloseTo(4 * one.value.itEnergy.value, 12);
    }
    const both = await estimateFootprint({
      hardware: [{ name: "4x A100", count: 2 }],
      duration: "1h",
    });
    expect(!both.ok && both.error).toMatchObject({
      kind: "invalid-request",
      field: "hardware.0.name",
    });
    expect(!both.ok && both.error.message).toMatch(
      /carries a count \(4\) and count is 2: give one/,
    );
    const unreadable = await estimateFootprint({
      hardware: [{ name: "2.5x H100" }],
      duration: "1h",
    });
    expect(!unreadable.ok && unreadable.error).toMatchObject({
      kind: "invalid-request",
      field: "hardware.0.name",
    });
  });

  it("states the world average when no location is given", async () => {
    const result = await estimateFootprint({ hardware: [{ watts: 100 }], duration: "1h" });
    if (!result.ok) throw new Error(result.error.message);
    expect(result.value.intensity.level).toBe("world");
    expect(result.value.intensity.source.note ?? result.value.intensity.source.method).toMatch(
      /world|location/i,
    );
  });

  it.each([
    [
      { hardware: [], duration: "1h" },
      "invalid-request",
      /name the hardware, a machine or a cloud instance/,
    ],
    [
      { hardware: [{ name: "A100", watts: 3 }], duration: "1h" },
      "invalid-request",
      /either a hardware name or watts/,
    ],
    [{ hardware: [{ watts: 3 }] }, "invalid-request", /either a duration or a latency/],
    [
      { hardware: [{ watts: 3 }], duration: "1h", count: 3 },
      "invalid-request",
      /count goes with latency/,
    ],
    [{ hardware: [{ watts: "3" }], duration: "1h" }, "invalid-request", /hardware\.0\.watts/],
    [{ hardware: [{ watts: 3 }], duration: "1h", colour: "red" }, "invalid-request", /colour/],
    [
      { hardware: [{ watts: 3 }], latency: "1ms", count: 1e308 },
      "invalid-request",
      /count must be a whole number no larger than 2\^53 - 1/,
    ],
    [
      { hardware: [{ name: "Z80 Turbo" }], duration: "1h" },
      "unknown-hardware",
      /unknown hardware "Z80 Turbo"/,
    ],
    [
      { hardware: [{ watts: 3 }], duration: "1h", location: "Mordor" },
      "unknown-location",
      /unknown location "Mordor"/,
    ],
    [{ hardware: [{ watts: 3 }], duration: "1h", pue: "fast" }, "invalid-request", /PUE "fast"/],
    [null, "invalid-request", /./],
    [{ hardware: [{ watts: 1e308 }], duration: "1h" }, "out-of-range", /^result out of range/],
    [{ hardware: [{ watts: 1 }], duration: "1e305h" }, "invalid-request", /out of range/],
  ])("rejects %j with a clear error", async (request, kind, message) => {
    const result = await estimateFootprint(request);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.kind).toBe(kind);
      expect(result.error.message).toMatch(message);
    }
  });

  it.each([
    [{ hardware: [{ watts: 3 }] }, "duration"],
    [{ hardware: [], duration: "1h" }, "hardware"],
    [{ hardware: [{ watts: 3 }], duration: "1h", count: 3 }, "count"],
    [{ machine: "dgx-a100", instance: "p4d.24xlarge", duration: "1h" }, "instance"],
    [{ hardware: [{ watts: 3 }], duration: "1h", region: "us-east-1" }, "cloud"],
    [{ hardware: [{ watts: 3 }], duration: "1h", machines: 2 }, "machines"],
  ])(
    "names the member to give or remove when a rule between members fails: %j",
    async (request, field) => {
      const result = await estimateFootprint(request);
      expect(result.ok ? null : result.error).toMatchObject({ kind: "invalid-request", field });
    },
  );
});

describe("estimateParsedFootprint", () => {
  it("answers a parsed request as estimateFootprint answers the raw one", async () => {
    const raw = {
      hardware: [{ name: "  Tesla V100-SXM2-16GB " }, { watts: 40 }],
      latency: "15ms",
      count: 200,
      location: "SE",
    };
    const parsed = footprintRequestSchema.parse(raw);
    // The schema trims names and fills counts: the parsed path must rely on that, not redo it.
    expect(parsed.hardware[0]).toEqual({ name: "Tesla V100-SXM2-16GB", count: 1 });
    expect(await estimateParsedFootprint(parsed)).toEqual(await estimateFootprint(raw));
  });

  it("still refuses what only the tables can refuse", async () => {
    const parsed = footprintRequestSchema.parse({
      hardware: [{ name: "GTX 9999" }],
      duration: "1h",
    });
    const result = await estimateParsedFootprint(parsed);
    expect(result.ok ? undefined : result.error.kind).toBe("unknown-hardware");
  });
});
