import { describe, expect, it } from "vitest";
import { cloudInstances } from "../cloud/data/instances.ts";
import { cloudRegions } from "../cloud/data/regions.ts";
import { hardwareProfiles } from "../hardware/data/catalogue.ts";
import { machinePresets } from "../machines/data/machines.ts";
import { estimateFootprint, type FootprintRequest } from "./footprint.ts";
import type { EstimateReport } from "./report.ts";
import { estimateReportJson, estimateReportJsonIntrospect } from "./report-json.ts";

async function reportFor(request: FootprintRequest): Promise<EstimateReport> {
  const result = await estimateFootprint(request);
  if (!result.ok) throw new Error(`${JSON.stringify(request)}: ${result.error.message}`);
  return result.value;
}

/** Every table row the estimate can cite, each with another zone, work kind or option. */
function catalogueRequests(): FootprintRequest[] {
  const zones = ["ES", "US-CAL-CISO", "WORLD", "FR", "IN"];
  const requests: FootprintRequest[] = hardwareProfiles.map((profile, i) => ({
    hardware: [{ name: profile.name, count: 1 + (i % 3) }],
    ...(i % 2 === 0 ? { duration: `${1 + i}m` } : { latency: "20ms", count: 10 * (i + 1) }),
    location: zones[i % zones.length] as string,
  }));
  for (const preset of machinePresets) {
    requests.push({ machine: preset.id, duration: "1h", location: "DE", pue: 1.1 });
  }
  for (const instance of cloudInstances.filter((_, i) => i % 5 === 0)) {
    const region = cloudRegions.find((r) => r.provider === instance.provider);
    requests.push({
      cloud: instance.provider,
      instance: instance.name,
      ...(region !== undefined ? { region: region.id } : {}),
      duration: "3h",
    });
  }
  requests.push(
    { hardware: [{ watts: 350, utilisation: 0.5 }], latency: "20ms", count: 1000, location: "FR" },
    { hardware: [{ name: "H100 SXM" }], memoryGB: 64, duration: "90m", intensityGPerKWh: 120 },
    { hardware: [{ watts: 0 }], duration: "1s", location: "DE", year: 2022 },
    { hardware: [{ watts: 1e-9 }], duration: "1ms" },
  );
  return requests;
}

/** A report that reaches every optional member, with text JSON must escape. */
function handBuilt(): EstimateReport {
  const source = {
    id: "hand-built",
    title: 'a "quoted" title \\ with a backslash, a tab\t, a newline\n and \u0001',
    url: "https://example.org/é/😀",
    year: 2024,
    licence: "lone surrogate \ud800 and ✓",
    method: "typed </script> by hand",
    note: "a note\u2028with a line separator",
  };
  const { licence: _licence, ...withoutLicence } = source;
  return {
    schema: "wattprint.estimate/v1",
    energy: { value: 1e21, unit: "kWh" },
    itEnergy: { value: -0, unit: "kWh" },
    carbon: { value: 1.5e-7, unit: "gCO2eq" },
    intensity: {
      value: 0,
      unit: "gCO2eq/kWh",
      zone: "X",
      zoneName: "Zoné",
      level: "override",
      year: 2025,
      source,
    },
    pue: { value: 1, source: withoutLicence },
    work: { kind: "inferences", latency: { value: 0.02, unit: "s" }, count: 0 },
    breakdown: [
      {
        name: "n",
        kind: "gpu",
        count: 1,
        power: { value: Number.NaN, unit: "W" },
        energy: { value: Number.POSITIVE_INFINITY, unit: "kWh" },
        carbon: { value: 123456789.123, unit: "gCO2eq" },
        source,
      },
    ],
    equivalents: [
      {
        id: "e",
        value: 2,
        unit: "u",
        description: "d\"'",
        basis: "b",
        source: { id: "s", title: "t", url: "", year: 1 },
      },
    ],
    formula: "f",
    leftOut: { parts: ["host-cpus", "host-memory"], message: "m" },
  };
}

describe("estimateReportJson", () => {
  it("writes what JSON.stringify writes for a report of every table row", async () => {
    const requests = catalogueRequests();
    expect(requests.length).toBeGreaterThan(hardwareProfiles.length + machinePresets.length);
    for (const request of requests) {
      const report = await reportFor(request);
      // Twice: the first write fills the caches, the second reads them.
      expect(estimateReportJson(report), JSON.stringify(request)).toBe(JSON.stringify(report));
      expect(estimateReportJson(report), JSON.stringify(request)).toBe(JSON.stringify(report));
    }
  });

  it("writes every optional member, escapes as JSON.stringify does, and writes non-finite numbers as null", () => {
    const report = handBuilt();
    const json = estimateReportJson(report);
    expect(json).toBe(JSON.stringify(report));
    expect(json).toContain('"value":null');
    expect(json).toContain("\\ud800");
    expect(json).not.toContain('"licence":undefined');
  });

  it("writes a report with no optional member", async () => {
    const report = await reportFor({ hardware: [{ watts: 100 }], duration: "1h" });
    const { leftOut, ...rest } = report;
    const bare: EstimateReport = {
      ...rest,
      intensity: {
        value: report.intensity.value,
        unit: report.intensity.unit,
        zone: report.intensity.zone,
        source: report.intensity.source,
      },
      breakdown: [],
      equivalents: [],
    };
    expect(leftOut).toBeUndefined();
    expect(estimateReportJson(bare)).toBe(JSON.stringify(bare));
  });

  it("never writes cached text for a source or equivalent that now says something else", async () => {
    const report = await reportFor({
      hardware: [{ name: "NVIDIA A100 SXM4 40GB" }],
      duration: "1h",
    });
    expect(estimateReportJson(report)).toBe(JSON.stringify(report));
    const row = report.breakdown[0];
    const equivalent = report.equivalents[0];
    if (row === undefined || equivalent === undefined) throw new Error("no row or equivalent");
    const changed: EstimateReport = {
      ...report,
      breakdown: [{ ...row, source: { ...row.source, title: "another title" } }],
      equivalents: [
        { ...equivalent, description: "another description" },
        { ...equivalent, source: { ...equivalent.source, year: 1999 } },
      ],
    };
    expect(estimateReportJson(changed)).toBe(JSON.stringify(changed));
    const otherMethod: EstimateReport = {
      ...report,
      breakdown: [{ ...row, source: { ...row.source, method: "another method", note: "n" } }],
    };
    expect(estimateReportJson(otherMethod)).toBe(JSON.stringify(otherMethod));
    // And back: the first report's own text, not the last one written for its ids.
    expect(estimateReportJson(report)).toBe(JSON.stringify(report));
  });

  it("stops caching at its bound, counts the writes it could not cache, and still writes them right", async () => {
    const report = await reportFor({ hardware: [{ watts: 100 }], duration: "1h" });
    const before = estimateReportJsonIntrospect();
    const extra = before.maxEntries - before.sourceIds + 3;
    for (let i = 0; i < extra; i++) {
      const own: EstimateReport = {
        ...report,
        pue: { ...report.pue, source: { ...report.pue.source, id: `own-${i}` } },
      };
      expect(estimateReportJson(own)).toBe(JSON.stringify(own));
    }
    const after = estimateReportJsonIntrospect();
    expect(after.sourceIds).toBe(after.maxEntries);
    expect(after.uncachedWrites - before.uncachedWrites).toBe(3);
  });
});
