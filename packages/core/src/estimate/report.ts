import { z } from "zod";
import { equivalents } from "../equivalents.ts";
import { convertDuration } from "../units/quantity.ts";
import type { Estimate } from "./estimate.ts";
import { dataYearOf } from "./estimate-input.ts";
import { sourceOf, sourceSchema } from "./source.ts";

/**
 * The JSON document every app prints or serves for an estimate. Apps validate what they emit
 * against this schema, so the CLI's `--json`, the HTTP API and the docs cannot drift apart.
 */
const quantity = <U extends string>(unit: U) =>
  z.object({ value: z.number(), unit: z.literal(unit) }).strict();

export const estimateReportSchema = z
  .object({
    schema: z.literal("wattprint.estimate/v1"),
    energy: quantity("kWh"),
    itEnergy: quantity("kWh"),
    carbon: quantity("gCO2eq"),
    intensity: z
      .object({
        value: z.number().nonnegative(),
        unit: z.literal("gCO2eq/kWh"),
        zone: z.string(),
        zoneName: z.string().optional(),
        level: z.string().optional(),
        year: z.number().int().optional(),
        source: sourceSchema,
      })
      .strict(),
    pue: z.object({ value: z.number().min(1), source: sourceSchema }).strict(),
    work: z.union([
      z.object({ kind: z.literal("duration"), duration: quantity("s") }).strict(),
      z
        .object({
          kind: z.literal("inferences"),
          latency: quantity("s"),
          count: z.number().int().nonnegative(),
        })
        .strict(),
    ]),
    breakdown: z.array(
      z
        .object({
          name: z.string(),
          kind: z.string(),
          count: z.number().int().positive(),
          power: quantity("W"),
          energy: quantity("kWh"),
          carbon: quantity("gCO2eq"),
          source: sourceSchema,
        })
        .strict(),
    ),
    equivalents: z.array(
      z
        .object({
          id: z.string(),
          value: z.number(),
          unit: z.string(),
          description: z.string(),
          basis: z.string(),
          source: z.object({
            id: z.string(),
            title: z.string(),
            url: z.string(),
            year: z.number(),
          }),
        })
        .strict(),
    ),
    formula: z.string(),
    /** Present when an estimate of accelerators does not count its host's CPUs or memory. */
    leftOut: z
      .object({
        parts: z.array(z.enum(["host-cpus", "host-memory"])).min(1),
        message: z.string().min(1),
      })
      .strict()
      .optional(),
  })
  .strict();

export type EstimateReport = z.infer<typeof estimateReportSchema>;

/** A quantity as the report writes it: its value and unit, nothing a caller added. */
function quantityOf<U extends string>(quantity: {
  readonly value: number;
  readonly unit: U;
}): { value: number; unit: U } {
  return { value: quantity.value, unit: quantity.unit };
}

/**
 * The report of an estimate, built field by field so that it holds exactly what
 * `estimateReportSchema` allows. It is not parsed against the schema here: that parse was a
 * third of the HTTP estimate's cost, and the schema's tests hold every report the estimate
 * tests build to it (report.test.ts).
 */
export function toEstimateReport(result: Estimate): EstimateReport {
  const { intensity, work } = result;
  const year = dataYearOf(intensity);
  const report: EstimateReport = {
    schema: "wattprint.estimate/v1",
    energy: quantityOf(result.energy),
    itEnergy: quantityOf(result.itEnergy),
    carbon: quantityOf(result.carbon),
    intensity: {
      value: intensity.intensity.value,
      unit: intensity.intensity.unit,
      zone: intensity.zone,
      ...(intensity.zoneName !== undefined ? { zoneName: intensity.zoneName } : {}),
      ...(intensity.level !== undefined ? { level: intensity.level } : {}),
      ...(year !== undefined ? { year } : {}),
      source: sourceOf(intensity.provenance),
    },
    pue: { value: result.pue.value, source: sourceOf(result.pue.provenance) },
    work:
      work.kind === "duration"
        ? { kind: "duration", duration: quantityOf(result.duration) }
        : {
            kind: "inferences",
            latency: quantityOf(convertDuration(work.latency, "s")),
            count: work.count,
          },
    breakdown: result.breakdown.map((row) => ({
      name: row.name,
      kind: row.kind,
      count: row.count,
      power: quantityOf(row.power),
      energy: quantityOf(row.energy),
      carbon: quantityOf(row.carbon),
      source: sourceOf(row.provenance),
    })),
    equivalents: equivalents(result.carbon, result.energy).map((equivalent) => ({
      id: equivalent.id,
      value: equivalent.value,
      unit: equivalent.unit,
      description: equivalent.description,
      basis: equivalent.basis,
      source: {
        id: equivalent.source.id,
        title: equivalent.source.title,
        url: equivalent.source.url,
        year: equivalent.source.year,
      },
    })),
    formula: result.formula,
  };
  if (result.leftOut !== undefined) {
    report.leftOut = { parts: [...result.leftOut.parts], message: result.leftOut.message };
  }
  return report;
}
