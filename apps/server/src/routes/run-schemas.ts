import { trackerResultSchema } from "@wattprint/tracker";
import { z } from "zod";

/** The tracker's result as `POST /v1/runs` takes it: `@wattprint/tracker`'s own schema. */
export const runResultSchema = trackerResultSchema.meta({ id: "TrackerResult" });

const projectName = z
  .string()
  .trim()
  .min(1, "project must not be empty")
  .max(200)
  .regex(/^[^\p{Cc}]+$/u, "project must not hold control characters");

const tag = z
  .string()
  .trim()
  .min(1, "a tag must not be empty")
  .max(100)
  .regex(/^[^\p{Cc},]+$/u, "a tag must not hold commas or control characters");

/** Tags a run carries at most. */
export const MAX_TAGS = 32;

export const newRunSchema = z
  .object({
    id: z
      .uuid()
      .optional()
      .describe("Client-chosen; a retried report with the same id is stored once"),
    project: projectName,
    tags: z.array(tag).max(MAX_TAGS).default([]),
    result: runResultSchema,
  })
  .strict()
  .meta({ id: "NewRun" });

export const runSummarySchema = z
  .object({
    id: z.string(),
    project: z.string(),
    tags: z.array(z.string()),
    kind: z.string(),
    status: z.string(),
    startedAt: z.string(),
    endedAt: z.string(),
    durationS: z.number(),
    energyKWh: z.number().describe("PUE included, as the tracker's energy.totalKWh"),
    co2G: z.number(),
    zone: z.string(),
    receivedAt: z.string(),
  })
  .meta({ id: "RunSummary" });

export const storedRunSchema = runSummarySchema
  .extend({ result: z.unknown() })
  .meta({ id: "StoredRun" });

export const runListQuerySchema = z
  .object({
    project: projectName.optional(),
    since: z.iso.datetime({ offset: true }).optional().describe("Runs started at or after"),
    until: z.iso.datetime({ offset: true }).optional().describe("Runs started before"),
    tag: z
      .union([tag, z.array(tag).max(MAX_TAGS)])
      .optional()
      .describe("Repeat for runs carrying every tag"),
    limit: z.coerce.number().int().min(1).max(500).default(50),
    cursor: z.string().max(200).optional().describe("`next` of the previous page"),
  })
  .strict();

export const summaryQuerySchema = z
  .object({
    group: z.enum(["day", "week", "month"]).default("day"),
    since: z.iso.datetime({ offset: true }).optional(),
    until: z.iso.datetime({ offset: true }).optional(),
  })
  .strict();
