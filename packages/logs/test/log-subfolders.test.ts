import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { findLogSubfolders, LOG_SUBFOLDERS_READ } from "../src/index.ts";
import { outputLog, SAMPLE_ACTUAL, standardLog, writePair } from "./crafted-logs.test-support.ts";
import { useTempDirs } from "./helpers.test-support.ts";

const newDir = useTempDirs();

function runFolder(parent: string, name: string): void {
  const dir = join(parent, name);
  mkdirSync(dir);
  writePair(
    dir,
    "run",
    standardLog({ epochs: [{ cpu: "10.0" }] }),
    outputLog({ actual: SAMPLE_ACTUAL }),
  );
}

describe("findLogSubfolders", () => {
  it("names the subfolders holding a log, in name order, and none that do not", () => {
    const parent = newDir();
    runFolder(parent, "b-run");
    runFolder(parent, "a-run");
    mkdirSync(join(parent, "notes"));
    writeFileSync(join(parent, "notes", "readme.txt"), "not a log\n");
    // A file named as a log in the folder itself is not a subfolder.
    writeFileSync(join(parent, "x_carbontracker.log"), "");
    expect(findLogSubfolders(parent)).toEqual({ names: ["a-run", "b-run"], cut: false });
  });

  it("answers none for a folder that is missing or unreadable, never throwing", () => {
    expect(findLogSubfolders(join(newDir(), "missing"))).toEqual({ names: [], cut: false });
    const parent = newDir();
    runFolder(parent, "locked");
    chmodSync(join(parent, "locked"), 0o000);
    try {
      // Root reads a mode-000 folder all the same; anyone else is refused and finds none.
      const expected = process.getuid?.() === 0 ? ["locked"] : [];
      expect(findLogSubfolders(parent).names).toEqual(expected);
    } finally {
      chmodSync(join(parent, "locked"), 0o755);
    }
  });

  it("stops after LOG_SUBFOLDERS_READ entries and says so", () => {
    const parent = newDir();
    for (let i = 0; i <= LOG_SUBFOLDERS_READ; i++) mkdirSync(join(parent, `empty-${i}`));
    expect(findLogSubfolders(parent)).toEqual({ names: [], cut: true });
  });
});
