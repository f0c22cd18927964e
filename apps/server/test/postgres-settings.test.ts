import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MIGRATIONS, migrate } from "../src/store/migrations.ts";
import { openPostgres, sqlClientOnPool } from "../src/store/postgres-client.ts";
import { SqlRunStore } from "../src/store/run-store.ts";
import type { SqlClient } from "../src/store/sql-client.ts";
import {
  type PostgresServer,
  postgresUnavailable,
  startPostgres,
} from "./support/postgres-server.test-support.ts";
import { runResult } from "./support/runs.test-support.ts";

/**
 * The store against a PostgreSQL server whose databases default to REPEATABLE READ, reached
 * through URLs that carry their own `options`, and from a process whose TZ is not UTC: what
 * the server must hold whatever the database, its URL and the process' zone say.
 */
const HOOK_TIMEOUT_MS = 180_000;
const skip = postgresUnavailable();
const test = skip === undefined ? it : it.skip;

let server: PostgresServer | undefined;
let admin: pg.Client | undefined;

/** A fresh database defaulting to REPEATABLE READ; its URL with `query` appended. */
async function repeatableReadDatabase(name: string, query = ""): Promise<string> {
  if (server === undefined || admin === undefined) throw new Error("no server");
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.query(`ALTER DATABASE ${name} SET default_transaction_isolation = 'repeatable read'`);
  return `${server.url.replace(/\/postgres$/, `/${name}`)}${query}`;
}

/** A SqlClient on a pool with no setting of its own: the database's default isolation. */
function barePool(url: string): SqlClient {
  return sqlClientOnPool(new pg.Pool({ connectionString: url, max: 2 }));
}

beforeAll(async () => {
  if (skip !== undefined) return;
  server = await startPostgres();
  admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
}, HOOK_TIMEOUT_MS);
afterAll(async () => {
  await admin?.end();
  await server?.stop();
}, HOOK_TIMEOUT_MS);

describe("PostgreSQL under a REPEATABLE READ default", () => {
  if (skip !== undefined && process.env.CI) {
    it("can start (CI installs postgresql)", () => {
      throw new Error(skip);
    });
  }

  test("runs at READ COMMITTED when the URL carries options of its own, and concurrent inserts of one project all land", async () => {
    const url = await repeatableReadDatabase(
      "with_options",
      `?options=${encodeURIComponent("-c search_path=public")}`,
    );
    const client = await openPostgres(url);
    try {
      const [setting] = await client.query<{ transaction_isolation: string }>(
        "SHOW transaction_isolation",
      );
      expect(setting?.transaction_isolation).toBe("read committed");
      // The URL's own option still applies.
      const [path] = await client.query<{ search_path: string }>("SHOW search_path");
      expect(path?.search_path).toBe("public");
      await migrate(client);
      const store = new SqlRunStore(client);
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          store.insert({
            project: "busy",
            tags: [],
            result: runResult(`2026-05-01T00:00:${String(i).padStart(2, "0")}Z`, 1, 1, 1),
          }),
        ),
      );
      expect(results.filter((r) => !r.ok)).toEqual([]);
      const projects = await store.projects();
      expect(projects.ok && projects.value.projects[0]?.runs).toBe(20);
    } finally {
      await client.close();
    }
  });

  test("servers migrating a fresh database together apply each migration once, and all start", async () => {
    const url = await repeatableReadDatabase("fresh");
    const clients = [barePool(url), barePool(url), barePool(url)];
    try {
      const outcomes = await Promise.allSettled(clients.map((client) => migrate(client)));
      const failed = outcomes.flatMap((o) => (o.status === "rejected" ? [String(o.reason)] : []));
      expect(failed).toEqual([]);
      const applied = outcomes.flatMap((o) => (o.status === "fulfilled" ? o.value.applied : []));
      expect(applied.sort()).toEqual(MIGRATIONS.map((m) => m.version));
    } finally {
      await Promise.all(clients.map((client) => client.close()));
    }
  });
});

describe("PostgreSQL with the server's TZ at a zone whose offset had seconds", () => {
  test("since and until are the instants asked for (Africa/Monrovia was -0:44:30 in 1970)", async () => {
    if (server === undefined || admin === undefined) throw new Error("no server");
    await admin.query("CREATE DATABASE zoned");
    const client = await openPostgres(server.url.replace(/\/postgres$/, "/zoned"));
    const zone = process.env.TZ;
    // Node reads TZ again when it is assigned: node-postgres' Date writer sees the new zone.
    process.env.TZ = "Africa/Monrovia";
    try {
      await migrate(client);
      const store = new SqlRunStore(client);
      for (const at of ["00:00:10", "00:00:40", "00:01:00"]) {
        const stored = await store.insert({
          project: "monrovia",
          tags: [],
          result: runResult(`1970-01-01T${at}Z`, 1, 1, 1),
        });
        expect(stored.ok).toBe(true);
      }
      const until = await store.list({
        project: "monrovia",
        until: new Date("1970-01-01T00:00:30Z"),
        tags: [],
        limit: 10,
      });
      expect(until.ok && until.value.runs.map((r) => r.startedAt)).toEqual([
        "1970-01-01T00:00:10.000Z",
      ]);
      const since = await store.list({
        project: "monrovia",
        since: new Date("1970-01-01T00:00:30Z"),
        tags: [],
        limit: 10,
      });
      expect(since.ok && since.value.runs.length).toBe(2);
      const summary = await store.summary("monrovia", "day", {
        since: new Date("1970-01-01T00:00:00Z"),
        until: new Date("1970-01-01T00:00:50Z"),
      });
      expect(summary.ok && summary.value.periods.map((p) => p.runs)).toEqual([2]);
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
      await client.close();
    }
  });
});
