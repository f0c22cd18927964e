import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LOCK_FILE, type LockIo, lockDataDir, TAKEOVER_FILE } from "../src/store/data-dir-lock.ts";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "wattprint-takeover-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The pid of a process that has exited: what a killed server leaves in its lock file. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ["-e", ""], { stdio: "ignore" });
  await once(child, "exit");
  if (child.pid === undefined) throw new Error("no pid");
  return child.pid;
}

/** A filesystem without hard links (FAT, some FUSE mounts): `link` answers EPERM. */
const noHardLinks: LockIo = {
  link: async (existing, name) => {
    throw Object.assign(
      new Error(`EPERM: operation not permitted, link '${existing}' -> '${name}'`),
      {
        code: "EPERM",
      },
    );
  },
};

describe("the data folder's lock file", () => {
  it("is taken by exactly one of several processes replacing the same stale file at once", async () => {
    const pid = await deadPid();
    for (let trial = 0; trial < 25; trial++) {
      await writeFile(join(dir, LOCK_FILE), `${pid} 0123456789abcdef\n`);
      const tries = await Promise.all([0, 1, 2, 3].map(() => lockDataDir(dir)));
      const taken = tries.filter((t) => t.ok);
      expect(taken).toHaveLength(1);
      for (const refused of tries.filter((t) => !t.ok)) {
        if (!refused.ok) expect(refused.error.message).toContain(`pid ${process.pid}`);
      }
      const [lock] = taken;
      if (lock?.ok) await lock.value.release();
      // Nothing left behind: no lock, no takeover file, no staging copies.
      expect(await readdir(dir)).toEqual([]);
    }
  });

  it("replaces a takeover file its process left when it died", async () => {
    const pid = await deadPid();
    await writeFile(join(dir, LOCK_FILE), `${pid} 0123456789abcdef\n`);
    await writeFile(join(dir, TAKEOVER_FILE), `${pid} fedcba9876543210\n`);
    const lock = await lockDataDir(dir);
    if (!lock.ok) throw new Error(lock.error.message);
    expect(await readFile(join(dir, LOCK_FILE), "utf8")).toMatch(new RegExp(`^${process.pid} `));
    expect(await readdir(dir)).toEqual([LOCK_FILE]);
    await lock.value.release();
  });

  it("works on a filesystem without hard links, by creating the file exclusively", async () => {
    const first = await lockDataDir(dir, noHardLinks);
    if (!first.ok) throw new Error(first.error.message);
    expect(await readFile(join(dir, LOCK_FILE), "utf8")).toMatch(
      new RegExp(`^${process.pid} [0-9a-f]{16}\\n$`),
    );
    const second = await lockDataDir(dir, noHardLinks);
    expect(second.ok).toBe(false);
    if (!second.ok) {
      expect(second.error.kind).toBe("data-dir-locked");
      expect(second.error.message).toContain(`pid ${process.pid}`);
    }
    await first.value.release();
    expect(await readdir(dir)).toEqual([]);

    // A stale file is replaced there too.
    await writeFile(join(dir, LOCK_FILE), `${await deadPid()} 0123456789abcdef\n`);
    const third = await lockDataDir(dir, noHardLinks);
    if (!third.ok) throw new Error(third.error.message);
    await third.value.release();
  });

  it("says which folder it cannot write and why, rather than throwing", async () => {
    const missing = join(dir, "not-there");
    const lock = await lockDataDir(missing);
    expect(lock.ok).toBe(false);
    if (!lock.ok) {
      expect(lock.error.kind).toBe("data-dir-unwritable");
      expect(lock.error.message).toContain(`cannot write the lock file in ${missing}: ENOENT`);
    }
  });
});
