import { bench, describe } from "vitest";
import { estimateFootprint } from "../src/estimate/footprint.ts";
import { estimateReportJson } from "../src/estimate/report-json.ts";

// The HTTP bench's request: eight A100s for 12 h in Spain, a 3.8 kB report.
const result = await estimateFootprint({
  hardware: [{ name: "NVIDIA A100 SXM4 40GB", count: 8 }],
  duration: "12h",
  location: "ES",
});
if (!result.ok) throw new Error(result.error.message);
const report = result.value;

describe("an estimate report as JSON", () => {
  bench("JSON.stringify", () => {
    JSON.stringify(report);
  });
  bench("estimateReportJson", () => {
    estimateReportJson(report);
  });
  // What an HTTP response does with it: count its bytes, which joins a string built from
  // parts into one piece.
  bench("JSON.stringify, then its byte count", () => {
    Buffer.byteLength(JSON.stringify(report));
  });
  bench("estimateReportJson, then its byte count", () => {
    Buffer.byteLength(estimateReportJson(report));
  });
});
