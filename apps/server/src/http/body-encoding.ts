import type { FastifyInstance, FastifyRequest } from "fastify";
import { ProblemError } from "./problem.ts";

/** Longest part of a header value a problem's detail quotes: the value is the client's. */
const QUOTED_CHARS = 40;

/** Charsets a JSON body may declare: UTF-8 (RFC 8259 §8.1), and ASCII, a subset of it. */
const READABLE_CHARSET = /^(utf-?8|us-ascii)$/i;

/** The `charset` parameter of a Content-Type value; only looked for when it has parameters. */
const CHARSET_PARAMETER = /;\s*charset\s*=\s*"?([^";\s]*)/i;

/**
 * A body sent compressed (any Content-Encoding but identity): the server reads bodies as they
 * come, so a gzipped body is refused whatever it holds, as RFC 9110 §15.5.16 says, rather than
 * stored (a compressed body that happened to parse) or called malformed JSON. One header
 * lookup when there is none, as on nearly every request.
 */
export function contentEncodingProblem(request: FastifyRequest): ProblemError | undefined {
  const coding = request.headers["content-encoding"];
  if (coding === undefined) return undefined;
  for (const token of coding.split(",")) {
    const name = token.trim().toLowerCase();
    if (name !== "" && name !== "identity") {
      return new ProblemError(
        "unsupported-media-type",
        `the body is sent with Content-Encoding ${JSON.stringify(coding.slice(0, QUOTED_CHARS))}; this server reads bodies uncompressed`,
        { field: "content-encoding" },
      );
    }
  }
  return undefined;
}

/**
 * A JSON body declared in another charset than UTF-8 (`charset=utf-16`): it was decoded as
 * UTF-8 all the same, so its text would have been read wrong, or refused as bad JSON.
 */
function charsetProblem(request: FastifyRequest): ProblemError | undefined {
  const type = request.headers["content-type"];
  if (type === undefined || !type.includes(";")) return undefined;
  const charset = CHARSET_PARAMETER.exec(type)?.[1];
  if (charset === undefined || READABLE_CHARSET.test(charset)) return undefined;
  return new ProblemError(
    "unsupported-media-type",
    `the body is declared as charset ${JSON.stringify(charset.slice(0, QUOTED_CHARS))}; JSON bodies are read as UTF-8`,
    { field: "content-type" },
  );
}

/**
 * Fastify's own JSON parser (prototype poisoning refused, as by default), behind the checks of
 * what the headers say about the body's bytes. In the parser, not a hook: it runs only for
 * JSON bodies, where a hook would run on every request of a route (the estimate's is the one
 * measured), and before the text is parsed, so what a body holds makes no difference.
 */
export function useCheckedJsonParser(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser("error", "error");
  app.addContentTypeParser<string>(
    "application/json",
    { parseAs: "string" },
    (request, body, done) => {
      const refused = contentEncodingProblem(request) ?? charsetProblem(request);
      if (refused !== undefined) {
        done(refused, undefined);
        return;
      }
      parseJson(request, body, done);
    },
  );
}
