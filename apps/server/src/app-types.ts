import type {
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import type { ServerMetrics } from "./http/metrics.ts";
import type { ServerLogLevel } from "./options.ts";
import type { RunStore } from "./store/run-store.ts";

/** What the app and its route modules share; apart from app.ts so routes do not import it. */
export interface AppSettings {
  readonly logLevel: ServerLogLevel;
  /** Where pino's JSON lines go (stderr in the binary). */
  readonly logWrite?: (line: string) => void;
  readonly apiKeys: readonly string[];
  readonly openReads: boolean;
  readonly corsOrigins: true | readonly string[];
  readonly rateLimitPerMinute: number;
  readonly trustProxy: boolean;
  readonly bodyLimitBytes: number;
  readonly uploadLimitBytes: number;
  readonly requestTimeoutMs: number;
}

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
