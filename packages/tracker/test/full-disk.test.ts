import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

const run = promisify(execFile);
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "tracker-full-disk-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("a disk that fills during the run", () => {
  it("are one warning per file on a real full disk, never a rejection: the run is measured and returned", async () => {
    // A real limit (`ulimit -f 4`, 4 KiB per file): the standard log passes it part-way.
    const support = fileURLToPath(new URL("./full-disk-run.test-support.ts", import.meta.url));
    const { stdout } = await run(
      "bash",
      [
        "-c",
        `trap '' XFSZ; ulimit -f 4; exec "$0" --import tsx --conditions=@wattprint/source "$1" "$2"`,
        process.execPath,
        support,
        dir,
      ],
      { timeout: 60_000 },
    );
    const outcome = JSON.parse(stdout) as {
      rejected: number;
      sameResult: boolean;
      status: string;
      completed: number;
      logs: string[];
      resultLogs: number;
      failures: number;
    };
    expect(outcome).toMatchObject({
      rejected: 0,
      sameResult: true,
      status: "complete",
      completed: 40,
    });
    // One warning per file that failed, each saying the logs are incomplete, however many
    // writes failed after the first.
    expect(outcome.logs.length).toBeGreaterThanOrEqual(1);
    expect(outcome.logs.length).toBeLessThanOrEqual(2);
    for (const message of outcome.logs) {
      expect(message).toMatch(/^cannot append to .*EFBIG.*the logs are incomplete/);
    }
    expect(outcome.resultLogs).toBe(outcome.logs.length);
    expect(outcome.failures).toBeGreaterThan(outcome.logs.length);
  });
});
