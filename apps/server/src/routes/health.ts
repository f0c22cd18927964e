import { z } from "zod";
import type { RouteContext, TypedApp } from "../app-types.ts";
import { ProblemError, problemSchema } from "../http/problem.ts";

/**
 * How long readiness waits for the store. A stalled database otherwise held the probe for
 * the pool's query timeout (30 s), past any orchestrator's probe timeout, so the probe
 * failed without a problem document and held a connection all that while.
 */
const READY_TIMEOUT_MS = 2_000;

/** `work`'s value, or undefined once `ms` have passed without it. */
async function within<T>(ms: number, work: Promise<T>): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Probes and metrics: open to every caller (no key, no rate limit), as probes need. */
export function healthRoutes(app: TypedApp, { store, metrics }: RouteContext): void {
  const open = { rateLimit: false } as const;
  let pinging: ReturnType<RouteContext["store"]["ping"]> | undefined;
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
      // A ping still out (a stalled database) is waited on again, not repeated: each would
      // hold a pool connection until the query timeout.
      pinging ??= store.ping().finally(() => {
        pinging = undefined;
      });
      const reachable = await within(READY_TIMEOUT_MS, pinging);
      if (reachable === undefined) {
        throw new ProblemError(
          "store-unavailable",
          `the run store did not answer within ${READY_TIMEOUT_MS / 1000} s`,
        );
      }
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
