import {
  MAX_RUN_TAGS,
  runProjectSchema,
  runTagSchema,
  trackerResultSchema,
} from "@wattprint/tracker";
import { z } from "zod";

/**
 * The tracker's result as `POST /v1/runs` takes it: `@wattprint/tracker`'s own schema. The
 * tracker writes it with `zod/mini`, which has no `.meta()`: this is what classic's
 * `.meta({ id })` does, a clone registered in zod's global registry under that id.
 */
export const runResultSchema = trackerResultSchema
  .clone()
  .register(z.globalRegistry, { id: "TrackerResult" });

// The project and tag rules are the tracker's (`reportTo` sends what this route takes).
const projectName = runProjectSchema;
/** A project named in a path (`/v1/projects/{name}/summary`): the same rules as a stored one. */
export const runProjectNameSchema = runProjectSchema;

/** The years a timestamp of the store may fall in: PostgreSQL takes no year 0 and no 10000. */
const FIRST_YEAR = 1;
const LAST_YEAR = 9999;

/**
 * An ISO 8601 instant the store can compare with (years 1 to 9999 once its offset is
 * applied: "9999-12-31T23:59:59-23:59" is in the year 10000). Outside them PostgreSQL refused
 * the query, which read as the store being down.
 */
export function storableInstant(offset = true) {
  return z.iso.datetime({ offset }).refine(inStoreYears, {
    message: `must fall in the years ${FIRST_YEAR} to ${LAST_YEAR} (UTC)`,
  });
}

/** Whether an ISO 8601 instant falls in the years the store keeps, its offset applied. */
function inStoreYears(text: string): boolean {
  const year = new Date(text).getUTCFullYear();
  return year >= FIRST_YEAR && year <= LAST_YEAR;
}
const tag = runTagSchema;
export const MAX_TAGS = MAX_RUN_TAGS;

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
  .superRefine((run, context) => {
    for (const field of ["startedAt", "endedAt"] as const) {
      if (!inStoreYears(run.result[field])) {
        context.addIssue({
          code: "custom",
          path: ["result", field],
          message: `must fall in the years ${FIRST_YEAR} to ${LAST_YEAR} (UTC): the store keeps no other`,
        });
      }
    }
    const path = nulPath(run.result);
    if (path !== undefined) {
      context.addIssue({
        code: "custom",
        path: ["result", ...path],
        message: "must not contain the NUL character (U+0000): PostgreSQL's JSON cannot store it",
      });
    }
  })
  .meta({ id: "NewRun" });

/**
 * Where the first string (or key) holding U+0000 is in `value`, if one does. PostgreSQL's
 * jsonb refuses the character, PGlite's too, and a run holding it failed to store as if the
 * database were down (a 503). The walk is bounded by the tracker result's schema, which has
 * parsed `value` before this runs.
 */
function nulPath(value: unknown): (string | number)[] | undefined {
  // The path is built on the way back from a find, not copied at every step of the walk.
  if (typeof value === "string") return value.includes("\u0000") ? [] : undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = nulPath(value[i]);
      if (found !== undefined) return [i, ...found];
    }
    return undefined;
  }
  if (value !== null && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      if (key.includes("\u0000")) return [key];
      const found = nulPath(item);
      if (found !== undefined) return [key, ...found];
    }
  }
  return undefined;
}

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
    project: z.optional(projectName),
    since: storableInstant().optional().describe("Runs started at or after"),
    until: storableInstant().optional().describe("Runs started before"),
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
    since: storableInstant().optional(),
    until: storableInstant().optional(),
  })
  .strict();
