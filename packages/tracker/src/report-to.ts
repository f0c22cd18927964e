import { cutText } from "@wattprint/core";
import { readCappedText } from "@wattprint/core/live";
import * as z from "@wattprint/core/zod";
import { err, type Failure, failure, ok, type Result } from "@wattprint/result";
import { type TrackerResult, trackerResultSchema } from "./result.ts";

/**
 * Posts a tracker result to a wattprint server (`POST /v1/runs`). One run id is chosen before
 * the first attempt and sent with every retry, so the server stores the run once however
 * often the answer is lost (first write wins; a retry is answered 200 with the stored run).
 */

/**
 * Retries after the first attempt, by default; the n-th waits `backoffMs * 2^(n-1)`, or what
 * the server's `Retry-After` asks when that is longer, never more than `MAX_REPORT_WAIT_MS`.
 */
export const DEFAULT_REPORT_RETRIES = 3;
export const DEFAULT_REPORT_BACKOFF_MS = 500;
/** Per attempt: a server that accepts the connection and never answers must not hang a run. */
export const DEFAULT_REPORT_TIMEOUT_MS = 10_000;
/** The bounds of the options. */
export const MAX_REPORT_RETRIES = 10;
export const MAX_REPORT_BACKOFF_MS = 60_000;
/**
 * The longest one wait between attempts, whatever `backoffMs * 2^n` or `Retry-After` says:
 * without it 10 retries doubling from 60 s would wait 17 hours.
 */
export const MAX_REPORT_WAIT_MS = 60_000;
/**
 * The longest a report takes in all, attempts and waits together (a later attempt's timeout is
 * cut to what is left): `stop()` awaits the report, and must not wait for hours whatever the
 * options or the server say. No attempt starts once a wait would end past it.
 */
export const MAX_REPORT_TOTAL_MS = 300_000;
/** The environment variable the CLI reads the server's API key from. */
export const REPORT_API_KEY_ENV = "WATTPRINT_API_KEY";

/**
 * An unpaired UTF-16 surrogate (with the `u` flag a class of surrogates matches only lone
 * ones). PostgreSQL's text columns turn it into U+FFFD, so a project or tag holding one was
 * stored under another name; refused where the name is first checked, by the tracker.
 */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/** A run's project name, as the tracker sends it and the server's `POST /v1/runs` takes it. */
export const runProjectSchema = z.string({ error: "project must be a string" }).check(
  z.trim(),
  z.minLength(1, "project must not be empty"),
  z.maxLength(200, "project must be at most 200 characters"),
  z.regex(/^[^\p{Cc}]+$/u, "project must not hold control characters"),
  z.refine((name) => !LONE_SURROGATE.test(name), "project must not hold an unpaired surrogate"),
  // `.` and `..` are path segments, not names: a URL for the project's summary
  // (`/v1/projects/../summary`) is normalised into another route, so the server refuses them.
  // Refused here too, when the tracker is made, not after the job has run.
  z.refine(
    (name) => name !== "." && name !== "..",
    'project must not be "." or "..": they are path segments in a project\'s URL',
  ),
);

/** One of a run's tags (no commas: `GET /v1/runs?tag=` filters by one). */
export const runTagSchema = z.string({ error: "a tag must be a string" }).check(
  z.trim(),
  z.minLength(1, "a tag must not be empty"),
  z.maxLength(100, "a tag must be at most 100 characters"),
  z.regex(/^[^\p{Cc},]+$/u, "a tag must not hold commas or control characters"),
  z.refine((tag) => !LONE_SURROGATE.test(tag), "a tag must not hold an unpaired surrogate"),
);

/** Tags a run carries at most. */
export const MAX_RUN_TAGS = 32;

/**
 * A run's tags: at most MAX_RUN_TAGS, each once after trimming (`gpu` and ` gpu` are one tag,
 * which the server refuses to store twice).
 */
export const runTagsSchema = z.array(runTagSchema).check(
  z.maxLength(MAX_RUN_TAGS, `at most ${MAX_RUN_TAGS} tags`),
  z.superRefine((tags, context) => {
    tags.forEach((tag, i) => {
      if (tags.indexOf(tag) !== i) {
        context.issues.push({
          code: "custom",
          input: tags,
          path: [i],
          message: `tag "${tag}" is given twice`,
        });
      }
    });
  }),
);

/** The body `POST /v1/runs` takes, as the tracker sends it (the server checks it again). */
export const reportBodySchema = z.strictObject({
  id: z.uuid(),
  project: runProjectSchema,
  tags: runTagsSchema,
  result: trackerResultSchema,
});
export type ReportBody = z.infer<typeof reportBodySchema>;

const httpUrl = z.string({ error: "url must be an http(s) URL" }).check(
  z.url("url must be an http(s) URL"),
  z.refine((u) => /^https?:\/\//i.test(u), "url must be an http(s) URL"),
);

/** The tracker's `reportTo` option. */
export const reportToOptionsSchema = z.strictObject({
  /** The server's base URL (`http://host:8080`); `/v1/runs` is added. */
  url: httpUrl,
  project: runProjectSchema,
  tags: z._default(runTagsSchema, []),
  /** Sent as `Authorization: Bearer <key>`. */
  apiKey: z.optional(z.string().check(z.minLength(1, "apiKey must not be empty"))),
  /**
   * Retries after the first attempt (0 to 10), while `MAX_REPORT_TOTAL_MS` (5 minutes, the
   * whole report) lasts.
   */
  retries: z._default(
    z
      .number()
      .check(
        z.int(),
        z.gte(0),
        z.lte(MAX_REPORT_RETRIES, `retries must be from 0 to ${MAX_REPORT_RETRIES}`),
      ),
    DEFAULT_REPORT_RETRIES,
  ),
  /**
   * The first wait, doubled for each later one (0 to 60 000); a longer `Retry-After` is
   * honoured instead, and no wait is longer than `MAX_REPORT_WAIT_MS` (60 s).
   */
  backoffMs: z._default(
    z
      .number()
      .check(
        z.gte(0),
        z.lte(MAX_REPORT_BACKOFF_MS, `backoffMs must be from 0 to ${MAX_REPORT_BACKOFF_MS}`),
      ),
    DEFAULT_REPORT_BACKOFF_MS,
  ),
  /** Per attempt, at most `MAX_REPORT_TOTAL_MS` (the whole report's limit). */
  timeoutMs: z._default(
    z
      .number()
      .check(
        z.gte(1),
        z.lte(MAX_REPORT_TOTAL_MS, `timeoutMs must be from 1 to ${MAX_REPORT_TOTAL_MS}`),
      ),
    DEFAULT_REPORT_TIMEOUT_MS,
  ),
});
export type ReportToOptions = z.input<typeof reportToOptionsSchema>;

export type ReportErrorKind =
  /** The body did not pass the schema (a bad project or tag): nothing was sent. */
  | "invalid-report"
  /**
   * The server answered 4xx, or 3xx (a redirect is not followed: fetch would turn the POST
   * into a GET, whose 200 would read as stored): retrying cannot help.
   */
  | "rejected"
  /**
   * Every attempt met a network error, a timeout, a 5xx, a 408 or a 429, until the retries or
   * `MAX_REPORT_TOTAL_MS` ran out.
   */
  | "unreachable";

export interface ReportFailure extends Failure<ReportErrorKind> {
  readonly status?: number;
  readonly field?: string;
  readonly attempts: number;
}

export interface ReportStored {
  readonly id: string;
  /** The URL the run can be read back from (`GET /v1/runs/:id`). */
  readonly location: string;
  /** False when the server had it already (a retry whose first answer was lost). */
  readonly created: boolean;
  readonly attempts: number;
}

export interface ReportRunInput extends ReportToOptions {
  readonly result: TrackerResult;
  /** The run's id; default a fresh UUID, used by every attempt. */
  readonly id?: string;
  readonly fetch?: typeof fetch;
  /** For tests: how to wait between attempts. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** For tests: the monotonic milliseconds `MAX_REPORT_TOTAL_MS` is kept by (default `performance.now`). */
  readonly monotonicMs?: () => number;
}

/** A run server's answer read at most (a problem document is well under a kilobyte). */
const MAX_ANSWER_BYTES = 64 * 1024;
/** Characters of a problem's detail or field quoted in a message. */
const MAX_QUOTED_CHARS = 500;

const problemBody = z.object({ detail: z.optional(z.string()), field: z.optional(z.string()) });

const sleepMs = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * `POST {url}/v1/runs`, retried on network errors, timeouts, 5xx, 408 and 429 within
 * `MAX_REPORT_TOTAL_MS`; a redirect is refused, not followed. Never throws.
 */
export async function reportRun(
  input: ReportRunInput,
): Promise<Result<ReportStored, ReportFailure>> {
  // The Web Crypto global, loaded when a run is reported: a static `node:crypto` import cost
  // every `wattprint track` about 5 ms at start (issue 13), reporting or not.
  const {
    result,
    fetch: doFetch = fetch,
    sleep = sleepMs,
    monotonicMs = () => performance.now(),
    id = globalThis.crypto.randomUUID(),
    ...rest
  } = input;
  const options = reportToOptionsSchema.safeParse(rest);
  if (!options.success) return err(invalid(options.error));
  const o = options.data;
  const body = reportBodySchema.safeParse({ id, project: o.project, tags: o.tags, result });
  if (!body.success) return err(invalid(body.error));
  const base = o.url.endsWith("/") ? o.url : `${o.url}/`;
  const endpoint = new URL("v1/runs", base).toString();
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (o.apiKey !== undefined) headers.authorization = `Bearer ${o.apiKey}`;
  const text = JSON.stringify(body.data);
  const deadline = monotonicMs() + MAX_REPORT_TOTAL_MS;
  let last = "";
  let attempts = 0;
  /** The server's `Retry-After` on the last answer, in ms. */
  let retryAfterMs: number | undefined;
  /** Why the retries stopped before `o.retries` ran out, when the time limit stopped them. */
  let outOfTime = "";
  for (let attempt = 0; attempt <= o.retries; attempt++) {
    if (attempt > 0) {
      // Never sooner than the server asked, never longer than one wait may be.
      const wait = Math.min(
        MAX_REPORT_WAIT_MS,
        Math.max(o.backoffMs * 2 ** (attempt - 1), retryAfterMs ?? 0),
      );
      if (monotonicMs() + wait >= deadline) {
        outOfTime = `; no further attempt: waiting ${wait} ms for it would pass the ${MAX_REPORT_TOTAL_MS / 1000} s limit on reporting`;
        break;
      }
      await sleep(wait);
    }
    const left = Math.ceil(deadline - monotonicMs());
    if (left <= 0) {
      outOfTime = `; no further attempt: the ${MAX_REPORT_TOTAL_MS / 1000} s limit on reporting has passed`;
      break;
    }
    // The last attempt ends with the time limit, however long timeoutMs is.
    const timeoutMs = Math.min(o.timeoutMs, left);
    attempts++;
    retryAfterMs = undefined;
    let response: Response;
    try {
      response = await doFetch(endpoint, {
        method: "POST",
        headers,
        body: text,
        // Followed, a 301/302/303 would turn the POST into a GET: `GET /v1/runs` lists runs
        // with a 200, and the run would be counted as stored without ever being sent.
        redirect: "manual",
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      last = networkWhy(error, timeoutMs);
      continue;
    }
    // The server's answer is only a problem's detail and field: read a bounded start of it.
    const answer = (await readCappedText(response, MAX_ANSWER_BYTES).catch(() => undefined)) ?? "";
    if (response.status === 200 || response.status === 201) {
      return ok({
        id,
        location: new URL(`v1/runs/${id}`, base).toString(),
        created: response.status === 201,
        attempts,
      });
    }
    if (response.status >= 300 && response.status < 400) {
      return err(
        failure(
          "rejected",
          `${endpoint} answered HTTP ${response.status}, a redirect ${redirectTarget(response, endpoint)}, which is not followed (it would turn the POST into a GET): set the url to the server's own address`,
          { status: response.status, attempts },
        ),
      );
    }
    const problem = parseProblem(answer);
    // 408: the server gave up waiting for the body (a slow link); every attempt carries the
    // same run id, so sending it again cannot store the run twice.
    if (response.status >= 500 || response.status === 429 || response.status === 408) {
      last = `HTTP ${response.status}${problem.detail === undefined ? "" : `: ${problem.detail}`}`;
      retryAfterMs = parseRetryAfter(response.headers.get("retry-after"));
      continue;
    }
    const field = problem.field === undefined ? "" : ` (field ${problem.field})`;
    return err(
      failure(
        "rejected",
        `${endpoint} refused the run: HTTP ${response.status}${problem.detail === undefined ? "" : `: ${problem.detail}`}${field}${response.status === 401 || response.status === 403 ? `; check the API key (${REPORT_API_KEY_ENV})` : ""}`,
        {
          status: response.status,
          attempts,
          ...(problem.field === undefined ? {} : { field: problem.field }),
        },
      ),
    );
  }
  return err(
    failure(
      "unreachable",
      `${endpoint} could not be reached after ${attempts} attempt(s): ${last}${outOfTime}`,
      { attempts },
    ),
  );
}

/** Where a redirect points, for its message: the Location quoted in part, resolved when relative. */
function redirectTarget(response: Response, endpoint: string): string {
  const location = response.headers.get("location");
  if (location === null || location === "") return "without a Location";
  let target = location;
  try {
    target = new URL(location, endpoint).toString();
  } catch {
    // Not a URL: quoted as the server sent it.
  }
  return `to ${cutText(target, MAX_QUOTED_CHARS)}`;
}

/**
 * `Retry-After` in ms: delay-seconds or an HTTP date; undefined when absent or unreadable.
 * The caller caps it (a server's "come back tomorrow" must not hold `stop()`).
 */
function parseRetryAfter(value: string | null): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

function invalid(error: z.core.$ZodError): ReportFailure {
  const issue = error.issues[0];
  const field = issue === undefined ? "" : issue.path.map(String).join(".");
  return failure(
    "invalid-report",
    `the run cannot be reported: ${field === "" ? "" : `${field}: `}${issue?.message ?? "invalid"}`,
    { field, attempts: 0 },
  );
}

function parseProblem(text: string): { detail?: string | undefined; field?: string | undefined } {
  try {
    const parsed = problemBody.safeParse(JSON.parse(text));
    if (!parsed.success) return {};
    // Quoted in one message line: a server's essay is cut.
    const { detail, field } = parsed.data;
    return {
      ...(detail === undefined ? {} : { detail: cutText(detail, MAX_QUOTED_CHARS) }),
      ...(field === undefined ? {} : { field: cutText(field, MAX_QUOTED_CHARS) }),
    };
  } catch {
    return {};
  }
}

/** fetch's TypeError hides the reason (ECONNREFUSED) in `cause`. */
function networkWhy(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) {
    return `no answer within ${timeoutMs} ms`;
  }
  const cause =
    error instanceof Error ? (error.cause as { code?: string; message?: string }) : undefined;
  if (cause?.code !== undefined) return cause.code;
  if (cause?.message !== undefined) return cause.message;
  return error instanceof Error ? error.message : String(error);
}
