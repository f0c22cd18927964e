import { existsSync } from "node:fs";
import { mkdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";

const LOCK_POLL_MS = 200;

/** True when the lock's holder (its pid file) is a process that no longer exists. */
async function holderIsGone(lockDir: string): Promise<boolean> {
  const pid = Number(await readFile(join(lockDir, "pid"), "utf8").catch(() => ""));
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
}

// Another test worker may be compiling the same peer: wait for its binary instead. A worker
// killed mid-build (turbo stops the other tasks when one fails) leaves its lock behind; its
// pid file tells us at once, the age limit covers a lock without one.
export async function withBuildLock(
  lockDir: string,
  binary: string,
  staleMs: number,
  build: () => Promise<void>,
): Promise<void> {
  for (;;) {
    try {
      await mkdir(lockDir);
      await writeFile(join(lockDir, "pid"), String(process.pid));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const age = Date.now() - (await stat(lockDir).catch(() => ({ mtimeMs: Date.now() }))).mtimeMs;
      if (age > staleMs || (await holderIsGone(lockDir))) {
        await rm(lockDir, { recursive: true, force: true });
        continue;
      }
      await new Promise((resolve) => setTimeout(resolve, LOCK_POLL_MS));
      if (existsSync(binary)) return;
    }
  }
  try {
    if (!existsSync(binary)) await build();
  } finally {
    await rm(lockDir, { recursive: true, force: true });
  }
}
