import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll } from "vitest";
import { type AppSettings, type BuiltApp, buildApp, DEFAULT_APP_SETTINGS } from "../../src/app.ts";
import { migrate } from "../../src/store/migrations.ts";
import { openPglite } from "../../src/store/pglite-client.ts";
import { type RunStore, SqlRunStore } from "../../src/store/run-store.ts";

/** An in-memory PGlite run store, migrated (PGlite takes seconds to start: one per file). */
export async function memoryStore(): Promise<RunStore> {
  const client = await openPglite(undefined);
  await migrate(client);
  return new SqlRunStore(client);
}

/** The app on `store` with the defaults of a test (no auth, no limit) and `overrides`. */
export function testApp(store: RunStore, overrides: Partial<AppSettings> = {}): Promise<BuiltApp> {
  return buildApp(store, { ...DEFAULT_APP_SETTINGS, ...overrides });
}

/**
 * One app over its own in-memory store for a test file: opened before the file's tests,
 * closed after them. Read `app` and `store` inside tests (they exist once `beforeAll` ran).
 */
export function appForFile(overrides: Partial<AppSettings> = {}): {
  readonly app: FastifyInstance;
  readonly store: RunStore;
} {
  let store: RunStore | undefined;
  let app: FastifyInstance | undefined;
  beforeAll(async () => {
    store = await memoryStore();
    ({ app } = await testApp(store, overrides));
  });
  afterAll(async () => {
    await app?.close();
    await store?.close();
  });
  const opened = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error("the file's app is read before beforeAll opened it");
    return value;
  };
  return {
    get app() {
      return opened(app);
    },
    get store() {
      return opened(store);
    },
  };
}

/** A multipart/form-data body of files, written by hand so a test can also break it. */
export function multipart(
  files: readonly { name: string; content: string; field?: string }[],
  boundary = "----wattprint-test-boundary",
): { body: Buffer; contentType: string } {
  const parts = files.map(
    (file) =>
      `--${boundary}\r\nContent-Disposition: form-data; name="${file.field ?? "files"}"; filename="${file.name}"\r\nContent-Type: text/plain\r\n\r\n${file.content}\r\n`,
  );
  return {
    body: Buffer.from(`${parts.join("")}--${boundary}--\r\n`, "utf8"),
    contentType: `multipart/form-data; boundary=${boundary}`,
  };
}

/** POSTs `files` to /v1/logs/parse on `app` as a multipart form, `cut` bytes dropped from its end. */
export function uploadLogs(
  app: FastifyInstance,
  files: Parameters<typeof multipart>[0],
  cut = 0,
): Promise<LightMyRequestResponse> {
  const { body, contentType } = multipart(files);
  return app.inject({
    method: "POST",
    url: "/v1/logs/parse",
    headers: { "content-type": contentType },
    payload: body.subarray(0, body.length - cut),
  });
}
