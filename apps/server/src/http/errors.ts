import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import { hasZodFastifySchemaValidationErrors } from "fastify-type-provider-zod";
import { forApiClients } from "./api-hints.ts";
import type { ServerMetrics } from "./metrics.ts";
import {
  PROBLEM_CONTENT_TYPE,
  type ProblemDetails,
  ProblemError,
  type ProblemType,
  problem,
} from "./problem.ts";

/** Fastify's and its plugins' error codes, as the problem each one is. */
const CODE_PROBLEMS: Readonly<Record<string, ProblemType>> = {
  FST_ERR_CTP_BODY_TOO_LARGE: "body-too-large",
  FST_ERR_CTP_INVALID_MEDIA_TYPE: "unsupported-media-type",
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: "invalid-request",
  FST_ERR_CTP_EMPTY_JSON_BODY: "malformed-json",
  FST_ERR_CTP_INVALID_JSON_BODY: "malformed-json",
  FST_REQ_FILE_TOO_LARGE: "body-too-large",
  FST_FILES_LIMIT: "body-too-large",
  FST_PARTS_LIMIT: "body-too-large",
  FST_FIELDS_LIMIT: "body-too-large",
  FST_INVALID_MULTIPART_CONTENT_TYPE: "unsupported-media-type",
  FST_PROTO_VIOLATION: "malformed-upload",
  FST_ERR_REQUEST_TIMEOUT: "request-timeout",
};

/** Where a validation error sits: the body member's path, or the parameter's name. */
function validationField(error: FastifyError): string | undefined {
  const first = error.validation?.[0];
  if (first === undefined) return undefined;
  const path = first.instancePath.replace(/^\//, "").replaceAll("/", ".");
  // An unknown member's issue sits on its parent (the body's is ""): name the member itself.
  const keys = first.keyword === "unrecognized_keys" ? first.params.keys : undefined;
  const key = Array.isArray(keys) && typeof keys[0] === "string" ? keys[0] : undefined;
  const field = key === undefined ? path : path === "" ? key : `${path}.${key}`;
  return field === "" ? undefined : field;
}

function validationDetail(error: FastifyError, field: string | undefined): string {
  const first = error.validation?.[0];
  const message = first?.message ?? "invalid";
  const where = error.validationContext === "body" ? "" : `${error.validationContext ?? ""} `;
  return field === undefined ? `${where}${message}`.trim() : `${where}${field}: ${message}`;
}

/** What a thrown error is, as a problem; anything unknown is internal, its text kept server-side. */
export function toProblem(error: unknown): {
  type: ProblemType;
  detail: string;
  details: ProblemDetails;
} {
  if (error instanceof ProblemError) {
    return { type: error.type, detail: error.message, details: error.details };
  }
  const fastifyError = error as Partial<FastifyError>;
  if (hasZodFastifySchemaValidationErrors(error)) {
    const field = validationField(error as FastifyError);
    return {
      type: "invalid-request",
      detail: validationDetail(error as FastifyError, field),
      details: { field },
    };
  }
  const code = fastifyError.code;
  const mapped = code === undefined ? undefined : CODE_PROBLEMS[code];
  if (mapped !== undefined) {
    return { type: mapped, detail: fastifyError.message ?? mapped, details: {} };
  }
  // JSON.parse's SyntaxError surfaces with status 400 and no code of Fastify's own.
  if (error instanceof SyntaxError || fastifyError.statusCode === 400) {
    return { type: "malformed-json", detail: fastifyError.message ?? "bad JSON", details: {} };
  }
  if (fastifyError.statusCode === 413) {
    return { type: "body-too-large", detail: fastifyError.message ?? "too large", details: {} };
  }
  if (fastifyError.statusCode === 415) {
    return {
      type: "unsupported-media-type",
      detail: fastifyError.message ?? "unsupported",
      details: {},
    };
  }
  return {
    type: "internal",
    detail: "internal error; the server log has the details",
    details: {},
  };
}

export function sendProblem(
  reply: FastifyReply,
  metrics: ServerMetrics,
  type: ProblemType,
  detail: string,
  details: ProblemDetails = {},
): FastifyReply {
  metrics.errors.inc({ type });
  // RFC 9110 §15.5.2: a 401 names the scheme it wants (RFC 6750's Bearer).
  if (type === "unauthorized") reply.header("www-authenticate", 'Bearer realm="wattprint"');
  // RFC 9110 §15.5.16: a body refused for its content coding names the coding taken.
  if (type === "unsupported-media-type" && details.field === "content-encoding")
    reply.header("accept-encoding", "identity");
  const body = problem(type, forApiClients(detail), details, reply.request.url.split("?")[0]);
  return reply.code(body.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(body));
}

/**
 * A JSON body Fastify's parser refused. It refuses both bad JSON and a `__proto__` member
 * (prototype poisoning), and cannot say which, so the detail names both. (A compressed body
 * never gets here: the JSON parser refuses it first, see body-encoding.ts.)
 */
function bodyProblem(error: unknown): ReturnType<typeof toProblem> | undefined {
  if ((error as Partial<FastifyError>).code !== "FST_ERR_CTP_INVALID_JSON_BODY") return undefined;
  return {
    type: "malformed-json",
    detail:
      "the body is not valid JSON, or holds a member named __proto__ (or constructor.prototype), which is refused",
    details: {},
  };
}

/** A body over the route's limit, with the limit (Fastify's own text named none). */
function tooLarge(
  error: unknown,
  request: FastifyRequest,
): ReturnType<typeof toProblem> | undefined {
  if ((error as Partial<FastifyError>).code !== "FST_ERR_CTP_BODY_TOO_LARGE") return undefined;
  return {
    type: "body-too-large",
    detail: `the body is larger than this server takes here, ${request.routeOptions.bodyLimit} bytes`,
    details: {},
  };
}

/** The app's one error handler: a problem document for everything, a stack only in the log. */
export function errorHandler(metrics: ServerMetrics) {
  return (error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply => {
    const { type, detail, details } =
      bodyProblem(error) ?? tooLarge(error, request) ?? toProblem(error);
    if (type === "internal") {
      request.log.error({ err: error }, "request failed");
    } else if (error instanceof ProblemError && error.logCause !== undefined) {
      request.log.error({ problem: type, detail, cause: error.logCause }, "request failed");
    } else {
      request.log.info({ problem: type, detail }, "request refused");
    }
    return sendProblem(reply, metrics, type, detail, details);
  };
}
