import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  checkTarball,
  coveredByFiles,
  packedFiles,
  staleBuildFiles,
} from "../../src/publish/tarball-rules.ts";

const LICENCE = "Apache License\nVersion 2.0\n";
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A real unpacked package on disk: the fit one, with `changes` written over it. */
function unpacked(changes: Record<string, string | null> = {}, manifest: object = {}): string {
  const dir = mkdtempSync(join(tmpdir(), "wattprint-tarball-"));
  dirs.push(dir);
  const files: Record<string, string | null> = {
    "package.json": JSON.stringify({
      name: "@wattprint/example",
      version: "1.0.0",
      files: ["dist"],
      exports: { ".": { types: "./dist/index.d.ts", default: "./dist/index.js" } },
      bin: { example: "./dist/main.js" },
      dependencies: { "@wattprint/result": "1.0.0", zod: "^4.6.7" },
      scripts: { bench: "node --conditions=@wattprint/source bench.ts" },
      ...manifest,
    }),
    LICENSE: LICENCE,
    "README.md": "# example\n",
    "dist/index.js": "export const x = 1;\n",
    "dist/index.d.ts": "export declare const x = 1;\n",
    "dist/index.js.map": JSON.stringify({ sources: ["../src/index.ts"], sourcesContent: ["x"] }),
    "dist/main.js": "#!/usr/bin/env node\nconsole.log(1);\n",
    ...changes,
  };
  for (const [path, text] of Object.entries(files)) {
    if (text === null) continue;
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  chmodSync(join(dir, "dist/main.js"), 0o755);
  return dir;
}

const kinds = (dir: string) => checkTarball(dir, packedFiles(dir), LICENCE).map((p) => p.kind);

describe("checkTarball", () => {
  it("accepts a fit tarball (a script may name the development condition)", () => {
    expect(checkTarball(unpacked(), packedFiles(unpacked()), LICENCE)).toEqual([]);
  });

  it("refuses a file outside `files`, naming it", () => {
    const dir = unpacked({ "src/index.ts": "export const x = 1;\n" });
    expect(checkTarball(dir, packedFiles(dir), LICENCE)).toEqual([
      { kind: "outside-files", message: "not covered by `files`", path: "src/index.ts" },
    ]);
  });

  it("refuses a workspace: range and the development condition in an export", () => {
    const dir = unpacked(
      {},
      {
        dependencies: { "@wattprint/result": "workspace:*" },
        exports: {
          ".": {
            "@wattprint/source": "./src/index.ts",
            types: "./dist/index.d.ts",
            default: "./dist/index.js",
          },
        },
      },
    );
    expect(kinds(dir)).toEqual(["workspace-range", "development-condition", "missing-target"]);
  });

  it("refuses maps without their sources and declaration maps", () => {
    const dir = unpacked({
      "dist/index.js.map": JSON.stringify({ sources: ["../src/index.ts"] }),
      "dist/index.d.ts.map": "{}",
    });
    expect(kinds(dir)).toEqual(["declaration-map", "map-without-sources"]);
  });

  it("refuses declarations in a package with no export map: nothing imports a command", () => {
    const app = unpacked({}, { exports: undefined });
    expect(checkTarball(app, packedFiles(app), LICENCE)).toEqual([
      {
        kind: "unimportable-declaration",
        message: "types in a package nothing imports: declaration false, and a clean dist",
        path: "dist/index.d.ts",
      },
    ]);
    expect(kinds(unpacked({ "dist/index.d.ts": null }, { exports: undefined }))).toEqual([]);
  });

  it("names a built file whose source is gone, and keeps a bundle with virtual sources", () => {
    const built = unpacked({
      "dist/gone.js": "export const y = 2;\n",
      "dist/gone.js.map": JSON.stringify({ sources: ["../src/gone.ts"], sourcesContent: ["y"] }),
      "dist/bundle.cjs": "module.exports = 1;\n",
      "dist/bundle.cjs.map": JSON.stringify({
        sources: ["virtual:loader", "../src/index.ts"],
        sourcesContent: ["", "x"],
      }),
    });
    // The package's folder in the workspace: src/index.ts is there, src/gone.ts is not.
    const workspace = unpacked({ "src/index.ts": "export const x = 1;\n" });
    expect(staleBuildFiles(built, packedFiles(built), workspace)).toEqual([
      {
        kind: "stale-build",
        message:
          "built from ../src/gone.ts, which is gone: rebuild from an empty dist (rm -rf dist; pnpm build)",
        path: "dist/gone.js",
      },
    ]);
    writeFileSync(join(workspace, "src/gone.ts"), "export const y = 2;\n");
    expect(staleBuildFiles(built, packedFiles(built), workspace)).toEqual([]);
  });

  it("refuses a bin without its shebang or its exec bit, and a missing target", () => {
    const noShebang = unpacked({ "dist/main.js": "console.log(1);\n" });
    expect(kinds(noShebang)).toEqual(["bin-not-executable"]);
    const noExec = unpacked();
    chmodSync(join(noExec, "dist/main.js"), 0o644);
    expect(kinds(noExec)).toEqual(["bin-not-executable"]);
    expect(kinds(unpacked({ "dist/index.d.ts": null }))).toEqual(["missing-target"]);
  });

  it("refuses a tarball without the licence text", () => {
    expect(kinds(unpacked({ LICENSE: null }))).toEqual(["no-licence"]);
    expect(kinds(unpacked({ LICENSE: "MIT" }))).toEqual(["no-licence"]);
  });
});

describe("coveredByFiles", () => {
  it("reads folders, files and simple globs; package.json, README and LICENSE always", () => {
    expect(coveredByFiles("dist/a/b.js", ["dist"])).toBe(true);
    expect(coveredByFiles("dist/a/b.js", ["./dist/"])).toBe(true);
    expect(coveredByFiles("distant.js", ["dist"])).toBe(false);
    expect(coveredByFiles("bin/x.mjs", ["bin/*.mjs"])).toBe(true);
    expect(coveredByFiles("bin/sub/x.mjs", ["bin/*.mjs"])).toBe(false);
    expect(coveredByFiles("LICENSE", [])).toBe(true);
    expect(coveredByFiles("package.json", [])).toBe(true);
    expect(coveredByFiles("src/index.ts", ["dist"])).toBe(false);
  });
});
