import { describe, expect, it } from "vitest";
import { estimateFootprint, type FootprintRequest } from "./footprint.ts";
import { estimateReportSchema } from "./report.ts";

/**
 * `toEstimateReport` builds the document by type and no longer parses it: these requests
 * reach every optional member (zone name and level, inferences, left-out parts, a cloud
 * region's note, typed watts and utilisation), and each report must be exactly what the
 * schema lets through: a parse that throws, strips a key or reorders one fails here.
 */
const REQUESTS: readonly FootprintRequest[] = [
  { hardware: [{ name: "NVIDIA A100 SXM4 40GB", count: 8 }], duration: "12h", location: "ES" },
  { hardware: [{ watts: 350, utilisation: 0.5 }], latency: "20ms", count: 1000, location: "FR" },
  { hardware: [{ name: "H100 SXM" }], memoryGB: 64, duration: "90m", intensityGPerKWh: 120 },
  { machine: "dgx-h100", machines: 2, duration: "1h", location: "US-CAL-CISO", pue: 1.2 },
  { cloud: "aws", instance: "p5.48xlarge", region: "us-east-1", duration: "3h" },
  { hardware: [{ watts: 0 }], duration: "1s", location: "DE", year: 2022 },
];

describe("the estimate report", () => {
  for (const request of REQUESTS) {
    it(`is a fixed point of its schema: ${JSON.stringify(request)}`, async () => {
      const result = await estimateFootprint(request);
      if (!result.ok) throw new Error(result.error.message);
      const report = result.value;
      const parsed = estimateReportSchema.parse(report);
      expect(parsed).toEqual(report);
      expect(JSON.stringify(parsed)).toBe(JSON.stringify(report));
    });
  }

  it("covers the optional members the requests above are chosen for", async () => {
    const reports = [];
    for (const request of REQUESTS) {
      const result = await estimateFootprint(request);
      if (result.ok) reports.push(result.value);
    }
    expect(reports).toHaveLength(REQUESTS.length);
    expect(reports.some((r) => r.leftOut !== undefined)).toBe(true);
    expect(reports.some((r) => r.work.kind === "inferences")).toBe(true);
    expect(reports.some((r) => r.intensity.level === "override")).toBe(true);
    expect(reports.some((r) => r.intensity.zoneName !== undefined)).toBe(true);
    expect(reports.some((r) => r.intensity.source.note !== undefined)).toBe(true);
    expect(reports.some((r) => r.breakdown.some((row) => row.kind === "facility"))).toBe(true);
  });
});
