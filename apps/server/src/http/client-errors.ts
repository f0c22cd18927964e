import { STATUS_CODES } from "node:http";
import type { Socket } from "node:net";
import type { FastifyBaseLogger } from "fastify";
import type { ServerMetrics } from "./metrics.ts";
import { PROBLEM_CONTENT_TYPE, type ProblemType, problem } from "./problem.ts";

/** What Node's HTTP parser or its timers say of a connection before any route has a request. */
export interface ConnectionError extends Error {
  readonly code?: string;
}

/** The problem a connection-level error is, and what to tell the client. */
export function connectionProblem(error: ConnectionError): {
  readonly type: ProblemType;
  readonly detail: string;
} {
  switch (error.code) {
    case "ERR_HTTP_REQUEST_TIMEOUT":
      return {
        type: "request-timeout",
        detail:
          "the request (its headers and body) did not arrive within the server's request timeout",
      };
    case "HPE_HEADER_OVERFLOW":
      return {
        type: "headers-too-large",
        detail: "the request's headers are larger than this server reads (16 KiB in all)",
      };
    default:
      return {
        type: "invalid-request",
        detail: `the request is not valid HTTP/1.1${error.code?.startsWith("HPE_") ? ` (${error.code.slice(4).toLowerCase().replaceAll("_", " ")})` : ""}`,
      };
  }
}

/**
 * Fastify's `clientErrorHandler`: Node reports a request it could not parse, one too slow to
 * arrive and headers too large on the socket, before Fastify has a request or a reply. Its
 * default answers `application/json` in another shape; this one answers the same problem
 * document as every route, counted in the same metrics (route `unmatched`, method `unknown`).
 */
export function clientErrorHandler(metrics: ServerMetrics) {
  // Fastify binds the handler to the instance: its logger is `this.log`.
  return function onClientError(
    this: { readonly log: FastifyBaseLogger },
    error: ConnectionError,
    socket: Socket,
  ): void {
    // A reset connection has nobody to answer (Node's own rule for clientError).
    if (error.code === "ECONNRESET" || socket.destroyed) return;
    const { type, detail } = connectionProblem(error);
    const document = problem(type, detail);
    const { status } = document;
    const body = JSON.stringify(document);
    metrics.errors.inc({ type });
    metrics.requests.inc({ method: "unknown", route: "unmatched", status: String(status) });
    this.log.info({ problem: type, code: error.code }, "connection refused before routing");
    if (socket.writable) {
      socket.write(
        `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    }
    socket.destroy(error);
  };
}
