import { mkdir, stat } from "node:fs/promises";
import { dirname, resolve } from "node:path";

/**
 * `mkdir -p` for a folder a user names (`--data-dir`, `--log-dir`), without Node's
 * `mkdir(path, { recursive: true })`: on Node 20 that never returns, and keeps a thread busy,
 * where mkdir answers ENOENT under a folder that exists (any path under /proc, for one), and a
 * server given such a folder could not even be stopped. Here each missing folder is made once,
 * from the nearest one that exists down, so the work is bounded by the path's depth and every
 * failure is the system's own error (ENOENT, EACCES, ENOTDIR...) for the folder it hit.
 */
export async function makeDirectory(path: string): Promise<void> {
  const missing: string[] = [];
  let at = resolve(path);
  for (;;) {
    try {
      const found = await stat(at);
      if (!found.isDirectory()) {
        throw Object.assign(new Error(`ENOTDIR: not a directory, mkdir '${at}'`), {
          code: "ENOTDIR",
          path: at,
        });
      }
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
      missing.push(at);
      const parent = dirname(at);
      if (parent === at) break;
      at = parent;
    }
  }
  for (const folder of missing.reverse()) {
    try {
      await mkdir(folder);
    } catch (error) {
      // Made meanwhile by someone else (or a dangling link, which the next level reports).
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
  }
}
