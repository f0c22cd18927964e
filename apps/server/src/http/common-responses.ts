import { problemSchema } from "./problem.ts";

/** The problem responses every /v1 route may send, for the OpenAPI document. */
export const PROBLEM_RESPONSES = {
  400: problemSchema.describe("The request is malformed or fails its schema"),
  401: problemSchema.describe("API keys are configured and none valid was given"),
  413: problemSchema.describe("The body is over the server's limit"),
  415: problemSchema.describe("The content type is not one this route takes"),
  429: problemSchema.describe("Over the rate limit"),
  500: problemSchema.describe("A bug; the server log has the details"),
} as const;
