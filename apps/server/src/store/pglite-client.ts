import { PGlite } from "@electric-sql/pglite";
import { makeDirectory } from "@wattprint/node/options";
import type { SqlClient, SqlQuery } from "./sql-client.ts";

/** PostgreSQL's type ids for `timestamptz` and `timestamp`. */
const TIMESTAMPTZ_OID = 1184;
const TIMESTAMP_OID = 1114;

/** PostgreSQL's ISO output: "0050-06-15 10:00:00.123456+00", the offset only on timestamptz. */
const PG_TIMESTAMP =
  /^(\d{4,})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)(?:\.(\d+))?(?:([+-])(\d\d)(?::(\d\d))?(?::(\d\d))?)?$/;

/**
 * A timestamp as PostgreSQL writes it, as a Date. PGlite's own parser was `new Date(text)`,
 * which reads a two-digit year as the 1900s: the year 50 came back as 1950, and paging by a
 * run's start then asked for the same page for ever. Anything this does not read (a BC date,
 * which the routes never store) is left to that parser's rule.
 */
export function parsePgTimestamp(text: string): Date {
  const m = PG_TIMESTAMP.exec(text);
  if (m === null) return new Date(text);
  const [, year, month, day, hour, minute, second, fraction, sign, offH, offM, offS] = m;
  const ms = Number((fraction ?? "").padEnd(3, "0").slice(0, 3));
  // Date.UTC maps years 0 to 99 to 1900 to 1999 too: the year is set on its own afterwards.
  const date = new Date(
    Date.UTC(
      2000,
      Number(month) - 1,
      Number(day),
      Number(hour),
      Number(minute),
      Number(second),
      ms,
    ),
  );
  date.setUTCFullYear(Number(year));
  if (sign !== undefined) {
    const offset = (Number(offH) * 3600 + Number(offM ?? 0) * 60 + Number(offS ?? 0)) * 1000;
    date.setTime(date.getTime() - (sign === "-" ? -offset : offset));
  }
  return date;
}

/**
 * PGlite (PostgreSQL compiled to WebAssembly, in this process) with its files in `dataDir`,
 * or in memory when it is undefined. One connection: queries run one at a time.
 */
export async function openPglite(dataDir: string | undefined): Promise<SqlClient> {
  if (dataDir !== undefined) await makeDirectory(dataDir);
  const parsers = { [TIMESTAMPTZ_OID]: parsePgTimestamp, [TIMESTAMP_OID]: parsePgTimestamp };
  const db =
    dataDir === undefined
      ? await PGlite.create({ parsers })
      : await PGlite.create(dataDir, { parsers });
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
