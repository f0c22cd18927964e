import { existsSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { makeDirectory } from "./make-directory.ts";

const root = mkdtempSync(join(tmpdir(), "wattprint-mkdir-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("makeDirectory", () => {
  it("makes every missing folder of a path, and accepts one that exists", async () => {
    const deep = join(root, "a", "b", "c");
    await makeDirectory(deep);
    expect(statSync(deep).isDirectory()).toBe(true);
    await makeDirectory(deep);
    await makeDirectory(join(root, "a", "b", "..", "d"));
    expect(existsSync(join(root, "a", "d"))).toBe(true);
  });

  it("refuses a path through a file, naming the error", async () => {
    writeFileSync(join(root, "file"), "x");
    await expect(makeDirectory(join(root, "file", "sub"))).rejects.toMatchObject({
      code: "ENOTDIR",
    });
    await expect(makeDirectory(join(root, "file"))).rejects.toMatchObject({ code: "ENOTDIR" });
  });

  it("refuses a path through a dangling link", async () => {
    symlinkSync(join(root, "gone"), join(root, "link"));
    await expect(makeDirectory(join(root, "link", "sub"))).rejects.toMatchObject({
      code: "ENOENT",
    });
  });

  it.runIf(process.platform === "linux" && existsSync("/proc/self"))(
    "returns an error under /proc, where Node's recursive mkdir never returns",
    async () => {
      await expect(makeDirectory("/proc/wattprint-test/data")).rejects.toMatchObject({
        code: "ENOENT",
      });
    },
  );
});
