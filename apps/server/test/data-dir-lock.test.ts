import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LOCK_FILE } from "../src/store/data-dir-lock.ts";
import { openRunStore } from "../src/store/open-store.ts";
import { runResult } from "./support/runs.test-support.ts";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "wattprint-lock-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A process that only waits, standing for another server. */
async function sleeper(): Promise<ChildProcess & { pid: number }> {
  const child = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], {
    stdio: "ignore",
  });
  await once(child, "spawn");
  if (child.pid === undefined) throw new Error("no pid");
  return child as ChildProcess & { pid: number };
}

describe("one PGlite folder, one process", () => {
  it("refuses a second store on the folder, naming it and the holder's pid, until the first closes", async () => {
    const first = await openRunStore({ dataDir: dir });
    if (!first.ok) throw new Error(first.error.message);
    const second = await openRunStore({ dataDir: dir });
    expect(second.ok).toBe(false);
    if (!second.ok) {
      expect(second.error.message).toContain(`${dir} is in use by another wattprint-server`);
      expect(second.error.message).toContain(`pid ${process.pid}`);
    }
    // The first store keeps working: the refused open touched nothing of it.
    const stored = await first.value.store.insert({
      project: "locked",
      tags: [],
      result: runResult("2026-05-01T00:00:00Z", 1, 2, 3),
    });
    expect(stored.ok).toBe(true);
    await first.value.store.close();

    const third = await openRunStore({ dataDir: dir });
    if (!third.ok) throw new Error(third.error.message);
    const listed = await third.value.store.list({ tags: [], limit: 10 });
    expect(listed.ok && listed.value.runs.map((r) => r.project)).toEqual(["locked"]);
    await third.value.store.close();
  }, 240_000);

  it("refuses a folder another live process holds, and takes it over once that process is killed", async () => {
    const other = await sleeper();
    const lockFile = join(dir, LOCK_FILE);
    await writeFile(lockFile, `${other.pid} 0123456789abcdef\n`);
    try {
      const refused = await openRunStore({ dataDir: dir });
      expect(refused.ok).toBe(false);
      if (!refused.ok) expect(refused.error.message).toContain(`pid ${other.pid}, lock file`);
      // Its lock file is left as it was.
      expect(await readFile(lockFile, "utf8")).toBe(`${other.pid} 0123456789abcdef\n`);
    } finally {
      other.kill("SIGKILL");
      await once(other, "exit");
    }
    const opened = await openRunStore({ dataDir: dir });
    if (!opened.ok) throw new Error(opened.error.message);
    expect(await readFile(lockFile, "utf8")).toMatch(new RegExp(`^${process.pid} `));
    await opened.value.store.close();
    await expect(readFile(lockFile, "utf8")).rejects.toThrow(/ENOENT/);
  }, 240_000);
});
