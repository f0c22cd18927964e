import { convertEnergy, kilowattHours } from "@wattprint/core";
import {
  MAX_RUN_TAGS,
  runProjectSchema,
  runTagSchema,
  trackerResultSchema,
} from "@wattprint/tracker";
import { z } from "zod";
import { queryLimit } from "./query-limit.ts";

/**
 * The tracker's result as `POST /v1/runs` takes it: `@wattprint/tracker`'s own schema. The
 * tracker writes it with `zod/mini`, which has no `.meta()`: this is what classic's
 * `.meta({ id })` does, a clone registered in zod's global registry under that id.
 */
export const runResultSchema = trackerResultSchema
  .clone()
  .register(z.globalRegistry, { id: "TrackerResult" });

// The project and tag rules are the tracker's (`reportTo` sends what this route takes), which
// refuse "." and ".." as project names: path segments, normalised into another route.
const projectName = runProjectSchema;
/** A project named in a path (`/v1/projects/{name}/summary`): the same rules as a stored one. */
export const runProjectNameSchema = runProjectSchema;

/**
 * The fractional digits a run's timestamps may carry. The store keeps microseconds but the
 * cursor (a JavaScript Date) only milliseconds, so runs apart by less were skipped when
 * paging, and 9999-12-31T23:59:59.9999999Z was rounded into the year 10000. Refused rather than
 * rounded: the stored result must be the one sent, and the tracker writes milliseconds.
 */
const MAX_FRACTION_DIGITS = 3;
const FRACTION = /\.(\d+)/;

/** The years a timestamp of the store may fall in: PostgreSQL takes no year 0 and no 10000. */
const FIRST_YEAR = 1;
const LAST_YEAR = 9999;
/** What a query's instant must be, for the OpenAPI document (its pattern says less). */
const INSTANT_RULE = `ISO 8601 with an offset, at most ${MAX_FRACTION_DIGITS} fractional digits, years ${String(FIRST_YEAR).padStart(4, "0")} to ${LAST_YEAR}`;

/**
 * An ISO 8601 instant the store can compare with (years 1 to 9999 once its offset is
 * applied: "9999-12-31T23:59:59-23:59" is in the year 10000). Outside them PostgreSQL refused
 * the query, which read as the store being down.
 */
export function storableInstant(offset = true) {
  return z.iso
    .datetime({ offset })
    .refine(inStoreYears, {
      message: `must fall in the years ${FIRST_YEAR} to ${LAST_YEAR} (UTC)`,
    })
    .refine(withinMilliseconds, {
      message: `must have at most ${MAX_FRACTION_DIGITS} fractional digits (milliseconds): the store compares by the millisecond`,
    });
}

/**
 * Whether an instant has at most MAX_FRACTION_DIGITS fractional digits. A JavaScript Date
 * keeps milliseconds, so `since=...00.0009Z` became `...00.000Z` and the range took runs
 * before the edge it was given: refused, as a run's own timestamps are.
 */
function withinMilliseconds(text: string): boolean {
  return (FRACTION.exec(text)?.[1]?.length ?? 0) <= MAX_FRACTION_DIGITS;
}

/** Whether an ISO 8601 instant falls in the years the store keeps, its offset applied. */
function inStoreYears(text: string): boolean {
  const year = new Date(text).getUTCFullYear();
  return year >= FIRST_YEAR && year <= LAST_YEAR;
}
const tag = runTagSchema;
export const MAX_TAGS = MAX_RUN_TAGS;

/**
 * The largest figures a stored run may hold. The project totals and the summary add them up
 * in SQL (`sum(float8)`), and two runs of 1e308 overflowed it: the query failed, and every
 * client's project list answered 503. These bounds are far above any real run (a terawatt-hour,
 * a million tonnes of CO2 a million times over, three centuries) yet leave room for 1e290 runs
 * to be added before the sum could overflow.
 */
export const MAX_RUN_FIGURES = {
  "energy.totalKWh": 1e12,
  co2G: 1e18,
  durationS: 1e10,
} as const;

/**
 * An unpaired UTF-16 surrogate (with the `u` flag a class of surrogates matches only lone
 * ones). PostgreSQL's jsonb refuses it, a 503 as if the store were down. (Project and tag
 * names refuse it in the tracker's own schemas, which this route takes.)
 */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

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
      if (!withinMilliseconds(run.result[field])) {
        context.addIssue({
          code: "custom",
          path: ["result", field],
          message: `must have at most ${MAX_FRACTION_DIGITS} fractional digits (milliseconds): the store pages runs by the millisecond`,
        });
      }
    }
    const figures = {
      "energy.totalKWh": run.result.energy.totalKWh,
      co2G: run.result.co2G,
      durationS: run.result.durationS,
    };
    for (const [field, limit] of Object.entries(MAX_RUN_FIGURES)) {
      const value = figures[field as keyof typeof figures];
      if (value > limit) {
        context.addIssue({
          code: "custom",
          path: ["result", ...field.split(".")],
          message: `must be at most ${limit}: the store adds runs' figures up, and larger ones overflow the sum`,
        });
      }
    }
    // A run that contradicts itself would be summed and charted as if it were true.
    if (Date.parse(run.result.endedAt) < Date.parse(run.result.startedAt)) {
      context.addIssue({
        code: "custom",
        path: ["result", "endedAt"],
        message: "must not be before startedAt",
      });
    }
    const energy = run.result.energy;
    for (const [joules, kWh] of [
      ["itJ", "itKWh"],
      ["totalJ", "totalKWh"],
    ] as const) {
      if (!sameEnergy(energy[joules], energy[kWh])) {
        context.addIssue({
          code: "custom",
          path: ["result", "energy", joules],
          message: `must be ${kWh} × 3,600,000 (${energy[kWh]} kWh is ${joulesOf(energy[kWh])} J, not ${energy[joules]})`,
        });
      }
    }
    run.tags.forEach((tag, i) => {
      if (run.tags.indexOf(tag) !== i) {
        context.addIssue({ code: "custom", path: ["tags", i], message: `"${tag}" is given twice` });
      }
    });
    const path = unstorablePath(run.result);
    if (path !== undefined) {
      context.addIssue({
        code: "custom",
        path: ["result", ...path],
        message:
          "must not contain the NUL character (U+0000) or an unpaired UTF-16 surrogate: PostgreSQL's JSON cannot store them",
      });
    }
  })
  .meta({ id: "NewRun" });

/** `kWh` in joules, by the core's unit table. */
const joulesOf = (kWh: number): number => convertEnergy(kilowattHours(kWh), "J").value;

/**
 * Joules and kilowatt-hours of the same energy, to within the rounding of one division (the
 * tracker writes kWh as J / 3.6e6).
 */
function sameEnergy(joules: number, kWh: number): boolean {
  const fromKWh = joulesOf(kWh);
  return Math.abs(joules - fromKWh) <= 1e-9 * Math.max(Math.abs(joules), Math.abs(fromKWh));
}

/** Whether PostgreSQL's jsonb can keep `text`: no U+0000, no unpaired surrogate. */
const unstorable = (text: string): boolean => text.includes("\u0000") || LONE_SURROGATE.test(text);

/**
 * Where the first string (or key) jsonb cannot keep is in `value`, if one is. PostgreSQL's
 * jsonb refuses U+0000 and unpaired surrogates, PGlite's too, and a run holding one failed to
 * store as if the database were down (a 503). The walk is bounded by the tracker result's
 * schema, which has parsed `value` before this runs.
 */
function unstorablePath(value: unknown): (string | number)[] | undefined {
  // The path is built on the way back from a find, not copied at every step of the walk.
  if (typeof value === "string") return unstorable(value) ? [] : undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = unstorablePath(value[i]);
      if (found !== undefined) return [i, ...found];
    }
    return undefined;
  }
  if (value !== null && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      if (unstorable(key)) return [key];
      const found = unstorablePath(item);
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
    since: storableInstant().optional().describe(`Runs started at or after (${INSTANT_RULE})`),
    until: storableInstant().optional().describe(`Runs started before (${INSTANT_RULE})`),
    tag: z
      .union([tag, z.array(tag).max(MAX_TAGS)])
      .optional()
      .describe("Repeat for runs carrying every tag"),
    limit: queryLimit(500, 50),
    cursor: z.string().max(200).optional().describe("`next` of the previous page"),
  })
  .strict();

export const summaryQuerySchema = z
  .object({
    group: z.enum(["day", "week", "month"]).default("day"),
    since: storableInstant().optional().describe(`Runs started at or after (${INSTANT_RULE})`),
    until: storableInstant().optional().describe(`Runs started before (${INSTANT_RULE})`),
  })
  .strict();
