import type { Result } from "@wattprint/result";
import { z } from "zod";
import type { RouteContext, TypedApp } from "../app-types.ts";
import { PROBLEM_RESPONSES } from "../http/common-responses.ts";
import { refuseDeepJson } from "../http/json-depth.ts";
import { ProblemError, problemSchema } from "../http/problem.ts";
import {
  MAX_PROJECTS,
  MAX_SUMMARY_PERIODS,
  type RunCursor,
  type StoreError,
} from "../store/run-store.ts";
import {
  newRunSchema,
  runListQuerySchema,
  runProjectNameSchema,
  runSummarySchema,
  storableInstant,
  storedRunSchema,
  summaryQuerySchema,
} from "./run-schemas.ts";

/** The store's value, or the 503 problem its failure is. */
function stored<T>(result: Result<T, StoreError>): T {
  if (!result.ok) {
    throw new ProblemError("store-unavailable", result.error.message, {}, result.error.cause);
  }
  return result.value;
}

/**
 * A run id as PostgreSQL's uuid type holds it: any hex 8-4-4-4-12, whatever its version and
 * variant bits. z.uuid() takes only RFC 9562's, so an id an operator's SQL or another writer
 * stored (00000000-0000-0000-0000-000000000002) could be listed but not read, and the cursor
 * this server gave after it was refused.
 */
const runId = z.guid();

const cursorSchema = z.object({ startedAt: storableInstant(false), id: runId }).strict();

export function encodeCursor(cursor: RunCursor): string {
  return Buffer.from(JSON.stringify(cursor), "utf8").toString("base64url");
}

function decodeCursor(text: string): RunCursor {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(text, "base64url").toString("utf8"));
  } catch {
    json = undefined;
  }
  const parsed = cursorSchema.safeParse(json);
  if (!parsed.success) {
    throw new ProblemError("invalid-request", "cursor: not a cursor this server gave", {
      field: "cursor",
    });
  }
  return parsed.data;
}

function range(
  since: string | undefined,
  until: string | undefined,
): { since?: Date; until?: Date } {
  const from = since === undefined ? undefined : new Date(since);
  const to = until === undefined ? undefined : new Date(until);
  if (from !== undefined && to !== undefined && from >= to) {
    throw new ProblemError("invalid-request", "until: must be after since", { field: "until" });
  }
  return { ...(from ? { since: from } : {}), ...(to ? { until: to } : {}) };
}

/** The run store over HTTP: report a run, list and read runs, summarise a project. */
export function runRoutes(app: TypedApp, { store, metrics }: RouteContext): void {
  app.post(
    "/v1/runs",
    {
      preValidation: refuseDeepJson,
      schema: {
        summary: "Store a tracked run (the tracker's result, a project and tags)",
        tags: ["runs"],
        body: newRunSchema,
        response: {
          201: storedRunSchema.describe("Stored"),
          200: storedRunSchema.describe(
            "This run was stored before under its id (a retry); the stored one",
          ),
          ...PROBLEM_RESPONSES,
          409: problemSchema.describe(
            "A run with this id was stored before with another project, tags or result (run-id-conflict)",
          ),
          503: problemSchema.describe("The run store cannot be reached"),
        },
      },
    },
    async (request, reply) => {
      const inserted = await store.insert(request.body);
      if (!inserted.ok) {
        const { error } = inserted;
        if (error.kind === "run-id-conflict") {
          throw new ProblemError("run-id-conflict", error.message, { field: "id" });
        }
        throw new ProblemError("store-unavailable", error.message, {}, error.cause);
      }
      const { run, created } = inserted.value;
      if (created) metrics.runsStored.inc();
      return reply.code(created ? 201 : 200).send(run);
    },
  );
  app.get(
    "/v1/runs",
    {
      schema: {
        summary: "List runs, newest first, a page at a time",
        tags: ["runs"],
        querystring: runListQuerySchema,
        response: {
          200: z.object({
            runs: z.array(runSummarySchema),
            next: z
              .string()
              .optional()
              .describe("Pass as cursor for the next page; absent on the last"),
          }),
          ...PROBLEM_RESPONSES,
          503: problemSchema,
        },
      },
    },
    async (request) => {
      const query = request.query;
      const tags =
        query.tag === undefined ? [] : typeof query.tag === "string" ? [query.tag] : query.tag;
      const { runs, next } = stored(
        await store.list({
          ...(query.project !== undefined ? { project: query.project } : {}),
          ...range(query.since, query.until),
          tags,
          limit: query.limit,
          ...(query.cursor !== undefined ? { cursor: decodeCursor(query.cursor) } : {}),
        }),
      );
      return { runs, ...(next !== undefined ? { next: encodeCursor(next) } : {}) };
    },
  );
  app.get(
    "/v1/runs/:id",
    {
      schema: {
        summary: "One run with the tracker's whole result",
        tags: ["runs"],
        params: z.object({ id: runId }),
        response: {
          200: storedRunSchema,
          ...PROBLEM_RESPONSES,
          404: problemSchema,
          503: problemSchema,
        },
      },
    },
    async (request) => {
      const run = stored(await store.get(request.params.id));
      if (run === undefined) {
        throw new ProblemError("run-not-found", `no run ${request.params.id}`, { field: "id" });
      }
      return run;
    },
  );
  app.get(
    "/v1/projects",
    {
      schema: {
        summary: `Projects with their totals (at most ${MAX_PROJECTS})`,
        tags: ["runs"],
        response: {
          200: z.object({
            projects: z.array(
              z.object({
                project: z.string(),
                runs: z.number().int(),
                energyKWh: z.number(),
                co2G: z.number(),
                lastStartedAt: z.string(),
              }),
            ),
            truncated: z
              .boolean()
              .describe(`True when there are more than ${MAX_PROJECTS} projects`),
          }),
          ...PROBLEM_RESPONSES,
          503: problemSchema,
        },
      },
    },
    async () => stored(await store.projects()),
  );
  app.get(
    "/v1/projects/:name/summary",
    {
      schema: {
        summary: `Energy and CO2 of a project's runs by day, week or month (UTC; the newest ${MAX_SUMMARY_PERIODS} periods at most, oldest first)`,
        tags: ["runs"],
        params: z.object({ name: runProjectNameSchema }),
        querystring: summaryQuerySchema,
        response: {
          200: z.object({
            project: z.string(),
            group: z.enum(["day", "week", "month"]),
            periods: z.array(
              z.object({
                start: z.string(),
                runs: z.number().int(),
                energyKWh: z.number(),
                co2G: z.number(),
                durationS: z.number(),
              }),
            ),
            truncated: z
              .boolean()
              .describe(
                `True when more than ${MAX_SUMMARY_PERIODS} periods matched: the older ones are left out (narrow the range with until to see them)`,
              ),
          }),
          ...PROBLEM_RESPONSES,
          503: problemSchema,
        },
      },
    },
    async (request) => {
      const { group, since, until } = request.query;
      const { periods, truncated } = stored(
        await store.summary(request.params.name, group, range(since, until)),
      );
      return { project: request.params.name, group, periods, truncated };
    },
  );
}
