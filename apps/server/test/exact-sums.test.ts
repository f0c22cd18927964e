import { afterAll, describe, expect, it } from "vitest";
import { MIGRATIONS, migrate } from "../src/store/migrations.ts";
import { openPglite } from "../src/store/pglite-client.ts";
import { openPostgres } from "../src/store/postgres-client.ts";
import { SqlRunStore } from "../src/store/run-store.ts";
import type { SqlClient } from "../src/store/sql-client.ts";
import {
  type PostgresServer,
  postgresUnavailable,
  startPostgres,
} from "./support/postgres-server.test-support.ts";
import { runResult } from "./support/runs.test-support.ts";

/**
 * Sums of float figures are exact and rounded once, so the summary, the project list and the
 * two backends give the same number: 0.1 + 0.2 kWh is 0.3, whatever order the rows are read in.
 */
const HOOK_TIMEOUT_MS = 180_000;

let postgres: PostgresServer | undefined;
afterAll(async () => {
  await postgres?.stop();
}, HOOK_TIMEOUT_MS);

const backends = [
  { name: "PGlite", skip: undefined, open: () => openPglite(undefined) },
  {
    name: "PostgreSQL",
    skip: postgresUnavailable(),
    open: async (): Promise<SqlClient> => {
      postgres ??= await startPostgres();
      return openPostgres(postgres.url);
    },
  },
];

/** Figures in hundredths, 0.10 to 0.16: their exact sum is known. */
const HUNDREDTHS = Array.from({ length: 60 }, (_, i) => 10 + (i % 7));

describe.each(backends)("exact sums on $name", (backend) => {
  const test = backend.skip === undefined ? it : it.skip;

  test(
    "a month of runs sums to its exact total in the summary and the project list, also after an upgrade from float totals",
    async () => {
      const client = await backend.open();
      try {
        // Runs stored under the float totals of migration 2, then the upgrade.
        await migrate(client, MIGRATIONS.slice(0, 2));
        const store = new SqlRunStore(client);
        const store2 = async (project: string, day: number, value: number) => {
          const at = `2024-06-${String(day).padStart(2, "0")}T00:00:00Z`;
          const result = { ...runResult(at, value, value, value), durationS: value };
          const stored = await store.insert({ project, tags: [], result });
          expect(stored.ok).toBe(true);
        };
        await store2("upgraded", 1, 0.1);
        await store2("upgraded", 2, 0.2);
        await migrate(client);
        await store2("exact", 1, 0.1);
        await store2("exact", 2, 0.2);
        for (const [i, h] of HUNDREDTHS.entries()) await store2("many", 1 + (i % 28), h / 100);

        const expected = {
          upgraded: 0.3,
          exact: 0.3,
          many: HUNDREDTHS.reduce((a, b) => a + b, 0) / 100,
        };
        const projects = await store.projects();
        if (!projects.ok) throw new Error(projects.error.message);
        expect(
          Object.fromEntries(projects.value.projects.map((p) => [p.project, p.energyKWh])),
        ).toEqual(expected);
        expect(Object.fromEntries(projects.value.projects.map((p) => [p.project, p.co2G]))).toEqual(
          expected,
        );
        for (const [project, total] of Object.entries(expected)) {
          const summary = await store.summary(project, "month", {});
          if (!summary.ok) throw new Error(summary.error.message);
          expect(summary.value.periods).toEqual([
            expect.objectContaining({ energyKWh: total, co2G: total, durationS: total }),
          ]);
        }
      } finally {
        await client.close();
      }
    },
    HOOK_TIMEOUT_MS,
  );
});
