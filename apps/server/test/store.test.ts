import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MIGRATIONS, migrate } from "../src/store/migrations.ts";
import { OpeningStore } from "../src/store/opening-store.ts";
import { openPglite } from "../src/store/pglite-client.ts";
import { openPostgres } from "../src/store/postgres-client.ts";
import { MAX_PROJECTS, SqlRunStore } from "../src/store/run-store.ts";
import type { SqlClient } from "../src/store/sql-client.ts";
import { memoryStore } from "./support/app.test-support.ts";
import {
  type PostgresServer,
  postgresUnavailable,
  startPostgres,
} from "./support/postgres-server.test-support.ts";
import { runResult } from "./support/runs.test-support.ts";

const HOOK_TIMEOUT_MS = 180_000;

describe("migrations", () => {
  it("never drop, truncate, delete or rewrite a run or the history", () => {
    for (const migration of MIGRATIONS) {
      // No migration removes anything, anywhere.
      expect(migration.sql).not.toMatch(/\b(drop|rename)\b/i);
      // A TRUNCATE statement, not a trigger AFTER TRUNCATE ON a table.
      expect(migration.sql).not.toMatch(/\btruncate\s+(?!on\b)\w/i);
      // Only derived tables (the project totals, kept by triggers) are ever updated.
      expect(migration.sql).not.toMatch(
        /\b(delete\s+from|update)\s+(only\s+)?wattprint_(runs|migrations)\b/i,
      );
      expect(migration.sql).not.toMatch(/\bdelete\s+from\b/i);
    }
  });
  it("are numbered 1, 2, 3... without gaps", () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
  });
});

interface Backend {
  readonly name: string;
  readonly skip?: string | undefined;
  open(): Promise<SqlClient>;
  teardown(): Promise<void>;
}

let postgres: PostgresServer | undefined;
const backends: Backend[] = [
  { name: "PGlite", open: () => openPglite(undefined), teardown: async () => {} },
  {
    name: "PostgreSQL",
    ...(postgresUnavailable() !== undefined ? { skip: postgresUnavailable() } : {}),
    open: async () => {
      postgres ??= await startPostgres();
      return openPostgres(postgres.url);
    },
    teardown: async () => {
      await postgres?.stop();
    },
  },
];

describe.each(backends)("run store on $name", (backend) => {
  let client: SqlClient;
  let store: SqlRunStore;

  beforeAll(async () => {
    if (backend.skip !== undefined) return;
    client = await backend.open();
    store = new SqlRunStore(client);
  }, HOOK_TIMEOUT_MS);
  afterAll(async () => {
    if (backend.skip !== undefined) return;
    await client.close();
    await backend.teardown();
  }, HOOK_TIMEOUT_MS);

  // A backend that cannot run here says so by name in the report, and fails where CI has it.
  const test = backend.skip === undefined ? it : it.skip;
  if (backend.skip !== undefined && process.env.CI) {
    it("can start (CI installs postgresql)", () => {
      expect.fail(backend.skip);
    });
  }

  test("applies every migration once, and again none", async () => {
    const first = await migrate(client);
    expect(first.applied).toEqual(MIGRATIONS.map((m) => m.version));
    const again = await migrate(client);
    expect(again.applied).toEqual([]);
    expect(again.version).toBe(MIGRATIONS.length);
    const recorded = await client.query<{ version: number }>(
      "SELECT version FROM wattprint_migrations ORDER BY version",
    );
    expect(recorded.map((row) => row.version)).toEqual(MIGRATIONS.map((m) => m.version));
  });

  test("refuses a database whose schema is newer than the server", async () => {
    await expect(migrate(client, MIGRATIONS.slice(0, 0))).rejects.toThrow(
      /newer than this server's 0: upgrade the server/,
    );
  });

  test("stores a run and reads it back whole", async () => {
    const result = {
      ...runResult("2026-03-02T10:00:00Z", 1, 0.5, 70),
      extra: { nested: [1, "two"] },
    };
    const inserted = await store.insert({ project: "read-back", tags: ["gpu"], result });
    expect(inserted.ok).toBe(true);
    if (!inserted.ok) return;
    expect(inserted.value.created).toBe(true);
    const { run } = inserted.value;
    expect(run).toMatchObject({
      project: "read-back",
      tags: ["gpu"],
      startedAt: "2026-03-02T10:00:00.000Z",
      endedAt: "2026-03-02T11:00:00.000Z",
      durationS: 3600,
      energyKWh: 0.5,
      co2G: 70,
      zone: "ES",
    });
    const read = await store.get(run.id);
    expect(read.ok && read.value?.result).toEqual(result);
    const missing = await store.get(randomUUID());
    expect(missing).toEqual({ ok: true, value: undefined });
  });

  test("stores a run reported twice with the same id once", async () => {
    const id = randomUUID();
    const run = {
      id,
      project: "retry",
      tags: [],
      result: runResult("2026-03-03T00:00:00Z", 1, 1, 1),
    };
    const first = await store.insert(run);
    const second = await store.insert(run);
    expect(first.ok && first.value.created).toBe(true);
    expect(second.ok && second.value.created).toBe(false);
    expect(second.ok && second.value.run.startedAt).toBe("2026-03-03T00:00:00.000Z");
    // Another run under the same id is not a retry: refused, naming what differs.
    const other = await store.insert({
      ...run,
      result: runResult("2026-03-04T00:00:00Z", 2, 2, 2),
    });
    expect(!other.ok && other.error).toMatchObject({
      kind: "run-id-conflict",
      id,
      differs: ["result"],
    });
    const listed = await store.list({ project: "retry", tags: [], limit: 10 });
    expect(listed.ok && listed.value.runs.length).toBe(1);
  });

  test("keeps each project's totals as runs are written, stored twice, changed or removed by hand", async () => {
    const project = `totals-${randomUUID()}`;
    const moved = `${project}-moved`;
    const totals = async (name: string) => {
      const listed = await store.projects();
      if (!listed.ok) throw new Error(listed.error.message);
      return listed.value.projects.find((p) => p.project === name);
    };
    const id = randomUUID();
    const first = { id, project, tags: [], result: runResult("2026-05-01T00:00:00Z", 1, 2, 20) };
    await store.insert(first);
    await store.insert(first); // The same run reported twice is stored, and counted, once.
    await store.insert({ project, tags: [], result: runResult("2026-05-03T00:00:00Z", 1, 4, 40) });
    expect(await totals(project)).toEqual({
      project,
      runs: 2,
      energyKWh: 6,
      co2G: 60,
      lastStartedAt: "2026-05-03T00:00:00.000Z",
    });
    // An operator's own SQL: the trigger keeps the totals, whoever writes the runs.
    await client.query(
      "UPDATE wattprint_runs SET project = $1, energy_kwh = 8, co2_g = 80 WHERE id = $2",
      [moved, id],
    );
    expect(await totals(project)).toMatchObject({
      runs: 1,
      energyKWh: 4,
      co2G: 40,
      lastStartedAt: "2026-05-03T00:00:00.000Z",
    });
    expect(await totals(moved)).toMatchObject({ runs: 1, energyKWh: 8, co2G: 80 });
    await client.query("DELETE FROM wattprint_runs WHERE project = $1", [moved]);
    expect(await totals(moved)).toBeUndefined();
    expect(await totals(project)).toMatchObject({ runs: 1, energyKWh: 4 });
  });

  // Two connections at once: PGlite has one.
  (backend.name === "PostgreSQL" ? test : it.skip)(
    "keeps a project's latest start when a run is deleted while another is being stored",
    async () => {
      const url = postgres?.url;
      if (url === undefined) throw new Error("no PostgreSQL server");
      const a = new pg.Client(url);
      const b = new pg.Client(url);
      await a.connect();
      await b.connect();
      try {
        const project = `race-${randomUUID()}`;
        // Three runs in one totals row (shard), so the delete waits for the insert's lock.
        const ids: string[] = [];
        let shard: number | undefined;
        while (ids.length < 3) {
          const id = randomUUID();
          const rows = await a.query("SELECT wattprint_shard($1::uuid) AS s", [id]);
          shard ??= rows.rows[0].s;
          if (rows.rows[0].s === shard) ids.push(id);
        }
        const insert = (c: pg.Client, id: string | undefined, at: string) =>
          c.query(
            `INSERT INTO wattprint_runs (id, project, tags, kind, status, started_at, ended_at,
               duration_s, energy_kwh, co2_g, zone, result)
             VALUES ($1, $2, '{}', 'actual', 'complete', $3, $3, 1, 1, 1, 'ES', '{}')`,
            [id, project, at],
          );
        await insert(a, ids[0], "2024-01-01T00:00:00Z");
        await insert(a, ids[1], "2024-02-01T00:00:00Z");
        await b.query("BEGIN");
        await insert(b, ids[2], "2024-12-01T00:00:00Z");
        const deleted = a.query("DELETE FROM wattprint_runs WHERE id = $1", [ids[1]]);
        await new Promise((resolve) => setTimeout(resolve, 300));
        await b.query("COMMIT");
        await deleted;
        const listed = await store.projects();
        expect(listed.ok && listed.value.projects.find((p) => p.project === project)).toMatchObject(
          {
            runs: 2,
            lastStartedAt: "2024-12-01T00:00:00.000Z",
          },
        );
      } finally {
        await a.end();
        await b.end();
      }
    },
  );

  test("lists newest first, filtered by project, time and tags, a page at a time", async () => {
    const project = `paged-${randomUUID()}`;
    // 7 runs a day apart; the even ones tagged "even", every one tagged "all".
    for (let day = 1; day <= 7; day++) {
      const inserted = await store.insert({
        project,
        tags: day % 2 === 0 ? ["all", "even"] : ["all"],
        result: runResult(`2026-04-0${day}T12:00:00Z`, 1, day, day * 10),
      });
      expect(inserted.ok).toBe(true);
    }
    await store.insert({
      project: `${project}-other`,
      tags: ["all"],
      result: runResult("2026-04-05T00:00:00Z", 1, 1, 1),
    });

    const days = (runs: { startedAt: string }[]) =>
      runs.map((r) => Number(r.startedAt.slice(8, 10)));
    const seen: number[] = [];
    let cursor: { startedAt: string; id: string } | undefined;
    let pages = 0;
    do {
      const page = await store.list({ project, tags: [], limit: 3, ...(cursor ? { cursor } : {}) });
      if (!page.ok) throw new Error(page.error.message);
      seen.push(...days(page.value.runs));
      cursor = page.value.next;
      pages++;
    } while (cursor !== undefined && pages < 10);
    expect(seen).toEqual([7, 6, 5, 4, 3, 2, 1]);
    expect(pages).toBe(3);

    const tagged = await store.list({ project, tags: ["even", "all"], limit: 10 });
    expect(tagged.ok && days(tagged.value.runs)).toEqual([6, 4, 2]);
    const window = await store.list({
      project,
      since: new Date("2026-04-03T12:00:00Z"),
      until: new Date("2026-04-06T12:00:00Z"),
      tags: [],
      limit: 10,
    });
    expect(window.ok && days(window.value.runs)).toEqual([5, 4, 3]);
  });

  test("summarises a project by day, week and month in UTC", async () => {
    const project = `summary-${randomUUID()}`;
    // Monday 2026-06-01 and Sunday 2026-06-07 share an ISO week; 2026-06-08 starts the next.
    const runs = [
      ["2026-06-01T00:30:00Z", 1, 10],
      ["2026-06-01T23:30:00Z", 2, 20],
      ["2026-06-07T12:00:00Z", 4, 40],
      ["2026-06-08T12:00:00Z", 8, 80],
      ["2026-07-01T00:00:00Z", 16, 160],
    ] as const;
    for (const [at, kwh, g] of runs) {
      await store.insert({ project, tags: [], result: runResult(at, 1, kwh, g) });
    }
    const byDay = await store.summary(project, "day", {});
    expect(
      byDay.ok && byDay.value.periods.map((p) => [p.start.slice(0, 10), p.runs, p.energyKWh]),
    ).toEqual([
      ["2026-06-01", 2, 3],
      ["2026-06-07", 1, 4],
      ["2026-06-08", 1, 8],
      ["2026-07-01", 1, 16],
    ]);
    const byWeek = await store.summary(project, "week", {});
    expect(byWeek.ok && byWeek.value.periods.map((p) => [p.start.slice(0, 10), p.co2G])).toEqual([
      ["2026-06-01", 70],
      ["2026-06-08", 80],
      ["2026-06-29", 160],
    ]);
    const byMonth = await store.summary(project, "month", {
      since: new Date("2026-06-02T00:00:00Z"),
    });
    expect(
      byMonth.ok && byMonth.value.periods.map((p) => [p.start.slice(0, 7), p.runs, p.durationS]),
    ).toEqual([
      ["2026-06", 2, 7200],
      ["2026-07", 1, 3600],
    ]);
    const projects = await store.projects();
    expect(projects.ok && projects.value.truncated).toBe(false);
    expect(projects.ok && projects.value.projects.find((p) => p.project === project)).toMatchObject(
      {
        runs: 5,
        energyKWh: 31,
        co2G: 310,
        lastStartedAt: "2026-07-01T00:00:00.000Z",
      },
    );
  });

  // A database whose default isolation is REPEATABLE READ: every insert updates the project's
  // shared totals row, and concurrent ones failed with SQLSTATE 40001 (a 503 to the client).
  const onPostgres = backend.name === "PostgreSQL" ? test : it.skip;
  onPostgres("stores concurrent runs of one project under default repeatable read", async () => {
    const database = `wattprint_rr_${randomUUID().replaceAll("-", "")}`;
    await client.exec(`CREATE DATABASE ${database}`);
    await client.exec(
      `ALTER DATABASE ${database} SET default_transaction_isolation = 'repeatable read'`,
    );
    const url = new URL(postgres?.url ?? "");
    url.pathname = `/${database}`;
    const strict = await openPostgres(url.toString());
    try {
      await migrate(strict);
      // The database's default is REPEATABLE READ; the server's connections run at READ COMMITTED.
      const [setting] = await strict.query<{ config: string[] }>(
        `SELECT s.setconfig AS config FROM pg_db_role_setting AS s
           JOIN pg_database AS d ON d.oid = s.setdatabase WHERE d.datname = $1`,
        [database],
      );
      expect(setting?.config).toContain("default_transaction_isolation=repeatable read");
      const [level] = await strict.query<{ level: string }>(
        "SELECT current_setting('transaction_isolation') AS level",
      );
      expect(level?.level).toBe("read committed");
      const rrStore = new SqlRunStore(strict);
      const runs = 40;
      const results = await Promise.all(
        Array.from({ length: runs }, (_, i) =>
          rrStore.insert({
            project: "busy",
            tags: [],
            result: runResult(new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString(), 1, 1, 1),
          }),
        ),
      );
      expect(results.filter((r) => !r.ok).map((r) => !r.ok && r.error)).toEqual([]);
      const projects = await rrStore.projects();
      expect(projects.ok && projects.value.projects).toEqual([
        expect.objectContaining({ project: "busy", runs }),
      ]);
    } finally {
      await strict.close();
    }
  });
});

describe("migration 2, the project totals", () => {
  it("starts from the runs a version-1 database already holds, and a TRUNCATE empties them", async () => {
    const client = await openPglite(undefined);
    try {
      await migrate(client, MIGRATIONS.slice(0, 1));
      const store = new SqlRunStore(client);
      for (const [at, kwh] of [
        ["2026-01-01T00:00:00Z", 1],
        ["2026-01-05T00:00:00Z", 2],
      ] as const) {
        const inserted = await store.insert({
          project: "old",
          tags: [],
          result: runResult(at, 1, kwh, kwh * 10),
        });
        expect(inserted.ok).toBe(true);
      }
      expect((await migrate(client)).applied).toEqual(MIGRATIONS.slice(1).map((m) => m.version));
      const listed = await store.projects();
      expect(listed.ok && listed.value.projects).toEqual([
        {
          project: "old",
          runs: 2,
          energyKWh: 3,
          co2G: 30,
          lastStartedAt: "2026-01-05T00:00:00.000Z",
        },
      ]);
      await client.query("TRUNCATE wattprint_runs");
      const emptied = await store.projects();
      expect(emptied.ok && emptied.value.projects).toEqual([]);
    } finally {
      await client.close();
    }
  });
});

describe("the project list", () => {
  it("says when it was cut at MAX_PROJECTS", async () => {
    const store = await memoryStore();
    try {
      for (let first = 0; first <= MAX_PROJECTS; first += 100) {
        await Promise.all(
          Array.from({ length: Math.min(100, MAX_PROJECTS + 1 - first) }, (_, i) =>
            store.insert({
              project: `p${String(first + i).padStart(4, "0")}`,
              tags: [],
              result: runResult("2026-01-01T00:00:00Z", 1, 1, 1),
            }),
          ),
        );
      }
      const listed = await store.projects();
      if (!listed.ok) throw new Error(listed.error.message);
      expect(listed.value.projects).toHaveLength(MAX_PROJECTS);
      expect(listed.value.truncated).toBe(true);
      expect(listed.value.projects.at(-1)?.project).toBe("p0999");
    } finally {
      await store.close();
    }
    // 1,001 inserts into PGlite: a loaded CI run took past the default 20 s.
  }, 90_000);
});

describe("a store still opening, or that failed to open", () => {
  it("says so to clients, and keeps the reason for the log", async () => {
    let finish: (result: Awaited<ConstructorParameters<typeof OpeningStore>[1]>) => void = () => {};
    const opening = new OpeningStore(
      "pglite",
      new Promise((resolve) => {
        finish = resolve;
      }),
    );
    const early = await opening.ping();
    expect(!early.ok && early.error).toMatchObject({
      message: "the run store is still opening; retry shortly",
    });
    finish({
      ok: false,
      error: {
        kind: "store-open-failed",
        message: "cannot open PGlite in /srv/secret/data: EACCES",
      },
    });
    await opening.settled;
    const failed = await opening.ping();
    expect(!failed.ok && failed.error).toEqual({
      kind: "store-unavailable",
      message: "the run store could not be opened; the server log says why",
      cause: "cannot open PGlite in /srv/secret/data: EACCES",
    });
  });
});

describe("a store whose database is gone", () => {
  it("answers every call with store-unavailable, never a throw", async () => {
    // A port nothing listens on: the pool's connection attempt is refused at once.
    const client = await openPostgres("postgres://nobody@127.0.0.1:1/none");
    const store = new SqlRunStore(client);
    const ping = await store.ping();
    expect(ping.ok).toBe(false);
    if (!ping.ok) {
      expect(ping.error.kind).toBe("store-unavailable");
      // The client's words never quote the database; the log's do.
      expect(ping.error.message).toBe("the run store failed to answer; the server log says why");
      expect(ping.error.cause).toMatch(/ECONNREFUSED|connect/);
    }
    const insert = await store.insert({
      project: "x",
      tags: [],
      result: runResult("2026-01-01T00:00:00Z", 1, 1, 1),
    });
    expect(insert.ok).toBe(false);
    await client.close();
  });
});
