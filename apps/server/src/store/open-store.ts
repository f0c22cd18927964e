import { err, type Failure, failure, ok, type Result } from "@wattprint/result";
import { migrate } from "./migrations.ts";
import { openPglite } from "./pglite-client.ts";
import { openPostgres } from "./postgres-client.ts";
import { type RunStore, SqlRunStore } from "./run-store.ts";
import type { SqlClient } from "./sql-client.ts";

export type OpenStoreError = Failure<"store-open-failed">;

export interface StoreLocation {
  /** A PostgreSQL server; else PGlite. */
  readonly databaseUrl?: string;
  /** PGlite's folder; undefined: in memory (tests). */
  readonly dataDir?: string;
}

export interface OpenedStore {
  readonly store: RunStore;
  /** Migrations this start applied. */
  readonly migrated: readonly number[];
}

/** Opens the database the settings name and brings its schema up to date. */
export async function openRunStore(
  location: StoreLocation,
): Promise<Result<OpenedStore, OpenStoreError>> {
  let client: SqlClient | undefined;
  try {
    client =
      location.databaseUrl !== undefined
        ? await openPostgres(location.databaseUrl)
        : await openPglite(location.dataDir);
    const { applied } = await migrate(client);
    return ok({ store: new SqlRunStore(client), migrated: applied });
  } catch (error) {
    await client?.close().catch(() => {});
    const cause = error instanceof Error ? error.message : String(error);
    const where =
      location.databaseUrl !== undefined
        ? "the PostgreSQL database"
        : `PGlite in ${location.dataDir ?? "memory"}`;
    return err(failure("store-open-failed", `cannot open ${where}: ${cause}`, { cause }));
  }
}
