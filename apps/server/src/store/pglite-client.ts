import { createRequire } from "node:module";
import { makeDirectory } from "@wattprint/node/options";
import { type DataDirLock, lockDataDir } from "./data-dir-lock.ts";
import { PGLITE_WORKER_SOURCE } from "./pglite-worker-source.ts";
import { runTransaction, type SqlClient, type SqlQuery } from "./sql-client.ts";

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

/** A message the PGlite thread answers; `id` 0 is its start. */
type Request =
  | { readonly op: "query"; readonly sql: string; readonly params: readonly unknown[] }
  | { readonly op: "exec"; readonly sql: string }
  | { readonly op: "close" };

interface Reply {
  readonly id: number;
  readonly error?: string;
  readonly rows?: Record<string, unknown>[];
  /** The result's timestamp columns, sent as text (see PGLITE_WORKER_SOURCE). */
  readonly timestamps?: readonly string[];
}

/**
 * PGlite (PostgreSQL compiled to WebAssembly) on a thread of its own, with its files in
 * `dataDir`, or in memory when it is undefined. On the main thread, creating a new database
 * held the event loop for seconds (12 s on a loaded VM), and every query held it for its own
 * time: nothing answered meanwhile, not even /healthz. One connection: the thread answers requests in order, and a transaction
 * holds back other requests until it ends, so none runs inside another's transaction. A
 * folder is locked for this process until `close` (see data-dir-lock.ts): a second server on
 * it is refused, naming the folder and the holder's pid.
 */
export async function openPglite(dataDir: string | undefined): Promise<SqlClient> {
  let lock: DataDirLock | undefined;
  if (dataDir !== undefined) {
    await makeDirectory(dataDir);
    const locked = await lockDataDir(dataDir);
    if (!locked.ok) throw new Error(locked.error.message);
    lock = locked.value;
  }
  try {
    return await startPglite(dataDir, lock);
  } catch (error) {
    await lock?.release();
    throw error;
  }
}

async function startPglite(
  dataDir: string | undefined,
  lock: DataDirLock | undefined,
): Promise<SqlClient> {
  const { Worker } = await import("node:worker_threads");
  const pglite = createRequire(import.meta.url).resolve("@electric-sql/pglite");
  const worker = new Worker(PGLITE_WORKER_SOURCE, {
    eval: true,
    workerData: { pglite, dataDir: dataDir ?? null },
    // The thread needs no loader or flags of the main process (`--import tsx`, test runners).
    execArgv: [],
  });
  const waiting = new Map<
    number,
    { resolve: (reply: Reply) => void; reject: (e: Error) => void }
  >();
  let nextId = 1;
  let gone: Error | undefined;
  const fail = (error: Error): void => {
    gone ??= error;
    for (const { reject } of waiting.values()) reject(error);
    waiting.clear();
  };
  worker.on("error", (error) => fail(new Error(`the PGlite thread failed: ${error.message}`)));
  worker.on("exit", (code) => fail(new Error(`the PGlite thread exited (code ${code})`)));
  const started = new Promise<Reply>((resolve, reject) => waiting.set(0, { resolve, reject }));
  worker.on("message", (reply: Reply) => {
    const entry = waiting.get(reply.id);
    if (entry === undefined) return;
    waiting.delete(reply.id);
    // Idle, the thread does not keep the process alive (an open store is not work to wait for).
    if (waiting.size === 0) worker.unref();
    if (reply.error !== undefined) entry.reject(new Error(reply.error));
    else entry.resolve(reply);
  });
  const opened = await started.catch((error: Error) => error);
  if (opened instanceof Error) {
    await worker.terminate();
    throw opened;
  }
  worker.unref();

  const send = (request: Request): Promise<Reply> => {
    if (gone !== undefined) return Promise.reject(gone);
    const id = nextId++;
    const reply = new Promise<Reply>((resolve, reject) => waiting.set(id, { resolve, reject }));
    worker.ref();
    worker.postMessage({ id, ...request });
    return reply;
  };
  const rowsOf = <R>(reply: Reply): R[] => {
    const rows = reply.rows ?? [];
    for (const column of reply.timestamps ?? []) {
      for (const row of rows) {
        const value = row[column];
        if (typeof value === "string") row[column] = parsePgTimestamp(value);
      }
    }
    return rows as R[];
  };
  const direct: SqlQuery = {
    query: async <R>(sql: string, params: readonly unknown[] = []) =>
      rowsOf<R>(await send({ op: "query", sql, params: [...params] })),
    exec: async (sql) => {
      await send({ op: "exec", sql });
    },
  };
  /** The transaction running now: requests outside it wait for its end. */
  let inTransaction: Promise<void> | null = null;
  /**
   * `act` once no transaction runs, called in the same turn as the last check: with a turn
   * between them, a transaction could begin in it and the request run inside it (a test
   * caught an insert rolled back with another caller's transaction).
   */
  const outside = async <T>(act: () => Promise<T>): Promise<T> => {
    while (inTransaction !== null) await inTransaction;
    return act();
  };
  return {
    kind: "pglite",
    query: <R>(sql: string, params: readonly unknown[] = []) =>
      outside(() => direct.query<R>(sql, params)),
    exec: (sql) => outside(() => direct.exec(sql)),
    transaction: (work) =>
      outside(async () => {
        // Set, and BEGIN sent, before this function's first wait.
        let end = (): void => {};
        inTransaction = new Promise<void>((resolve) => {
          end = resolve;
        });
        try {
          return await runTransaction(direct, work);
        } finally {
          inTransaction = null;
          end();
        }
      }),
    close: () =>
      outside(async () => {
        if (gone === undefined) await send({ op: "close" }).catch(() => {});
        await worker.terminate();
        // Only once the thread has written its files and stopped may another process open them.
        await lock?.release();
      }),
  };
}
