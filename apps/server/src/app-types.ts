import type {
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import type { ServerMetrics } from "./http/metrics.ts";
import type { ServerOptions } from "./options.ts";
import type { RunStore } from "./store/run-store.ts";

/** What the app and its route modules share; apart from app.ts so routes do not import it. */
/** The options the app itself uses (the rest open the store and listen), keys all loaded. */
export type AppSettings = Pick<
  ServerOptions,
  | "logLevel"
  | "apiKeys"
  | "openReads"
  | "corsOrigins"
  | "rateLimitPerMinute"
  | "trustProxy"
  | "bodyLimitBytes"
  | "uploadLimitBytes"
  | "requestTimeoutMs"
> & {
  /** Where pino's JSON lines go (stderr in the binary). */
  readonly logWrite?: (line: string) => void;
};

export const DEFAULT_APP_SETTINGS: AppSettings = {
  logLevel: "silent",
  apiKeys: [],
  openReads: false,
  corsOrigins: [],
  rateLimitPerMinute: 0,
  trustProxy: false,
  bodyLimitBytes: 1024 * 1024,
  uploadLimitBytes: 10 * 1024 * 1024,
  requestTimeoutMs: 30_000,
};

/** The app as route modules see it: request and reply types inferred from the zod schemas. */
export type TypedApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

/** What every route module gets: the app with the zod type provider, the store, the metrics. */
export interface RouteContext {
  readonly store: RunStore;
  readonly metrics: ServerMetrics;
  readonly settings: AppSettings;
}
