import { z } from "zod";

/**
 * Every error the server sends is an RFC 9457 problem document (`application/problem+json`).
 * `type` is a relative URI under /problems/ that the server itself answers with the
 * description below, so a client can look a problem up without leaving the deployment.
 */
export const PROBLEMS = {
  "invalid-request": { status: 400, title: "The request is not valid" },
  "malformed-json": { status: 400, title: "The body is not valid JSON" },
  "malformed-upload": { status: 400, title: "The upload is not a usable multipart form" },
  unauthorized: { status: 401, title: "A valid API key is required" },
  "not-found": { status: 404, title: "Nothing here" },
  "unknown-zone": { status: 404, title: "No grid zone by that name" },
  "run-not-found": { status: 404, title: "No run with that id" },
  "method-not-allowed": { status: 405, title: "Method not allowed" },
  "request-timeout": { status: 408, title: "The request took too long to arrive" },
  "run-id-conflict": {
    status: 409,
    title: "A run with this id was stored before with other content",
  },
  "body-too-large": { status: 413, title: "The body is larger than this server accepts" },
  "headers-too-large": { status: 431, title: "The request's headers are too large" },
  "unsupported-media-type": { status: 415, title: "Unsupported content type" },
  "unknown-hardware": { status: 422, title: "No hardware by that name" },
  "ambiguous-hardware": { status: 422, title: "The hardware name matches several models" },
  "unknown-location": { status: 422, title: "No grid zone or country by that name" },
  "ambiguous-location": { status: 422, title: "The location names several grid zones" },
  "unknown-machine": { status: 422, title: "No machine preset by that name" },
  "unknown-cloud": { status: 422, title: "No cloud provider by that name" },
  "unknown-instance": { status: 422, title: "No cloud instance by that name" },
  "unknown-region": { status: 422, title: "No cloud region by that name" },
  "out-of-range": { status: 422, title: "The result is too large to represent" },
  "rate-limited": { status: 429, title: "Too many requests" },
  internal: { status: 500, title: "Internal error" },
  "store-unavailable": { status: 503, title: "The run store cannot be reached" },
  "shutting-down": { status: 503, title: "This server is stopping; send the request again" },
} as const satisfies Record<string, { status: number; title: string }>;

export type ProblemType = keyof typeof PROBLEMS;

export const PROBLEM_CONTENT_TYPE = "application/problem+json";

export const problemSchema = z
  .object({
    type: z.string().describe("A relative URI naming the kind of problem, /problems/<kind>"),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string().optional(),
    field: z.string().optional().describe("The member or parameter at fault, as a dotted path"),
    query: z.string().optional(),
    suggestions: z.array(z.string()).optional(),
  })
  .meta({ id: "Problem" });

export type Problem = z.infer<typeof problemSchema>;

export interface ProblemDetails {
  readonly field?: string | undefined;
  readonly query?: string | undefined;
  readonly suggestions?: readonly string[] | undefined;
}

export function problemTypeUri(type: ProblemType): string {
  return `/problems/${type}`;
}

export function problem(
  type: ProblemType,
  detail: string,
  details: ProblemDetails = {},
  instance?: string,
): Problem {
  const { status, title } = PROBLEMS[type];
  return {
    type: problemTypeUri(type),
    title,
    status,
    detail,
    ...(instance !== undefined ? { instance } : {}),
    ...(details.field !== undefined ? { field: details.field } : {}),
    ...(details.query !== undefined ? { query: details.query } : {}),
    ...(details.suggestions !== undefined ? { suggestions: [...details.suggestions] } : {}),
  };
}

/** Thrown by handlers for an expected refusal; the error handler turns it into its document. */
export class ProblemError extends Error {
  /**
   * `logCause`: what went wrong behind the problem, in words for the server log only (a
   * database's error message); the client gets `detail`.
   */
  constructor(
    readonly type: ProblemType,
    detail: string,
    readonly details: ProblemDetails = {},
    readonly logCause?: string,
  ) {
    super(detail);
  }
}

export function isProblemType(kind: string): kind is ProblemType {
  return Object.hasOwn(PROBLEMS, kind);
}
