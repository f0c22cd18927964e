import { PGlite } from "@electric-sql/pglite";
import { makeDirectory } from "@wattprint/node/options";
import type { SqlClient, SqlQuery } from "./sql-client.ts";

/**
 * PGlite (PostgreSQL compiled to WebAssembly, in this process) with its files in `dataDir`,
 * or in memory when it is undefined. One connection: queries run one at a time.
 */
export async function openPglite(dataDir: string | undefined): Promise<SqlClient> {
  if (dataDir !== undefined) await makeDirectory(dataDir);
  const db = dataDir === undefined ? await PGlite.create() : await PGlite.create(dataDir);
  const on = (target: Pick<PGlite, "query" | "exec">): SqlQuery => ({
    query: async <R>(sql: string, params: readonly unknown[] = []) =>
      (await target.query<R>(sql, [...params])).rows,
    exec: async (sql) => {
      await target.exec(sql);
    },
  });
  return {
    kind: "pglite",
    ...on(db),
    transaction: (work) => db.transaction((tx) => work(on(tx))),
    close: () => db.close(),
  };
}
