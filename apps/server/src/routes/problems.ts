import { z } from "zod";
import type { TypedApp } from "../app-types.ts";
import { isProblemType, PROBLEMS, ProblemError } from "../http/problem.ts";

/**
 * `GET /problems/{type}`: what each problem `type` URI means, so the URIs in problem
 * documents resolve on the server that sent them (RFC 9457 §3.1.1).
 */
export function problemRoutes(app: TypedApp): void {
  app.get(
    "/problems/:type",
    {
      schema: {
        summary: "Describe a problem type",
        tags: ["operations"],
        params: z.object({ type: z.string().max(64) }),
        response: { 200: z.object({ type: z.string(), title: z.string(), status: z.number() }) },
      },
    },
    async (request) => {
      const { type } = request.params;
      if (!isProblemType(type)) throw new ProblemError("not-found", `no problem type "${type}"`);
      return { type: `/problems/${type}`, ...PROBLEMS[type] };
    },
  );
}
