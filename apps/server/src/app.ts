import cors from "@fastify/cors";
import multipart from "@fastify/multipart";
import rateLimit from "@fastify/rate-limit";
import swagger from "@fastify/swagger";
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from "fastify-type-provider-zod";
import type { AppSettings, RouteContext } from "./app-types.ts";
import { ApiKeys } from "./http/auth.ts";
import { useCheckedJsonParser } from "./http/body-encoding.ts";
import { clientErrorHandler } from "./http/client-errors.ts";
import { errorHandler, sendProblem } from "./http/errors.ts";
import { ServerMetrics } from "./http/metrics.ts";
import { finishOpenApi } from "./http/openapi-document.ts";
import { ProblemError } from "./http/problem.ts";
import { RouteMethods } from "./http/route-methods.ts";
import { MAX_UPLOAD_FIELDS, MAX_UPLOAD_FILES } from "./options.ts";
import { catalogueRoutes } from "./routes/catalogue.ts";
import { dashboardRoutes } from "./routes/dashboard.ts";
import { estimateRoutes } from "./routes/estimate.ts";
import { footprintRoutes } from "./routes/footprint.ts";
import { healthRoutes } from "./routes/health.ts";
import { logsRoutes } from "./routes/logs.ts";
import { problemRoutes } from "./routes/problems.ts";
import { runRoutes } from "./routes/runs.ts";
import type { RunStore } from "./store/run-store.ts";

export {
  type AppSettings,
  DEFAULT_APP_SETTINGS,
  type RouteContext,
  type TypedApp,
} from "./app-types.ts";

/** The app and its metrics (an object: a Fastify instance is thenable, so it cannot be awaited bare). */
export interface BuiltApp {
  readonly app: FastifyInstance;
  readonly metrics: ServerMetrics;
}
/** Hop 0 is the peer of the socket, the proxy: trusted; the hops it forwards are not. */
const trustNearestProxyOnly = (_address: string, hop: number): boolean => hop === 0;

/** The longest path parameter the router reads (a zone, a project name, an id). */
export const MAX_PATH_PARAMETER_CHARS = 1024;

/** How long the headers of a request may take (Node's default), never longer than the whole request. */
const HEADERS_TIMEOUT_MS = 60_000;
/** How often Node looks for requests past their timeout (its default, 30 s, let one run on that much longer). */
const CONNECTIONS_CHECK_MS = 1000;

/** The route label of a request no route took (a 404, or a URL the router cannot read). */
const UNMATCHED_ROUTE = "unmatched";

/** An answered request in the request counter and the latency histogram. */
function countRequest(
  metrics: ServerMetrics,
  method: string,
  route: string,
  reply: FastifyReply,
): void {
  metrics.requests.inc({ method, route, status: String(reply.statusCode) });
  metrics.latency.observe({ method, route }, reply.elapsedTime / 1000);
}

/** The server's routes and policies on a Fastify instance; it does not listen. */
export async function buildApp(store: RunStore, settings: AppSettings): Promise<BuiltApp> {
  const metrics = new ServerMetrics();
  const app = Fastify({
    logger:
      settings.logLevel === "silent"
        ? false
        : {
            level: settings.logLevel,
            ...(settings.logWrite !== undefined ? { stream: { write: settings.logWrite } } : {}),
          },
    bodyLimit: settings.bodyLimitBytes,
    requestTimeout: settings.requestTimeoutMs,
    // Node reads these when the server is made: set afterwards (as Fastify sets
    // requestTimeout), a body that stalled was answered after 60 to 90 s whatever the
    // setting. Connections are checked every second, not every 30 s.
    http: {
      requestTimeout: settings.requestTimeoutMs,
      headersTimeout: Math.min(HEADERS_TIMEOUT_MS, settings.requestTimeoutMs),
      connectionsCheckingInterval: CONNECTIONS_CHECK_MS,
    },
    clientErrorHandler: clientErrorHandler(metrics),
    // Keep-alive connections idle longer than a load balancer's (AWS ALB: 60 s) avoid resets.
    keepAliveTimeout: 65_000,
    // One hop: the client address is the one the nearest proxy saw (the last X-Forwarded-For
    // entry, which it wrote); entries before it are the client's own and may be anything.
    // Trusting every hop (`true`) took the first, so a client chose its rate-limit bucket.
    trustProxy: settings.trustProxy ? trustNearestProxyOnly : false,
    // Answered below as a problem document (Fastify's own 503 is another JSON shape).
    return503OnClosing: false,
    // Fastify's default, 100, answered a longer path parameter (a project name may be 200
    // characters) with its own 414 before any schema saw it; past this, `frameworkErrors`.
    // Under routerOptions: Fastify 5.12 warns (FSTDEP022) at every start when it is top-level.
    routerOptions: { maxParamLength: MAX_PATH_PARAMETER_CHARS },
    // URLs the router cannot read: problem documents too, counted like every other. Fastify
    // answers them before routing, so no onResponse hook runs: they are counted here.
    frameworkErrors: (error, request, reply) => {
      const sent =
        error.code === "FST_ERR_MAX_PARAM_LENGTH"
          ? sendProblem(
              reply,
              metrics,
              "invalid-request",
              `a path parameter is longer than ${MAX_PATH_PARAMETER_CHARS} characters`,
            )
          : error.code === "FST_ERR_BAD_URL"
            ? sendProblem(
                reply,
                metrics,
                "invalid-request",
                "the path is not a valid URL (a malformed percent-escape)",
              )
            : sendProblem(
                reply,
                metrics,
                "internal",
                "internal error; the server log has the details",
              );
      countRequest(metrics, request.method, UNMATCHED_ROUTE, reply);
      return sent;
    },
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler(metrics));
  // Bodies are JSON (or multipart uploads): a text/plain body is a 415, not a string to validate.
  app.removeContentTypeParser("text/plain");
  // A compressed body, or one in another charset than UTF-8, is a 415 before it is parsed.
  useCheckedJsonParser(app);
  const routeMethods = new RouteMethods();
  app.addHook("onRoute", (route) => routeMethods.add(route.url, route.method));
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split("?")[0] ?? "/";
    const allowed = routeMethods.allowed(path);
    if (allowed.length === 0) {
      return sendProblem(reply, metrics, "not-found", `no route ${request.method} ${path}`);
    }
    reply.header("allow", allowed.join(", "));
    return sendProblem(
      reply,
      metrics,
      "method-not-allowed",
      `${path} does not take ${request.method}; it takes ${allowed.join(", ")}`,
    );
  });

  // Metrics by route pattern (never the raw URL: ids would make a label per run).
  app.addHook("onResponse", (request, reply, done) => {
    countRequest(metrics, request.method, request.routeOptions.url ?? UNMATCHED_ROUTE, reply);
    done();
  });

  // Once close() has begun, every answer closes its connection: close() only ends the
  // connections idle at that moment, so a keep-alive client whose request was in flight kept
  // the server (and the stop) waiting for keepAliveTimeout, 65 s. `Connection: close` rather
  // than a short keep-alive timeout, so no client reuses a connection about to be cut. A
  // callback hook: it runs on every answer, and an async one costs a promise each time.
  let closing = false;
  app.addHook("preClose", (done) => {
    closing = true;
    done();
  });
  // A request that arrives on an open connection once close() has begun: the run store may
  // be closing under it. A callback hook, for the same reason as the one below.
  app.addHook("onRequest", (_request, reply, done) => {
    if (!closing) {
      done();
      return;
    }
    reply.header("connection", "close");
    sendProblem(
      reply,
      metrics,
      "shutting-down",
      "this instance is stopping; send the request again (to another instance)",
    );
  });
  app.addHook("onSend", (_request, reply, payload, done) => {
    if (closing) reply.header("connection", "close");
    done(null, payload);
  });

  if (settings.corsOrigins === true || settings.corsOrigins.length > 0) {
    await app.register(cors, {
      origin: settings.corsOrigins === true ? true : [...settings.corsOrigins],
      methods: ["GET", "HEAD", "POST"],
      allowedHeaders: ["Authorization", "Content-Type"],
      // What a browser's script may read of an answer beyond the CORS-safelisted headers: when
      // to retry after a 429, and the rate limit's state.
      exposedHeaders: [
        "Retry-After",
        "X-RateLimit-Limit",
        "X-RateLimit-Remaining",
        "X-RateLimit-Reset",
      ],
      maxAge: 600,
    });
  }
  if (settings.rateLimitPerMinute > 0) {
    await app.register(rateLimit, {
      max: settings.rateLimitPerMinute,
      timeWindow: 60_000,
      // A client may hold at most this many entries' worth of memory: the store is an LRU.
      cache: 10_000,
      errorResponseBuilder: (_request, context) =>
        Object.assign(
          new ProblemError(
            "rate-limited",
            `more than ${context.max} requests a minute; retry in ${Math.ceil(context.ttl / 1000)} s`,
          ),
          { statusCode: 429 },
        ),
    });
  }
  const keys = new ApiKeys(settings.apiKeys);
  if (keys.enabled) {
    const authenticate = async (request: FastifyRequest): Promise<void> => {
      if (settings.openReads && (request.method === "GET" || request.method === "HEAD")) return;
      if (!keys.accepts(request.headers.authorization)) {
        throw new ProblemError(
          "unauthorized",
          request.headers.authorization === undefined
            ? 'this server needs "Authorization: Bearer <key>" on /v1 routes'
            : "the API key is not one this server accepts",
        );
      }
    };
    // A route's own hook, added after the rate limiter's (its onRoute hook runs first, as it
    // was registered first): an app-wide onRequest hook ran before every route's, so a refused
    // key was never counted and API keys could be guessed without limit. The route pattern,
    // never the raw URL: the router decodes the path first, so "/%761/runs" is the /v1/runs
    // route while its text does not start with "/v1/". An unmatched URL is a 404 and reads
    // nothing.
    app.addHook("onRoute", (route) => {
      if (!route.url.startsWith("/v1/")) return;
      const own = route.onRequest;
      route.onRequest = [
        ...(own === undefined ? [] : Array.isArray(own) ? own : [own]),
        authenticate,
      ];
    });
  }

  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "wattprint-server",
        description:
          "Carbon footprint estimates, SustainML footprints, carbontracker log parsing and a run store. Errors are RFC 9457 problem documents.",
        version: "1.0.0",
      },
      components: {
        securitySchemes: {
          bearer: {
            type: "http",
            scheme: "bearer",
            description:
              "An API key from WATTPRINT_API_KEYS or --api-keys-file, when the deployment sets any; reads may be left open (--open-reads)",
          },
        },
      },
    },
    transform: jsonSchemaTransform,
    transformObject: (input) => finishOpenApi(jsonSchemaTransformObject(input)),
  });

  const context: RouteContext = { store, metrics, settings };
  const typed = app.withTypeProvider<ZodTypeProvider>();
  healthRoutes(typed, context);
  problemRoutes(typed);
  estimateRoutes(typed, context);
  footprintRoutes(typed, context);
  catalogueRoutes(typed, context);
  // The multipart parser, and the hooks @fastify/multipart adds to every request it covers
  // (two async hooks and a listener each: a tenth of an estimate's time), only where files
  // are taken. Elsewhere a multipart body is a 415, as any type a route does not read.
  await app.register(async (uploads) => {
    await uploads.register(multipart, {
      limits: {
        fileSize: settings.uploadLimitBytes,
        files: MAX_UPLOAD_FILES,
        fields: MAX_UPLOAD_FIELDS,
        fieldSize: 1024,
        parts: MAX_UPLOAD_FILES + MAX_UPLOAD_FIELDS,
        headerPairs: 100,
      },
      throwFileSizeLimit: true,
    });
    logsRoutes(uploads.withTypeProvider<ZodTypeProvider>(), context);
  });
  runRoutes(typed, context);
  dashboardRoutes(typed);
  app.get("/openapi.json", { schema: { hide: true } }, async () => app.swagger());
  await app.ready();
  return { app, metrics };
}
