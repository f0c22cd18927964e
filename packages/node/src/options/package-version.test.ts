import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { packageVersion } from "./package-version.ts";

const dir = mkdtempSync(join(tmpdir(), "wattprint-version-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function manifest(name: string, text: string): URL {
  writeFileSync(join(dir, name), text);
  return pathToFileURL(join(dir, name));
}

describe("packageVersion", () => {
  it("reads this package's own version", () => {
    const own = packageVersion(new URL("../../package.json", import.meta.url));
    expect(own).toEqual({ ok: true, value: expect.stringMatching(/^\d+\.\d+\.\d+/) });
  });

  it("names what is wrong instead of throwing", () => {
    const missing = packageVersion(pathToFileURL(join(dir, "absent.json")));
    const broken = packageVersion(manifest("broken.json", "{"));
    const versionless = packageVersion(manifest("versionless.json", '{"name":"x"}'));
    for (const result of [missing, broken, versionless]) {
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.kind).toBe("version-unreadable");
    }
    if (!versionless.ok) expect(versionless.error.message).toContain("has no version");
  });
});
