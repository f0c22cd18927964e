import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach } from "vitest";

/** The log folders carbontracker 2.3.1 and 2.4.3 wrote, copied into the package. */
export const FIXTURES = join(
  dirname(fileURLToPath(import.meta.url)),
  "fixtures/carbontracker-logs",
);

export const fixture = (name: string): string => join(FIXTURES, name);

/** A fresh temporary folder, removed after the test. */
export function useTempDirs(): () => string {
  const made: string[] = [];
  afterEach(() => {
    for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  return () => {
    const dir = mkdtempSync(join(tmpdir(), "wattprint-logs-"));
    made.push(dir);
    return dir;
  };
}

/** A clock that returns the given UTC instants in turn, then repeats the last. */
export function replayClock(...instants: string[]): () => Date {
  let i = 0;
  return () => new Date(instants[Math.min(i++, instants.length - 1)] ?? 0);
}
