import { homedir } from "node:os";
import { join } from "node:path";
import {
  type Env,
  type NumberRule,
  optionText,
  parseFlags,
  parseNumberOption,
  UsageError,
} from "@wattprint/node";
import { keyProblem } from "./http/auth.ts";

export const HELP = `usage: wattprint-server [options]

Serves the wattprint HTTP API (estimates, SustainML footprints, log parsing, a run store),
Prometheus metrics and a dashboard at /.

  --host H              address to listen on (env WATTPRINT_HOST; default 127.0.0.1)
  --port N              TCP port, 0 for any free one (env WATTPRINT_PORT; default 8080)
  --data-dir DIR        folder of the embedded database (PGlite) (env WATTPRINT_DATA_DIR;
                        default $XDG_DATA_HOME/wattprint/server, else ~/.local/share/...)
  --database-url URL    a PostgreSQL server instead (env DATABASE_URL; postgres://...)
  --log-level L         debug, info, warn, error or silent (env WATTPRINT_LOG_LEVEL; default info)
  --api-keys-file F     one API key a line; /v1 then needs "Authorization: Bearer KEY"
                        (env WATTPRINT_API_KEYS_FILE; keys may also be given, comma-separated,
                        in WATTPRINT_API_KEYS)
  --open-reads          with keys, leave GET /v1 routes open (env WATTPRINT_OPEN_READS=1)
  --cors-origin LIST    origins allowed by CORS, comma-separated, or * (env WATTPRINT_CORS_ORIGIN;
                        default: none, same origin only)
  --rate-limit N        requests per minute per client address, 0 for no limit
                        (env WATTPRINT_RATE_LIMIT; default 1200)
  --trust-proxy         behind one proxy or load balancer: the client address is the one it saw
                        (the last X-Forwarded-For entry) (env WATTPRINT_TRUST_PROXY=1)
  --body-limit BYTES    largest JSON body (default 1048576)
  --upload-limit BYTES  largest uploaded log file (default 10485760; at most 20 files a request)
  --request-timeout S   seconds to receive a whole request, 0.001..3600, counted in whole
                        milliseconds (default 30)
  --help                this text
  --version             the version of wattprint-server
`;

export type ServerLogLevel = "debug" | "info" | "warn" | "error" | "silent";
const LOG_LEVELS: readonly ServerLogLevel[] = ["debug", "info", "warn", "error", "silent"];

export interface ServerOptions {
  readonly host: string;
  readonly port: number;
  /** Where PGlite keeps its files; unused with `databaseUrl`. */
  readonly dataDir: string;
  readonly databaseUrl?: string;
  readonly logLevel: ServerLogLevel;
  readonly apiKeysFile?: string;
  /** Keys given inline (WATTPRINT_API_KEYS); the file's are added at start. */
  readonly apiKeys: readonly string[];
  readonly openReads: boolean;
  /** `true` for any origin, a list, or empty for no CORS headers at all. */
  readonly corsOrigins: true | readonly string[];
  /** Requests per minute per client; 0 disables the limiter. */
  readonly rateLimitPerMinute: number;
  readonly trustProxy: boolean;
  readonly bodyLimitBytes: number;
  readonly uploadLimitBytes: number;
  readonly requestTimeoutMs: number;
}

export const DEFAULT_PORT = 8080;
export const MAX_UPLOAD_FILES = 20;
/** Form fields besides the files an upload may hold (the route reads none of them). */
export const MAX_UPLOAD_FIELDS = 10;

/** The user's data directory, as XDG says (Linux) with the usual fallbacks elsewhere. */
export function defaultDataDir(env: Env): string {
  const xdg = env.XDG_DATA_HOME;
  if (xdg !== undefined && xdg.trim() !== "") return join(xdg, "wattprint", "server");
  const home = env.HOME ?? homedir();
  if (process.platform === "darwin")
    return join(home, "Library", "Application Support", "wattprint", "server");
  if (process.platform === "win32" && env.LOCALAPPDATA)
    return join(env.LOCALAPPDATA, "wattprint", "server");
  return join(home, ".local", "share", "wattprint", "server");
}

function flagOn(flag: boolean | undefined, env: Env, variable: string): boolean {
  if (flag) return true;
  const text = env[variable];
  if (text === undefined) return false;
  if (/^(1|true|yes)$/i.test(text.trim())) return true;
  if (/^(0|false|no|)$/i.test(text.trim())) return false;
  throw new UsageError(`${variable} expects 1 or 0, got "${text}"`);
}

function numberOption(
  flag: string,
  text: string | undefined,
  env: Env,
  variable: string | undefined,
  rule: NumberRule,
  fallback: number,
): number {
  const option = optionText(flag, text, env, variable);
  return option === undefined ? fallback : parseNumberOption(option, rule);
}

function list(text: string): string[] {
  return text
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item !== "");
}

/** Flags win over environment variables; every value is checked before the server starts. */
export function parseServerOptions(
  argv: readonly string[],
  env: Env,
): ServerOptions | "help" | "version" {
  const { values, positionals } = parseFlags(argv, FLAGS);
  if (values.help) return "help";
  if (values.version) return "version";
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);

  const host = optionText("host", values.host, env, "WATTPRINT_HOST")?.text.trim() ?? "127.0.0.1";
  if (host === "") throw new UsageError('WATTPRINT_HOST expects an address, got ""');
  const port = numberOption("port", values.port, env, "WATTPRINT_PORT", PORT_RULE, DEFAULT_PORT);
  const dataDir = optionText("data-dir", values["data-dir"], env, "WATTPRINT_DATA_DIR");
  const databaseUrl = optionText("database-url", values["database-url"], env, "DATABASE_URL");
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl.text)) {
    throw new UsageError(
      `${databaseUrl.name} expects a postgres:// or postgresql:// URL, got "${redactUrl(databaseUrl.text)}"`,
    );
  }
  const level = optionText("log-level", values["log-level"], env, "WATTPRINT_LOG_LEVEL");
  const logLevel = (level?.text ?? "info") as ServerLogLevel;
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new UsageError(
      `${level?.name} expects ${LOG_LEVELS.join(", ")}, got "${level?.text ?? ""}"`,
    );
  }
  const keysFile = optionText(
    "api-keys-file",
    values["api-keys-file"],
    env,
    "WATTPRINT_API_KEYS_FILE",
  );
  const inlineKeys = env.WATTPRINT_API_KEYS === undefined ? [] : list(env.WATTPRINT_API_KEYS);
  if (env.WATTPRINT_API_KEYS !== undefined && inlineKeys.length === 0) {
    throw new UsageError('WATTPRINT_API_KEYS expects keys separated by commas, got ""');
  }
  for (const [index, key] of inlineKeys.entries()) {
    const problem = keyProblem(key);
    if (problem !== undefined)
      throw new UsageError(`WATTPRINT_API_KEYS: key ${index + 1} ${problem}`);
  }
  const cors = optionText("cors-origin", values["cors-origin"], env, "WATTPRINT_CORS_ORIGIN");
  const corsOrigins = cors === undefined ? [] : cors.text.trim() === "*" ? true : list(cors.text);
  if (corsOrigins !== true && cors !== undefined) {
    for (const origin of corsOrigins) checkCorsOrigin(cors.name, origin);
  }
  return {
    host,
    port,
    dataDir: dataDir?.text ?? defaultDataDir(env),
    ...(databaseUrl !== undefined ? { databaseUrl: databaseUrl.text } : {}),
    logLevel,
    ...(keysFile !== undefined ? { apiKeysFile: keysFile.text } : {}),
    apiKeys: inlineKeys,
    openReads: flagOn(values["open-reads"], env, "WATTPRINT_OPEN_READS"),
    corsOrigins,
    rateLimitPerMinute: numberOption(
      "rate-limit",
      values["rate-limit"],
      env,
      "WATTPRINT_RATE_LIMIT",
      { integer: true, min: 0, max: 10_000_000 },
      1200,
    ),
    trustProxy: flagOn(values["trust-proxy"], env, "WATTPRINT_TRUST_PROXY"),
    bodyLimitBytes: numberOption(
      "body-limit",
      values["body-limit"],
      env,
      undefined,
      { integer: true, min: 1024, max: 100 * 1024 * 1024, unit: "bytes" },
      1024 * 1024,
    ),
    uploadLimitBytes: numberOption(
      "upload-limit",
      values["upload-limit"],
      env,
      undefined,
      { integer: true, min: 1024, max: 1024 * 1024 * 1024, unit: "bytes" },
      10 * 1024 * 1024,
    ),
    requestTimeoutMs: secondsToMs(
      numberOption(
        "request-timeout",
        values["request-timeout"],
        env,
        undefined,
        { min: 0.001, max: 3600, unit: "seconds" },
        30,
      ),
    ),
  };
}

/**
 * One `--cors-origin` entry, as a browser writes the `Origin` header: the CORS plugin compares
 * the text exactly, so `https://Good.Example` or `https://b.example:443` never matched and
 * CORS failed without a word. WHATWG URL gives the form browsers send (lower-case host,
 * punycode, no default port); an entry that is not already in it is refused, naming it.
 */
function checkCorsOrigin(name: string, origin: string): void {
  const expected = `${name} expects origins such as https://example.org (no path)`;
  if (!/^https?:\/\/[^/\s]+$/.test(origin)) throw new UsageError(`${expected}, got "${origin}"`);
  let canonical: string;
  try {
    canonical = new URL(origin).origin;
  } catch {
    throw new UsageError(`${expected}, got "${origin}", which is not a URL`);
  }
  if (canonical !== origin) {
    throw new UsageError(
      `${name}: "${origin}" is not an origin as browsers send it (lower-case, no default port, nothing after the port); write "${canonical}"`,
    );
  }
}

/**
 * Seconds as whole milliseconds: Fastify refuses a request timeout that is not an integer (it
 * stopped the server at start), and Node's timers count whole milliseconds anyway. The rule's
 * minimum, 1 ms, keeps it above 0, which Node reads as no timeout at all.
 */
function secondsToMs(seconds: number): number {
  return Math.max(1, Math.round(seconds * 1000));
}

const PORT_RULE: NumberRule = { integer: true, min: 0, max: 65_535 };

/** A database URL as it may be logged or shown: the password replaced. */
export function redactUrl(url: string): string {
  return url.replace(/(\/\/[^:/@]+:)[^@]*@/, "$1***@");
}

const FLAGS = {
  host: { type: "string" },
  port: { type: "string" },
  "data-dir": { type: "string" },
  "database-url": { type: "string" },
  "log-level": { type: "string" },
  "api-keys-file": { type: "string" },
  "open-reads": { type: "boolean" },
  "cors-origin": { type: "string" },
  "rate-limit": { type: "string" },
  "trust-proxy": { type: "boolean" },
  "body-limit": { type: "string" },
  "upload-limit": { type: "string" },
  "request-timeout": { type: "string" },
  help: { type: "boolean", short: "h" },
  version: { type: "boolean", short: "V" },
} as const;
