import { randomUUID } from "node:crypto";
import { err, type Failure, failure, ok, type Result } from "@wattprint/result";
import type { SqlClient, SqlQuery } from "./sql-client.ts";

/** The figures of a tracker result the store indexes; the whole result is kept beside them. */
export interface RunFigures {
  readonly kind: string;
  readonly status: string;
  readonly startedAt: string;
  readonly endedAt: string;
  readonly durationS: number;
  readonly energy: { readonly totalKWh: number };
  readonly co2G: number;
  readonly intensity: { readonly zone: string };
}

export interface NewRun<R extends RunFigures = RunFigures> {
  /** A client-chosen id makes a retried report land once; otherwise the store picks one. */
  readonly id?: string | undefined;
  readonly project: string;
  readonly tags: readonly string[];
  readonly result: R;
}

/** A run as lists show it: the indexed figures, not the whole result. */
export interface RunSummary {
  readonly id: string;
  readonly project: string;
  readonly tags: string[];
  readonly kind: string;
  readonly status: string;
  readonly startedAt: string;
  readonly endedAt: string;
  readonly durationS: number;
  readonly energyKWh: number;
  readonly co2G: number;
  readonly zone: string;
  readonly receivedAt: string;
}

export interface StoredRun extends RunSummary {
  readonly result: unknown;
}

/**
 * Instants go to the database as ISO strings with `::timestamptz`, never as Dates:
 * node-postgres writes a Date in the process' local time with a whole-minute offset, so under
 * a zone whose offset had seconds (Africa/Monrovia until 1972) `until` moved by up to a minute.
 */
export interface RunFilter {
  readonly project?: string;
  /** Runs that started at or after this instant. */
  readonly since?: Date;
  /** Runs that started before this instant. */
  readonly until?: Date;
  /** Runs carrying every one of these tags. */
  readonly tags: readonly string[];
  readonly limit: number;
  readonly cursor?: RunCursor;
}

/** The last run of a page: the next page starts strictly after it (newest first). */
export interface RunCursor {
  readonly startedAt: string;
  readonly id: string;
}

export type SummaryGroup = "day" | "week" | "month";

export interface SummaryPeriod {
  /** Start of the period, UTC (weeks start on Monday, as ISO 8601 and date_trunc say). */
  readonly start: string;
  readonly runs: number;
  readonly energyKWh: number;
  readonly co2G: number;
  readonly durationS: number;
}

export interface ProjectTotals {
  readonly project: string;
  readonly runs: number;
  readonly energyKWh: number;
  readonly co2G: number;
  readonly lastStartedAt: string;
}

/**
 * The store's one failure. `message` is fit for a client (it never quotes the database);
 * `cause`, when there is one, is the database's own words, for the server log only: they can
 * name tables, settings, hosts or users.
 */
export type StoreError = Failure<"store-unavailable"> & { readonly cause?: string };

/**
 * A run id stored before with another project, tags or result: a retry sends the same report,
 * so this is a second run under a reused id, which must not be answered as if it were stored.
 */
export type RunIdConflict = Failure<"run-id-conflict"> & {
  readonly id: string;
  /** The members that differ from the stored run's. */
  readonly differs: readonly ("project" | "tags" | "result")[];
};

/**
 * Periods a summary returns at most (about 2.7 years of days), the newest; `truncated` says
 * older ones were left out.
 */
export const MAX_SUMMARY_PERIODS = 1000;
/** Projects listed at most. */
export const MAX_PROJECTS = 1000;

export interface RunStore {
  readonly kind: "pglite" | "postgres";
  ping(): Promise<Result<true, StoreError>>;
  /**
   * `created` is false when this very run was stored before under its id (that one is
   * returned); the same id with another project, tags or result is a `run-id-conflict`.
   */
  insert(
    run: NewRun,
  ): Promise<Result<{ run: StoredRun; created: boolean }, StoreError | RunIdConflict>>;
  get(id: string): Promise<Result<StoredRun | undefined, StoreError>>;
  list(
    filter: RunFilter,
  ): Promise<Result<{ runs: RunSummary[]; next: RunCursor | undefined }, StoreError>>;
  summary(
    project: string,
    group: SummaryGroup,
    range: { since?: Date; until?: Date },
  ): Promise<Result<{ periods: SummaryPeriod[]; truncated: boolean }, StoreError>>;
  /** At most MAX_PROJECTS, by name; `truncated` says there were more. */
  projects(): Promise<Result<{ projects: ProjectTotals[]; truncated: boolean }, StoreError>>;
  close(): Promise<void>;
}

interface RunRow {
  id: string;
  project: string;
  tags: string[];
  kind: string;
  status: string;
  started_at: Date | string;
  ended_at: Date | string;
  duration_s: number;
  energy_kwh: number;
  co2_g: number;
  zone: string;
  received_at: Date | string;
  result?: unknown;
}

const iso = (value: Date | string): string => new Date(value).toISOString();

/**
 * A float column summed exactly and rounded once (numeric, through each value's shortest exact
 * text), as the project totals are (migration 3): a float8 sum depends on the scan order, and
 * the backends and routes disagreed in the last digits.
 */
const exactSum = (column: string): string => `sum(${column}::text::numeric)::float8 AS ${column}`;

const SUMMARY_COLUMNS =
  "id, project, tags, kind, status, started_at, ended_at, duration_s, energy_kwh, co2_g, zone, received_at";

function summaryOf(row: RunRow): RunSummary {
  return {
    id: row.id,
    project: row.project,
    tags: row.tags,
    kind: row.kind,
    status: row.status,
    startedAt: iso(row.started_at),
    endedAt: iso(row.ended_at),
    durationS: row.duration_s,
    energyKWh: row.energy_kwh,
    co2G: row.co2_g,
    zone: row.zone,
    receivedAt: iso(row.received_at),
  };
}

/** The run store on any `SqlClient`: the same SQL on PGlite and on a PostgreSQL server. */
export class SqlRunStore implements RunStore {
  constructor(private readonly client: SqlClient) {}

  get kind(): "pglite" | "postgres" {
    return this.client.kind;
  }

  /** A database error as the store's one failure; the cause stays for the server log. */
  private async guard<T>(what: string, work: () => Promise<T>): Promise<Result<T, StoreError>> {
    try {
      return ok(await work());
    } catch (error) {
      const cause = error instanceof Error ? error.message : String(error);
      return err(
        failure("store-unavailable", `the run store failed to ${what}; the server log says why`, {
          cause,
        }),
      );
    }
  }

  ping(): Promise<Result<true, StoreError>> {
    return this.guard("answer", async () => {
      await this.client.query("SELECT 1");
      return true as const;
    });
  }

  async insert(
    run: NewRun,
  ): Promise<Result<{ run: StoredRun; created: boolean }, StoreError | RunIdConflict>> {
    // One statement (its trigger keeps the project totals); PostgreSQL connections run at READ
    // COMMITTED (postgres-client.ts), so concurrent inserts of one project wait, never fail.
    const outcome = await this.guard("store the run", () => this.insertIn(this.client, run));
    if (!outcome.ok || outcome.value.differs.length === 0) return outcome;
    const { run: stored, differs } = outcome.value;
    return err(
      failure(
        "run-id-conflict",
        `id: run ${stored.id} was stored before with another ${differs.join(", ")}; a retry must send the same report, and a new run needs a new id (or none)`,
        { id: stored.id, differs },
      ),
    );
  }

  private async insertIn(
    on: SqlQuery,
    run: NewRun,
  ): Promise<{ run: StoredRun; created: boolean; differs: RunIdConflict["differs"] }> {
    const r = run.result;
    const id = run.id ?? randomUUID();
    const inserted = await on.query<RunRow>(
      `INSERT INTO wattprint_runs
         (id, project, tags, kind, status, started_at, ended_at, duration_s, energy_kwh, co2_g, zone, result)
       VALUES ($1, $2, $3::text[], $4, $5, $6, $7, $8, $9, $10, $11, $12::jsonb)
       ON CONFLICT (id) DO NOTHING
       RETURNING ${SUMMARY_COLUMNS}, result`,
      [
        id,
        run.project,
        [...run.tags],
        r.kind,
        r.status,
        r.startedAt,
        r.endedAt,
        r.durationS,
        r.energy.totalKWh,
        r.co2G,
        r.intensity.zone,
        JSON.stringify(r),
      ],
    );
    const row = inserted[0];
    if (row !== undefined) {
      return { run: { ...summaryOf(row), result: row.result }, created: true, differs: [] };
    }
    // Compared in SQL as stored: jsonb equality ignores member order and number spelling, so
    // a retry of the same report always matches.
    const rows = await on.query<
      RunRow & { same_project: boolean; same_tags: boolean; same_result: boolean }
    >(
      `SELECT ${SUMMARY_COLUMNS}, result, project = $2 AS same_project,
              tags = $3::text[] AS same_tags, result = $4::jsonb AS same_result
       FROM wattprint_runs WHERE id = $1`,
      [id, run.project, [...run.tags], JSON.stringify(r)],
    );
    const existing = rows[0];
    if (existing === undefined) throw new Error(`run ${id} neither inserted nor found`);
    const differs = (
      [
        ["project", existing.same_project],
        ["tags", existing.same_tags],
        ["result", existing.same_result],
      ] as const
    ).flatMap(([member, same]) => (same ? [] : [member]));
    return {
      run: { ...summaryOf(existing), result: existing.result },
      created: false,
      differs,
    };
  }

  private async fetch(on: SqlQuery, id: string): Promise<StoredRun | undefined> {
    const rows = await on.query<RunRow>(
      `SELECT ${SUMMARY_COLUMNS}, result FROM wattprint_runs WHERE id = $1`,
      [id],
    );
    const row = rows[0];
    return row === undefined ? undefined : { ...summaryOf(row), result: row.result };
  }

  get(id: string): Promise<Result<StoredRun | undefined, StoreError>> {
    return this.guard("read the run", () => this.fetch(this.client, id));
  }

  list(
    filter: RunFilter,
  ): Promise<Result<{ runs: RunSummary[]; next: RunCursor | undefined }, StoreError>> {
    return this.guard("list runs", async () => {
      const where: string[] = [];
      const params: unknown[] = [];
      const param = (value: unknown): string => {
        params.push(value);
        return `$${params.length}`;
      };
      const instant = (date: Date): string => `${param(date.toISOString())}::timestamptz`;
      if (filter.project !== undefined) where.push(`project = ${param(filter.project)}`);
      if (filter.since !== undefined) where.push(`started_at >= ${instant(filter.since)}`);
      if (filter.until !== undefined) where.push(`started_at < ${instant(filter.until)}`);
      if (filter.tags.length > 0) where.push(`tags @> ${param([...filter.tags])}::text[]`);
      if (filter.cursor !== undefined) {
        where.push(
          `(started_at, id) < (${param(filter.cursor.startedAt)}::timestamptz, ${param(filter.cursor.id)}::uuid)`,
        );
      }
      // One more than the page: whether it exists decides the next cursor.
      const rows = await this.client.query<RunRow>(
        `SELECT ${SUMMARY_COLUMNS} FROM wattprint_runs
         ${where.length > 0 ? `WHERE ${where.join(" AND ")}` : ""}
         ORDER BY started_at DESC, id DESC
         LIMIT ${param(filter.limit + 1)}`,
        params,
      );
      const runs = rows.slice(0, filter.limit).map(summaryOf);
      const last = runs.at(-1);
      const next =
        rows.length > filter.limit && last !== undefined
          ? { startedAt: last.startedAt, id: last.id }
          : undefined;
      return { runs, next };
    });
  }

  summary(
    project: string,
    group: SummaryGroup,
    range: { since?: Date; until?: Date },
  ): Promise<Result<{ periods: SummaryPeriod[]; truncated: boolean }, StoreError>> {
    return this.guard("summarise the project", async () => {
      const params: unknown[] = [group, project];
      const where = ["project = $2"];
      if (range.since !== undefined) {
        params.push(range.since.toISOString());
        where.push(`started_at >= $${params.length}::timestamptz`);
      }
      if (range.until !== undefined) {
        params.push(range.until.toISOString());
        where.push(`started_at < $${params.length}::timestamptz`);
      }
      params.push(MAX_SUMMARY_PERIODS + 1);
      const rows = await this.client.query<{
        period: Date | string;
        runs: number;
        energy_kwh: number;
        co2_g: number;
        duration_s: number;
      }>(
        `SELECT date_trunc($1, started_at, 'UTC') AS period, count(*)::int AS runs,
                ${exactSum("energy_kwh")}, ${exactSum("co2_g")}, ${exactSum("duration_s")}
         FROM wattprint_runs WHERE ${where.join(" AND ")}
         GROUP BY period ORDER BY period DESC
         LIMIT $${params.length}`,
        params,
      );
      // The newest periods, oldest first: keeping the oldest hid a long-lived project's
      // recent runs for good. One more than is kept says whether older ones were cut.
      return {
        periods: rows
          .slice(0, MAX_SUMMARY_PERIODS)
          .reverse()
          .map((row) => ({
            start: iso(row.period),
            runs: row.runs,
            energyKWh: row.energy_kwh,
            co2G: row.co2_g,
            durationS: row.duration_s,
          })),
        truncated: rows.length > MAX_SUMMARY_PERIODS,
      };
    });
  }

  projects(): Promise<Result<{ projects: ProjectTotals[]; truncated: boolean }, StoreError>> {
    return this.guard("list projects", async () => {
      const rows = await this.client.query<{
        project: string;
        runs: number;
        energy_kwh: number;
        co2_g: number;
        last_started_at: Date | string;
      }>(
        // Kept by triggers as runs are written (migration 2): at most 8 rows a project, not
        // a pass over every run.
        `SELECT project, sum(runs)::int AS runs, sum(energy_kwh)::float8 AS energy_kwh,
                sum(co2_g)::float8 AS co2_g, max(last_started_at) AS last_started_at
         FROM wattprint_project_totals GROUP BY project HAVING sum(runs) > 0
         ORDER BY project LIMIT $1`,
        // One more than is listed: whether the list was cut.
        [MAX_PROJECTS + 1],
      );
      return {
        projects: rows.slice(0, MAX_PROJECTS).map((row) => ({
          project: row.project,
          runs: row.runs,
          energyKWh: row.energy_kwh,
          co2G: row.co2_g,
          lastStartedAt: iso(row.last_started_at),
        })),
        truncated: rows.length > MAX_PROJECTS,
      };
    });
  }

  close(): Promise<void> {
    return this.client.close();
  }
}
