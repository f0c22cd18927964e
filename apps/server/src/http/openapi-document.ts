import { MAX_UPLOAD_FILES } from "../options.ts";
import { PROBLEM_CONTENT_TYPE } from "./problem.ts";

/** An OpenAPI document as plain JSON, walked by key. */
type JsonObject = { [key: string]: unknown };

const isObject = (value: unknown): value is JsonObject =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** `security` of a /v1 operation: none, or a bearer key, as the deployment configures. */
const OPTIONAL_BEARER = [{}, { bearer: [] }];

/** The upload route's body, which its schema (multipart, read by hand) cannot describe. */
const LOG_UPLOAD_BODY = {
  required: true,
  description: `carbontracker log files as form files (any field name; "files" by convention), at most ${MAX_UPLOAD_FILES}: each run's standard log and output log under their own names`,
  content: {
    "multipart/form-data": {
      schema: {
        type: "object",
        properties: {
          files: {
            type: "array",
            maxItems: MAX_UPLOAD_FILES,
            items: { type: "string", contentMediaType: "text/plain" },
          },
        },
      },
    },
  },
};

/**
 * What the generated document gets wrong about the server, set right: an error's body is
 * `application/problem+json` (the generator writes `application/json` for every response), a
 * /v1 route takes a bearer key when the deployment configures keys, and the log upload has a
 * multipart body. Changes the document in place and returns it.
 */
export function finishOpenApi<T>(document: T): T {
  const paths = isObject(document) ? document.paths : undefined;
  if (!isObject(paths)) return document;
  for (const [path, item] of Object.entries(paths)) {
    if (!isObject(item)) continue;
    for (const [method, operation] of Object.entries(item)) {
      if (!isObject(operation)) continue;
      if (path.startsWith("/v1/")) operation.security = OPTIONAL_BEARER;
      if (path === "/v1/logs/parse" && method === "post") operation.requestBody = LOG_UPLOAD_BODY;
      const responses = operation.responses;
      if (!isObject(responses)) continue;
      for (const [status, response] of Object.entries(responses)) {
        const content = isObject(response) ? response.content : undefined;
        if (Number(status) < 400 || !isObject(content) || !isObject(response)) continue;
        const json = content["application/json"];
        if (json === undefined) continue;
        response.content = { [PROBLEM_CONTENT_TYPE]: json };
      }
    }
  }
  return document;
}
