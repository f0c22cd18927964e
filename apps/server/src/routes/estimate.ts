import {
  type EstimateReport,
  estimateParsedFootprint,
  estimateReportJson,
  estimateReportSchema,
  footprintRequestSchema,
} from "@wattprint/core";
import type { RouteContext, TypedApp } from "../app-types.ts";
import { PROBLEM_RESPONSES } from "../http/common-responses.ts";
import { ProblemError, problemSchema } from "../http/problem.ts";

const estimateRequest = footprintRequestSchema.meta({ id: "EstimateRequest" });
const estimateReport = estimateReportSchema.meta({ id: "EstimateReport" });

/** A zone label for the metric: the embedded tables' zones, or "override" for a typed value. */
function zoneLabel(level: string | undefined, zone: string): string {
  return level === "override" ? "override" : zone;
}

/**
 * `POST /v1/estimate`: the same request as `wattprint estimate` and the same document as its
 * `--json` (core's `estimateFootprint` and `estimateReportSchema`); nothing is computed here.
 */
export function estimateRoutes(app: TypedApp, { metrics }: RouteContext): void {
  app.post(
    "/v1/estimate",
    {
      // The core builds the report by its schema's type (and its tests hold every report to
      // the schema); encoding it through the schema again would cost a third of the route's
      // time (the bench in the README) for no new guarantee. The report is written by the
      // core's estimateReportJson (JSON.stringify's bytes, its sources' text kept between
      // reports); problems by JSON.stringify.
      serializerCompiler: ({ httpStatus }) =>
        httpStatus === "200"
          ? (data) => estimateReportJson(data as EstimateReport)
          : (data) => JSON.stringify(data),
      schema: {
        summary: "Estimate energy and carbon from hardware, work and location",
        tags: ["estimate"],
        body: estimateRequest,
        response: {
          200: estimateReport,
          ...PROBLEM_RESPONSES,
          422: problemSchema.describe("Unknown or ambiguous hardware or location, or overflow"),
        },
      },
    },
    async (request) => {
      // The body was parsed against footprintRequestSchema by the route's validation.
      const result = await estimateParsedFootprint(request.body);
      if (!result.ok) {
        const error = result.error;
        switch (error.kind) {
          case "invalid-request":
            throw new ProblemError("invalid-request", error.message, { field: error.field });
          case "out-of-range":
            throw new ProblemError("out-of-range", error.message);
          default:
            throw new ProblemError(error.kind, error.message, {
              field: error.field,
              query: error.query,
              suggestions: error.suggestions,
            });
        }
      }
      const { intensity } = result.value;
      metrics.estimates.inc({ zone: zoneLabel(intensity.level, intensity.zone) });
      return result.value;
    },
  );
}
