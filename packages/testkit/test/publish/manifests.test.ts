import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { alignManifest } from "../../src/publish/align.ts";
import { checkManifest, PUBLISHING, publishedExports } from "../../src/publish/manifest-rules.ts";
import {
  publishablePackages,
  type WorkspacePackage,
  workspaceGlobs,
  workspacePackages,
} from "../../src/publish/workspace.ts";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "../../../..");

function discovered(): WorkspacePackage[] {
  const packages = workspacePackages(ROOT);
  if (!packages.ok) throw new Error(packages.error.message);
  return packages.value;
}

const licence = readFileSync(join(ROOT, "LICENSE"), "utf8");
const hasLicence = (dir: string) =>
  existsSync(join(ROOT, dir, "LICENSE")) &&
  readFileSync(join(ROOT, dir, "LICENSE"), "utf8") === licence;

// Discovered, never listed: a package that lands (tracker, server) is checked from its first commit.
describe("every workspace package.json meets the publishing rules", () => {
  const packages = discovered();

  it("finds the packages and apps, and keeps testkit private", () => {
    const dirs = packages.map((pkg) => pkg.dir);
    for (const dir of ["packages/core", "packages/result", "apps/cli", "apps/bus-node"]) {
      expect(dirs).toContain(dir);
    }
    const publishable = publishablePackages(packages).map((pkg) => pkg.dir);
    expect(publishable).toContain("packages/core");
    expect(publishable).not.toContain("packages/testkit");
  });

  it("the root says the licence and holds its text", () => {
    const root = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
    expect(root.license).toBe(PUBLISHING.license);
    expect(licence).toContain("Apache License");
    expect(licence).toContain("Version 2.0, January 2004");
  });

  for (const { dir, manifest } of packages) {
    it(dir, () => {
      expect(checkManifest(dir, manifest, hasLicence(dir))).toEqual([]);
    });
  }
});

const fit = {
  name: "@wattprint/example",
  version: "1.2.3",
  type: "module",
  description: "an example",
  keywords: ["example"],
  license: "Apache-2.0",
  repository: {
    type: "git",
    url: `git+${PUBLISHING.web}.git`,
    directory: "packages/example",
  },
  homepage: `${PUBLISHING.web}/tree/main/packages/example#readme`,
  bugs: `${PUBLISHING.web}/issues`,
  engines: { node: PUBLISHING.nodeEngine, typescript: PUBLISHING.typescriptEngine },
  sideEffects: false,
  exports: {
    ".": {
      "@wattprint/source": "./src/index.ts",
      types: "./dist/index.d.ts",
      default: "./dist/index.js",
    },
    "./package.json": "./package.json",
  },
  files: ["dist"],
  dependencies: { zod: "^4.6.7", "@wattprint/result": "workspace:*" },
  publishConfig: {
    access: "public",
    exports: {
      ".": { types: "./dist/index.d.ts", default: "./dist/index.js" },
      "./package.json": "./package.json",
    },
  },
};

describe("checkManifest", () => {
  const fields = (manifest: unknown, licensed = true) =>
    checkManifest("packages/example", manifest, licensed).map((problem) => problem.field);

  it("accepts a fit manifest", () => {
    expect(checkManifest("packages/example", fit, true)).toEqual([]);
  });

  it("names each missing or wrong field", () => {
    const { license: _l, keywords: _k, sideEffects: _s, ...bare } = fit;
    expect(fields(bare)).toEqual(["license", "keywords", "sideEffects"]);
    expect(fields({ ...fit, engines: { node: ">=18" } })).toEqual(["engines"]);
    expect(fields(fit, false)).toEqual(["LICENSE"]);
  });

  it("refuses the development condition in what is published", () => {
    const leaky = { ...fit, publishConfig: { access: "public", exports: fit.exports } };
    expect(fields(leaky)).toEqual(["publishConfig"]);
    expect(fields({ ...fit, publishConfig: undefined })).toEqual(["publishConfig"]);
  });

  it("refuses exact pins of dependencies, accepts ranges and workspace links", () => {
    const pinned = { ...fit, dependencies: { zod: "4.6.7", a: "~1.0.0", b: "workspace:^" } };
    expect(fields(pinned)).toEqual(["dependencies.zod"]);
  });

  it("accepts the one pin made on purpose: the grid data the core's tables are labelled with", () => {
    const data = { ...fit, dependencies: { "@tgwf/co2": "0.19.0", zod: "4.6.7" } };
    expect(fields(data)).toEqual(["dependencies.zod"]);
  });

  it("wants types in every export and default last, and bins in dist", () => {
    const unordered = {
      ...fit,
      exports: {
        ".": { default: "./dist/index.js", types: "./dist/index.d.ts" },
        "./package.json": "./package.json",
      },
      bin: { example: "./src/main.ts" },
    };
    expect(fields(unordered)).toEqual(["publishConfig", 'exports["."]', "bin.example"]);
  });

  it("wants the manifest itself exported, so tools can read the version", () => {
    const { "./package.json": _manifest, ...code } = fit.exports;
    const hidden = {
      ...fit,
      exports: code,
      publishConfig: { access: "public", exports: { ".": fit.publishConfig.exports["."] } },
    };
    expect(fields(hidden)).toEqual(['exports["./package.json"]']);
    const elsewhere = { ...hidden, exports: { ...code, "./package.json": "./dist/package.json" } };
    expect(fields(elsewhere)).toContain('exports["./package.json"]');
  });

  it("asks a private package only for the shared fields", () => {
    const { publishConfig: _p, keywords: _k, ...rest } = fit;
    const privateOne = {
      ...rest,
      name: "@wattprint/testkit",
      private: true,
      engines: { node: PUBLISHING.nodeEngine },
    };
    expect(fields(privateOne)).toEqual([]);
  });

  it("refuses a private package that is not meant to be (a template copied)", () => {
    const { publishConfig: _p, keywords: _k, ...rest } = fit;
    const copied = { ...rest, private: true, engines: { node: PUBLISHING.nodeEngine } };
    expect(fields(copied)).toEqual(["private"]);
  });

  it("reports a malformed manifest instead of throwing", () => {
    expect(fields({ ...fit, name: "example" })).toEqual(["name"]);
    expect(fields("not an object")).toEqual(["(root)"]);
  });
});

describe("alignManifest", () => {
  it("fills the derived fields in place and the result passes", () => {
    const {
      license: _l,
      repository: _r,
      homepage: _h,
      bugs: _b,
      engines: _e,
      publishConfig: _p,
      ...bare
    } = fit;
    const aligned = alignManifest("packages/example", bare);
    expect(checkManifest("packages/example", aligned, true)).toEqual([]);
    const keys = Object.keys(aligned);
    expect(keys.indexOf("license")).toBe(keys.indexOf("description") + 1);
    expect(keys.at(-1)).toBe("publishConfig");
  });

  it("corrects a stale value without moving the field", () => {
    const stale = { ...fit, homepage: "https://example.org" };
    const aligned = alignManifest("packages/example", stale);
    expect(Object.keys(aligned)).toEqual(Object.keys(stale));
    expect(aligned.homepage).toBe(fit.homepage);
  });
});

describe("publishedExports", () => {
  it("drops only the development condition", () => {
    expect(publishedExports(fit.exports)).toEqual(fit.publishConfig.exports);
  });
});

describe("workspaceGlobs", () => {
  it("reads folder/* patterns and refuses others by name", () => {
    expect(workspaceGlobs('packages:\n  - "packages/*"\n  - apps/*\nother: 1\n')).toEqual({
      ok: true,
      value: ["packages/*", "apps/*"],
    });
    const deep = workspaceGlobs('packages:\n  - "packages/**"\n');
    expect(deep.ok).toBe(false);
    if (!deep.ok) expect(deep.error.message).toContain("packages/**");
    expect(workspaceGlobs("onlyBuiltDependencies: []\n").ok).toBe(false);
  });
});
