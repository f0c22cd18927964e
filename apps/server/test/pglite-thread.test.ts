import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { type AddressInfo, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { openPglite } from "../src/store/pglite-client.ts";

const dirs: string[] = [];

/** A loopback port free now (the server is told it; a race with another process is unlikely). */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe("PGlite on a thread of its own", () => {
  it("lets a first start answer /healthz while PGlite creates its database", async () => {
    const dir = await mkdtemp(join(tmpdir(), "wattprint-pglite-thread-"));
    dirs.push(dir);
    const port = await freePort();
    // The real server from its sources, in a process of its own: the database is created on
    // its first start. On the event loop that held every request for 2.8 s on an idle VM
    // (12 s on a loaded one); on PGlite's thread /healthz answers throughout.
    const server = spawn(
      process.execPath,
      [
        "--conditions=@wattprint/source",
        "--import",
        "tsx",
        fileURLToPath(new URL("../src/main.ts", import.meta.url)),
        "--port",
        String(port),
        "--data-dir",
        join(dir, "db"),
        "--log-level",
        "silent",
      ],
      { stdio: "ignore" },
    );
    const exited = new Promise((resolve) => server.once("exit", resolve));
    try {
      let slowestMs = 0;
      let healthy = 0;
      for (const started = Date.now(); Date.now() - started < 90_000; ) {
        const sent = performance.now();
        const health = await fetch(`http://127.0.0.1:${port}/healthz`, {
          signal: AbortSignal.timeout(30_000),
        }).catch(() => undefined);
        if (health?.ok) {
          healthy++;
          slowestMs = Math.max(slowestMs, performance.now() - sent);
          const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
          if (ready.ok) break;
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(healthy).toBeGreaterThan(0);
      // A hang detector: far above a loaded machine's answer, far below the old hold.
      expect(slowestMs).toBeLessThan(1_000);
    } finally {
      server.kill("SIGTERM");
      await exited;
    }
  }, 120_000);

  it("keeps a request outside a transaction out of it, and rolls a failed one back", async () => {
    const client = await openPglite(undefined);
    try {
      await client.exec("CREATE TABLE t (n int)");
      let release = (): void => {};
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      const failed = client
        .transaction(async (tx) => {
          await tx.query("INSERT INTO t VALUES (1)");
          await held;
          throw new Error("the work failed");
        })
        .catch((error: Error) => error.message);
      // Sent while the transaction is open: it must not be rolled back with it.
      const outside = client.query("INSERT INTO t VALUES (2)");
      release();
      expect(await failed).toBe("the work failed");
      await outside;
      expect(await client.query<{ n: number }>("SELECT n FROM t ORDER BY n")).toEqual([{ n: 2 }]);
    } finally {
      await client.close();
    }
  });

  it("reads timestamps as PostgreSQL writes them, years 1 to 99 included", async () => {
    const client = await openPglite(undefined);
    try {
      const [row] = await client.query<{ at: Date; plain: Date }>(
        "SELECT '0050-06-15 10:00:00.123+00'::timestamptz AS at, '2026-01-02 03:04:05'::timestamp AS plain",
      );
      expect(row?.at.toISOString()).toBe("0050-06-15T10:00:00.123Z");
      expect(row?.plain).toBeInstanceOf(Date);
    } finally {
      await client.close();
    }
  });

  it("answers a query after close with an error, never a hang", async () => {
    const client = await openPglite(undefined);
    await client.close();
    await expect(client.query("SELECT 1")).rejects.toThrow(/PGlite thread/);
  });
});
