import type { SqlClient } from "./sql-client.ts";

export interface Migration {
  /** 1, 2, 3, ...: applied in order, each once, recorded in `wattprint_migrations`. */
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

/**
 * The run store's schema history. Append only: a released migration is never edited, and
 * none drops, truncates, deletes or rewrites a run or the history (a test reads every
 * statement), so a server of any version starts on a database another version created
 * without losing a run. Derived tables (the project totals) are written by triggers only.
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
  {
    // GET /v1/projects summed every run on each call: 100 ms over 200,000 runs on PGlite,
    // which runs on the server's event loop. The totals are kept per project instead, by a
    // trigger, so they hold whichever server version (or person) writes the runs.
    version: 2,
    name: "project totals",
    sql: `
CREATE TABLE IF NOT EXISTS wattprint_project_totals (
  project text NOT NULL,
  -- Runs are spread over 8 rows a project by their id, so servers storing runs of one project
  -- at once do not all wait on one row's lock; the list adds a project's rows up.
  shard smallint NOT NULL,
  runs bigint NOT NULL,
  energy_kwh double precision NOT NULL,
  co2_g double precision NOT NULL,
  last_started_at timestamptz,
  PRIMARY KEY (project, shard)
);
CREATE OR REPLACE FUNCTION wattprint_shard(id uuid) RETURNS smallint
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT (hashtext(id::text) & 7)::smallint $$;
-- Statement triggers over transition tables: one upsert a statement, whatever its rows (a
-- row trigger made a bulk INSERT of 200,000 runs take 30 times as long).
CREATE OR REPLACE FUNCTION wattprint_project_totals_track() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('DELETE', 'UPDATE') THEN
    -- A project whose last run goes keeps its row at 0 runs; the list leaves it out.
    UPDATE wattprint_project_totals AS t
       SET runs = t.runs - gone.runs,
           energy_kwh = t.energy_kwh - gone.energy_kwh,
           co2_g = t.co2_g - gone.co2_g
      FROM (SELECT project, wattprint_shard(id) AS shard, count(*) AS runs,
                   sum(energy_kwh) AS energy_kwh, sum(co2_g) AS co2_g
              FROM old_runs GROUP BY 1, 2) AS gone
     WHERE t.project = gone.project AND t.shard = gone.shard;
    -- The latest start, in a statement of its own: the one above may have waited for a writer
    -- of the same rows, and only a later statement's snapshot sees that writer's runs (in one
    -- statement a run inserted meanwhile was missed, and the date stayed old).
    UPDATE wattprint_project_totals AS t
       SET last_started_at = (SELECT max(r.started_at) FROM wattprint_runs AS r
                               WHERE r.project = t.project AND wattprint_shard(r.id) = t.shard)
     WHERE (t.project, t.shard) IN (SELECT project, wattprint_shard(id) FROM old_runs);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO wattprint_project_totals AS t
           (project, shard, runs, energy_kwh, co2_g, last_started_at)
    SELECT project, wattprint_shard(id), count(*), sum(energy_kwh), sum(co2_g), max(started_at)
      FROM new_runs GROUP BY 1, 2
    ON CONFLICT (project, shard) DO UPDATE
       SET runs = t.runs + EXCLUDED.runs,
           energy_kwh = t.energy_kwh + EXCLUDED.energy_kwh,
           co2_g = t.co2_g + EXCLUDED.co2_g,
           last_started_at = GREATEST(t.last_started_at, EXCLUDED.last_started_at);
  END IF;
  RETURN NULL;
END
$$;
CREATE OR REPLACE FUNCTION wattprint_project_totals_clear() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE wattprint_project_totals SET runs = 0, energy_kwh = 0, co2_g = 0, last_started_at = NULL;
  RETURN NULL;
END
$$;
-- The triggers first: they lock the runs against writers until this transaction commits, so
-- no run lands between the sums below and the triggers that keep them.
CREATE TRIGGER wattprint_project_totals_insert AFTER INSERT ON wattprint_runs
  REFERENCING NEW TABLE AS new_runs
  FOR EACH STATEMENT EXECUTE FUNCTION wattprint_project_totals_track();
CREATE TRIGGER wattprint_project_totals_update AFTER UPDATE ON wattprint_runs
  REFERENCING OLD TABLE AS old_runs NEW TABLE AS new_runs
  FOR EACH STATEMENT EXECUTE FUNCTION wattprint_project_totals_track();
CREATE TRIGGER wattprint_project_totals_delete AFTER DELETE ON wattprint_runs
  REFERENCING OLD TABLE AS old_runs
  FOR EACH STATEMENT EXECUTE FUNCTION wattprint_project_totals_track();
CREATE TRIGGER wattprint_project_totals_clear AFTER TRUNCATE ON wattprint_runs
  FOR EACH STATEMENT EXECUTE FUNCTION wattprint_project_totals_clear();
INSERT INTO wattprint_project_totals (project, shard, runs, energy_kwh, co2_g, last_started_at)
SELECT project, wattprint_shard(id), count(*), sum(energy_kwh), sum(co2_g), max(started_at)
  FROM wattprint_runs GROUP BY 1, 2;
`,
  },
  {
    // Float sums depend on the order of the additions: the same runs gave 7.740000000000002
    // kWh for a month on PGlite, ...001 on PostgreSQL and 7.74 in the project list. Totals are
    // now exact (numeric) and rounded once, when read. Each value goes through its text,
    // PostgreSQL's shortest exact form: a float8 cast straight to numeric keeps 15 digits.
    version: 3,
    name: "exact project totals",
    sql: `
ALTER TABLE wattprint_project_totals
  ALTER COLUMN energy_kwh TYPE numeric,
  ALTER COLUMN co2_g TYPE numeric;
CREATE OR REPLACE FUNCTION wattprint_project_totals_track() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('DELETE', 'UPDATE') THEN
    UPDATE wattprint_project_totals AS t
       SET runs = t.runs - gone.runs,
           energy_kwh = t.energy_kwh - gone.energy_kwh,
           co2_g = t.co2_g - gone.co2_g
      FROM (SELECT project, wattprint_shard(id) AS shard, count(*) AS runs,
                   sum(energy_kwh::text::numeric) AS energy_kwh,
                   sum(co2_g::text::numeric) AS co2_g
              FROM old_runs GROUP BY 1, 2) AS gone
     WHERE t.project = gone.project AND t.shard = gone.shard;
    -- In a statement of its own, as in migration 2: it sees writers the one above waited for.
    UPDATE wattprint_project_totals AS t
       SET last_started_at = (SELECT max(r.started_at) FROM wattprint_runs AS r
                               WHERE r.project = t.project AND wattprint_shard(r.id) = t.shard)
     WHERE (t.project, t.shard) IN (SELECT project, wattprint_shard(id) FROM old_runs);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO wattprint_project_totals AS t
           (project, shard, runs, energy_kwh, co2_g, last_started_at)
    SELECT project, wattprint_shard(id), count(*), sum(energy_kwh::text::numeric),
           sum(co2_g::text::numeric), max(started_at)
      FROM new_runs GROUP BY 1, 2
    ON CONFLICT (project, shard) DO UPDATE
       SET runs = t.runs + EXCLUDED.runs,
           energy_kwh = t.energy_kwh + EXCLUDED.energy_kwh,
           co2_g = t.co2_g + EXCLUDED.co2_g,
           last_started_at = GREATEST(t.last_started_at, EXCLUDED.last_started_at);
  END IF;
  RETURN NULL;
END
$$;
-- The ALTER above locks the totals, so a writer's trigger waits for this transaction and adds
-- its run after these sums, which hold every run committed before.
UPDATE wattprint_project_totals SET energy_kwh = 0, co2_g = 0;
UPDATE wattprint_project_totals AS t
   SET energy_kwh = s.energy_kwh, co2_g = s.co2_g
  FROM (SELECT project, wattprint_shard(id) AS shard, sum(energy_kwh::text::numeric) AS energy_kwh,
               sum(co2_g::text::numeric) AS co2_g
          FROM wattprint_runs GROUP BY 1, 2) AS s
 WHERE t.project = s.project AND t.shard = s.shard;
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
    // Before the lock, whatever the connection's default: at REPEATABLE READ the snapshot was
    // taken as the lock was asked for, so a server that waited for another's migration still
    // read an empty history, ran migration 1 again and failed on wattprint_migrations_pkey.
    // At READ COMMITTED every statement after the lock sees what the winner committed.
    await tx.exec("SET TRANSACTION ISOLATION LEVEL READ COMMITTED");
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
