import pg from "pg";
import { runTransaction, type SqlClient, type SqlQuery } from "./sql-client.ts";

/** Connections kept per server instance; Postgres' own default limit is 100 for all. */
const POOL_SIZE = 10;

const READ_COMMITTED = "SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL READ COMMITTED";

/**
 * A PostgreSQL server through node-postgres' pool. Timestamps and JSON come back as PGlite
 * returns them (Date, parsed objects); bigint counts are cast to int in the SQL.
 */
export async function openPostgres(url: string): Promise<SqlClient> {
  const pool = new pg.Pool({
    connectionString: url,
    max: POOL_SIZE,
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
    // A query the server does not answer in this time fails rather than holds a request.
    query_timeout: 30_000,
    // READ COMMITTED whatever the database's default: every insert updates a shared
    // project-totals row (a trigger), and under a `repeatable read` default two concurrent
    // inserts failed with SQLSTATE 40001 (a 503). At READ COMMITTED the second waits for the
    // first and adds to the row it wrote. Set per connection, so an insert stays one statement;
    // by a statement the pool awaits before handing the connection out, not by the `options`
    // startup parameter, which an `options=` in the URL replaced.
    onConnect: async (client) => {
      await client.query(READ_COMMITTED);
    },
  });
  // An idle client's error (the server restarted) must not crash the process; the pool
  // drops that client and the next query opens a fresh one.
  pool.on("error", () => {});
  return sqlClientOnPool(pool);
}

/** The store's SqlClient over a node-postgres pool (tests pass one of their own). */
export function sqlClientOnPool(pool: pg.Pool): SqlClient {
  const on = (target: Pick<pg.Pool | pg.PoolClient, "query">): SqlQuery => ({
    query: async <R>(sql: string, params: readonly unknown[] = []) =>
      (await target.query(sql, [...params])).rows as R[],
    // Without parameters node-postgres uses the simple protocol, which takes several statements.
    exec: async (sql) => {
      await target.query(sql);
    },
  });
  return {
    kind: "postgres",
    ...on(pool),
    transaction: async (work) => {
      const client = await pool.connect();
      try {
        return await runTransaction(on(client), work);
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}
