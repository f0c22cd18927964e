import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { withBuildLock } from "./build-lock.ts";

async function scratch() {
  const dir = await mkdtemp(join(tmpdir(), "wattprint-lock-"));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  return { lock: join(dir, "peer.lock"), binary: join(dir, "peer") };
}

describe("withBuildLock", () => {
  it("builds under the lock and removes it afterwards", async () => {
    const { lock, binary } = await scratch();
    await withBuildLock(lock, binary, 60_000, async () => {
      expect(await readFile(join(lock, "pid"), "utf8")).toBe(String(process.pid));
      await writeFile(binary, "built");
    });
    expect(await readFile(binary, "utf8")).toBe("built");
    expect(existsSync(lock)).toBe(false);
  });

  it("takes over at once a lock whose holder died mid-build", async () => {
    const { lock, binary } = await scratch();
    const dead = spawnSync(process.execPath, ["-e", "process.exit(0)"]).pid;
    await mkdir(lock);
    await writeFile(join(lock, "pid"), String(dead));
    let built = false;
    // A stale age of an hour: only the dead pid can free the lock within the test.
    await withBuildLock(lock, binary, 3_600_000, async () => {
      built = true;
      await writeFile(binary, "built");
    });
    expect(built).toBe(true);
  });

  it("waits for a live holder and uses its binary instead of building again", async () => {
    const { lock, binary } = await scratch();
    await mkdir(lock);
    await writeFile(join(lock, "pid"), String(process.pid));
    setTimeout(() => void writeFile(binary, "theirs"), 300);
    let built = false;
    await withBuildLock(lock, binary, 3_600_000, async () => {
      built = true;
    });
    expect(built).toBe(false);
    expect(await readFile(binary, "utf8")).toBe("theirs");
  });
});
