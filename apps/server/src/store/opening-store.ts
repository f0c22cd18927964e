import { err, failure, type Result } from "@wattprint/result";
import type { OpenedStore, OpenStoreError } from "./open-store.ts";
import type { RunStore, StoreError } from "./run-store.ts";

/**
 * A run store still opening: the server listens at once (estimates need no database) while
 * PGlite creates its files or PostgreSQL is reached, and answers store calls with
 * `store-unavailable` until then, so `/readyz` says when runs can be taken.
 */
export class OpeningStore implements RunStore {
  private store: RunStore | undefined;
  private failed: OpenStoreError | undefined;
  /** Settles when the store is open or has failed to open; never rejects. */
  readonly settled: Promise<Result<OpenedStore, OpenStoreError>>;

  constructor(
    readonly kind: "pglite" | "postgres",
    opening: Promise<Result<OpenedStore, OpenStoreError>>,
  ) {
    this.settled = opening.then((result) => {
      if (result.ok) this.store = result.value.store;
      else this.failed = result.error;
      return result;
    });
  }

  private unavailable(): Result<never, StoreError> {
    if (this.failed === undefined) {
      return err(failure("store-unavailable", "the run store is still opening; retry shortly"));
    }
    // The reason names a folder or the database's own words: for the log, not the client.
    return err(
      failure("store-unavailable", "the run store could not be opened; the server log says why", {
        cause: this.failed.message,
      }),
    );
  }

  async ping() {
    return this.store ? this.store.ping() : this.unavailable();
  }
  async insert(...args: Parameters<RunStore["insert"]>) {
    return this.store ? this.store.insert(...args) : this.unavailable();
  }
  async get(...args: Parameters<RunStore["get"]>) {
    return this.store ? this.store.get(...args) : this.unavailable();
  }
  async list(...args: Parameters<RunStore["list"]>) {
    return this.store ? this.store.list(...args) : this.unavailable();
  }
  async summary(...args: Parameters<RunStore["summary"]>) {
    return this.store ? this.store.summary(...args) : this.unavailable();
  }
  async projects() {
    return this.store ? this.store.projects() : this.unavailable();
  }
  /** Waits for the opening to settle, then closes what was opened. */
  async close(): Promise<void> {
    const result = await this.settled;
    if (result.ok) await result.value.store.close();
  }
}
