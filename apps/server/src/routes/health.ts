import { z } from "zod";
import type { RouteContext, TypedApp } from "../app-types.ts";
import { ProblemError, problemSchema } from "../http/problem.ts";

/** Probes and metrics: open to every caller (no key, no rate limit), as probes need. */
export function healthRoutes(app: TypedApp, { store, metrics }: RouteContext): void {
  const open = { rateLimit: false } as const;
  app.get(
    "/healthz",
    {
      config: open,
      schema: {
        summary: "Liveness: the process answers",
        tags: ["operations"],
        response: { 200: z.object({ status: z.literal("ok") }) },
      },
    },
    async () => ({ status: "ok" as const }),
  );
  app.get(
    "/readyz",
    {
      config: open,
      schema: {
        summary: "Readiness: the run store answers a query",
        tags: ["operations"],
        response: {
          200: z.object({ status: z.literal("ready"), store: z.string() }),
          503: problemSchema,
        },
      },
    },
    async () => {
      const reachable = await store.ping();
      if (!reachable.ok) {
        const { message, cause } = reachable.error;
        throw new ProblemError("store-unavailable", message, {}, cause);
      }
      return { status: "ready" as const, store: store.kind };
    },
  );
  app.get(
    "/metrics",
    {
      config: open,
      schema: { summary: "Prometheus metrics (text exposition format)", tags: ["operations"] },
    },
    async (_request, reply) => {
      const text = await metrics.registry.metrics();
      return reply.type(metrics.registry.contentType).send(text);
    },
  );
}
