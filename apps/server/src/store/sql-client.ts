/**
 * The one thing the run store needs of a database: parameterised queries, a transaction on
 * one connection, and closing. PGlite (embedded) and node-postgres (a server) both implement
 * it with the same SQL, so every store test runs against both.
 */
export interface SqlQuery {
  query<R>(sql: string, params?: readonly unknown[]): Promise<R[]>;
  /** Several statements, no parameters (a migration). */
  exec(sql: string): Promise<void>;
}

export interface SqlClient extends SqlQuery {
  readonly kind: "pglite" | "postgres";
  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (tx: SqlQuery) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/**
 * `work` between BEGIN and COMMIT on one connection (`on`), rolled back when it or the COMMIT
 * throws; both clients hold their connection (a pooled client, PGlite's one) around it.
 */
export async function runTransaction<T>(
  on: SqlQuery,
  work: (tx: SqlQuery) => Promise<T>,
): Promise<T> {
  await on.exec("BEGIN");
  try {
    const result = await work(on);
    await on.exec("COMMIT");
    return result;
  } catch (error) {
    await on.exec("ROLLBACK").catch(() => {});
    throw error;
  }
}
