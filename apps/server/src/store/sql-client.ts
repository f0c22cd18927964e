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
