import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { chmod, chown, mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/** Debian's PostgreSQL (`apt-get install postgresql`, in .ci/setup). */
export const POSTGRES_BIN = process.env.WATTPRINT_POSTGRES_BIN ?? "/usr/lib/postgresql/15/bin";

/** Why a real PostgreSQL server cannot be started here, or undefined when it can. */
export function postgresUnavailable(): string | undefined {
  if (!existsSync(join(POSTGRES_BIN, "initdb")))
    return `no initdb in ${POSTGRES_BIN} (apt-get install postgresql)`;
  if (process.getuid?.() !== 0)
    return "not root: initdb must run as the postgres user through runuser";
  return undefined;
}

export interface PostgresServer {
  readonly url: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Runs a PostgreSQL binary as the postgres user (initdb refuses root). */
function asPostgres(binary: string, args: readonly string[]) {
  return run("runuser", ["-u", "postgres", "--", join(POSTGRES_BIN, binary), ...args], {
    timeout: 120_000,
  });
}

/**
 * A real PostgreSQL server in a temporary folder, listening on a free loopback port and a
 * Unix socket in that folder, trusting local connections; `stop()` stops it and removes the
 * folder. fsync is off: the data is thrown away.
 */
export async function startPostgres(): Promise<PostgresServer> {
  const dir = await mkdtemp(join(tmpdir(), "wattprint-pg-"));
  await chmod(dir, 0o755);
  const { uid, gid } = await postgresIds();
  await chown(dir, uid, gid);
  const data = join(dir, "data");
  await asPostgres("initdb", [
    "-D",
    data,
    "-A",
    "trust",
    "-U",
    "postgres",
    "--no-sync",
    "-E",
    "UTF8",
  ]);
  // Another test may take the port between freePort and the start: try a few.
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    try {
      await asPostgres("pg_ctl", [
        "-D",
        data,
        "-l",
        join(dir, "server.log"),
        "-w",
        "-t",
        "90",
        "-o",
        `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off`,
        "start",
      ]);
      return {
        url: `postgres://postgres@127.0.0.1:${port}/postgres`,
        stop: async () => {
          await asPostgres("pg_ctl", ["-D", data, "-m", "fast", "-w", "stop"]).catch(() => {});
          await rm(dir, { recursive: true, force: true });
        },
      };
    } catch (error) {
      if (attempt >= 3) {
        await rm(dir, { recursive: true, force: true });
        throw error;
      }
    }
  }
}

async function postgresIds(): Promise<{ uid: number; gid: number }> {
  const uid = Number((await run("id", ["-u", "postgres"])).stdout.trim());
  const gid = Number((await run("id", ["-g", "postgres"])).stdout.trim());
  return { uid, gid };
}
