import { open } from "node:fs/promises";
import { packageVersion, UsageError } from "@wattprint/node";
import { buildApp } from "./app.ts";
import { parseKeysFile } from "./http/auth.ts";
import type { ServerIo } from "./io.ts";
import { HELP, parseServerOptions, redactUrl, type ServerOptions } from "./options.ts";
import { openRunStore } from "./store/open-store.ts";
import { OpeningStore } from "./store/opening-store.ts";

/**
 * A keys file holds a few lines; this much is far more than any, and the read stops there, so
 * a file named by mistake (a log, /dev/zero) is an error rather than all of memory.
 */
const MAX_KEYS_FILE_BYTES = 1024 * 1024;

/** The file's first `MAX_KEYS_FILE_BYTES` as UTF-8, or undefined when it holds more. */
async function readKeysFile(path: string): Promise<string | undefined> {
  const file = await open(path, "r");
  try {
    const buffer = Buffer.alloc(MAX_KEYS_FILE_BYTES + 1);
    let filled = 0;
    while (filled < buffer.length) {
      const { bytesRead } = await file.read(buffer, filled, buffer.length - filled, null);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return filled > MAX_KEYS_FILE_BYTES ? undefined : buffer.toString("utf8", 0, filled);
  } finally {
    await file.close();
  }
}

/** How long a stop waits for requests in flight before it cuts their connections. */
const STOP_DEADLINE_MS = 30_000;

async function apiKeys(options: ServerOptions): Promise<string[]> {
  if (options.apiKeysFile === undefined) return [...options.apiKeys];
  let text: string | undefined;
  try {
    text = await readKeysFile(options.apiKeysFile);
  } catch (error) {
    throw new UsageError(
      `--api-keys-file: cannot read ${options.apiKeysFile}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (text === undefined) {
    throw new UsageError(
      `--api-keys-file: ${options.apiKeysFile} holds more than ${MAX_KEYS_FILE_BYTES} bytes; a keys file is one key a line`,
    );
  }
  const parsed = parseKeysFile(text);
  if ("problem" in parsed) {
    // The key itself is never echoed: the line number is enough to find it.
    throw new UsageError(
      `--api-keys-file: the key on line ${parsed.line} of ${options.apiKeysFile} ${parsed.problem}`,
    );
  }
  const keys = parsed.keys;
  if (keys.length === 0)
    throw new UsageError(`--api-keys-file: ${options.apiKeysFile} holds no key`);
  return [...options.apiKeys, ...keys];
}

/**
 * Wiring only: flags and env in, the store opened and migrated, the app listening, and on
 * SIGINT/SIGTERM a graceful stop (requests in flight finish, then the database closes).
 */
export async function serve(argv: readonly string[], io: ServerIo): Promise<number> {
  let options: ServerOptions;
  let keys: string[];
  try {
    const parsed = parseServerOptions(argv, io.env);
    if (parsed === "help") {
      io.stdout(HELP);
      return 0;
    }
    if (parsed === "version") {
      const version = packageVersion(new URL("../package.json", import.meta.url));
      io.stdout(`${version.ok ? version.value : `unknown (${version.error.message})`}\n`);
      return 0;
    }
    options = parsed;
    keys = await apiKeys(options);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr(`wattprint-server: ${error.message} (see --help)\n`);
    return 2;
  }
  const where =
    options.databaseUrl !== undefined
      ? redactUrl(options.databaseUrl)
      : `pglite:${options.dataDir}`;
  // Listening does not wait for the database: estimates need none, and /readyz answers 503
  // until the store is open (a first PGlite start creates its files for several seconds).
  const store = new OpeningStore(
    options.databaseUrl !== undefined ? "postgres" : "pglite",
    openRunStore(
      options.databaseUrl !== undefined
        ? { databaseUrl: options.databaseUrl }
        : { dataDir: options.dataDir },
    ),
  );
  const { app } = await buildApp(store, {
    ...options,
    apiKeys: keys,
    logWrite: (line) => io.stderr(line),
  });
  let stopping: Promise<void> | undefined;
  const stop = (signal: string): Promise<void> => {
    stopping ??= (async () => {
      app.log.info({ signal }, "stopping: finishing requests in flight");
      // close() stops accepting, waits for requests in flight, then runs onClose hooks. A
      // request that never ends (a client trickling its body) must not hold the stop for ever:
      // past the deadline every connection is cut, and the log says so.
      let deadline: NodeJS.Timeout | undefined;
      const closed = app.close();
      await Promise.race([
        closed,
        new Promise<void>((resolve) => {
          deadline = setTimeout(() => {
            app.log.warn(
              { deadlineMs: STOP_DEADLINE_MS },
              "stopping: requests still in flight at the deadline; closing their connections",
            );
            app.server.closeAllConnections();
            resolve();
          }, STOP_DEADLINE_MS);
          deadline.unref();
        }),
      ]);
      await closed;
      clearTimeout(deadline);
      await store.close();
      app.log.info("stopped");
    })();
    return stopping;
  };
  io.onStopSignal((signal) => void stop(signal));
  try {
    await app.listen({ host: options.host, port: options.port });
  } catch (error) {
    app.log.error(
      { reason: error instanceof Error ? error.message : String(error) },
      "cannot listen",
    );
    await store.close();
    return 1;
  }
  const address = app.server.address();
  const port = typeof address === "object" && address !== null ? address.port : options.port;
  const host = options.host.includes(":") ? `[${options.host}]` : options.host;
  const url = `http://${host}:${port}`;
  app.log.info(
    {
      url,
      store: where,
      auth: keys.length > 0 ? { keys: keys.length, openReads: options.openReads } : "off",
      rateLimitPerMinute: options.rateLimitPerMinute,
    },
    "listening",
  );
  io.onListening?.(url);
  const opened = await store.settled;
  if (opened.ok) {
    app.log.info({ store: where, migrated: opened.value.migrated }, "run store ready");
  } else {
    app.log.error({ store: where, reason: opened.error.message }, "cannot open the run store");
    await stop("store-open-failed");
    return 1;
  }
  await new Promise<void>((resolve) => {
    if (!app.server.listening) resolve();
    else app.server.once("close", () => resolve());
  });
  await stopping;
  return 0;
}
