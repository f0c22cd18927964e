import type { SqlClient } from "./sql-client.ts";

export interface Migration {
  /** 1, 2, 3, ...: applied in order, each once, recorded in `wattprint_migrations`. */
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

/**
 * The run store's schema history. Append only: a released migration is never edited, and
 * none drops, truncates, deletes or rewrites data (a test reads every statement), so a
 * server of any version starts on a database another version created without losing a run.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "runs",
    sql: `
CREATE TABLE IF NOT EXISTS wattprint_runs (
  id uuid PRIMARY KEY,
  project text NOT NULL,
  tags text[] NOT NULL DEFAULT '{}',
  kind text NOT NULL,
  status text NOT NULL,
  started_at timestamptz NOT NULL,
  ended_at timestamptz NOT NULL,
  duration_s double precision NOT NULL,
  energy_kwh double precision NOT NULL,
  co2_g double precision NOT NULL,
  zone text NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  result jsonb NOT NULL
);
CREATE INDEX IF NOT EXISTS wattprint_runs_project_started
  ON wattprint_runs (project, started_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS wattprint_runs_started ON wattprint_runs (started_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS wattprint_runs_tags ON wattprint_runs USING gin (tags);
`,
  },
];

/** Any number: one lock for every wattprint server sharing the database. */
const MIGRATION_LOCK = 0x77617474;

export class MigrationError extends Error {}

/**
 * Brings the schema up to date in one transaction, under an advisory lock so that servers
 * starting together behind a load balancer migrate once. A database newer than this server
 * (a later version ran first) is refused rather than written with old assumptions.
 */
export async function migrate(
  client: SqlClient,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<{ readonly applied: readonly number[]; readonly version: number }> {
  return client.transaction(async (tx) => {
    await tx.query("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK]);
    await tx.query(`CREATE TABLE IF NOT EXISTS wattprint_migrations (
      version integer PRIMARY KEY,
      name text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const rows = await tx.query<{ version: number }>(
      "SELECT version FROM wattprint_migrations ORDER BY version",
    );
    const done = new Set(rows.map((row) => row.version));
    const known = Math.max(0, ...migrations.map((m) => m.version));
    const newest = Math.max(0, ...done);
    if (newest > known) {
      throw new MigrationError(
        `the database's schema is at version ${newest}, newer than this server's ${known}: upgrade the server`,
      );
    }
    const applied: number[] = [];
    for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
      if (done.has(migration.version)) continue;
      await tx.exec(migration.sql);
      await tx.query("INSERT INTO wattprint_migrations (version, name) VALUES ($1, $2)", [
        migration.version,
        migration.name,
      ]);
      applied.push(migration.version);
    }
    return { applied, version: Math.max(newest, ...applied) };
  });
}
