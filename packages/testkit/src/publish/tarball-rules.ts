import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import { type Failure, failure } from "@wattprint/result";
import { PUBLISHING } from "./manifest-rules.ts";

/** One file of an unpacked tarball: its path inside the package (forward slashes) and mode. */
export interface PackedFile {
  readonly path: string;
  readonly mode: number;
}

export type TarballProblem = Failure<
  | "outside-files"
  | "workspace-range"
  | "development-condition"
  | "map-without-sources"
  | "declaration-map"
  | "unimportable-declaration"
  | "missing-target"
  | "bin-not-executable"
  | "no-licence"
  | "stale-build"
> & { readonly path: string };

/** Every file under an unpacked package folder (`tar -xzf` keeps the modes pnpm packed). */
export function packedFiles(unpacked: string): PackedFile[] {
  const files: PackedFile[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else
        files.push({
          path: relative(unpacked, full).split(sep).join("/"),
          mode: statSync(full).mode,
        });
    }
  };
  walk(unpacked);
  return files.sort((a, b) => a.path.localeCompare(b.path));
}

/** What npm and pnpm put in every tarball whatever `files` says. */
const ALWAYS_PACKED = /^(package\.json|README(\.md)?|LICEN[CS]E(\.md|\.txt)?)$/i;

/** Whether `path` is covered by a `files` entry: a folder, a file, or a simple `*` glob. */
export function coveredByFiles(path: string, files: readonly string[]): boolean {
  if (ALWAYS_PACKED.test(path)) return true;
  return files.some((entry) => {
    const clean = entry.replace(/^\.\//, "").replace(/\/$/, "");
    if (!clean.includes("*")) return path === clean || path.startsWith(`${clean}/`);
    const pattern = clean
      .split("*")
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
      .join("[^/]*");
    return new RegExp(`^${pattern}(/.*)?$`).test(path);
  });
}

const DEPENDENCY_FIELDS = [
  "dependencies",
  "peerDependencies",
  "optionalDependencies",
  "devDependencies",
] as const;

/**
 * Everything that must hold of a tarball about to be published: only what `files` names, no
 * `workspace:` range left, no development condition, source maps that carry their sources
 * and no declaration maps (both would point at the src/ that is not shipped), no declarations
 * in a package without an export map (a command), every export and bin target present, bins
 * executable with a node shebang, and the licence text.
 */
export function checkTarball(
  unpacked: string,
  files: readonly PackedFile[],
  licence: string,
): TarballProblem[] {
  const problems: TarballProblem[] = [];
  const text = (path: string) => readFileSync(join(unpacked, path), "utf8");
  const manifestText = text("package.json");
  const manifest = JSON.parse(manifestText) as {
    files?: string[];
    exports?: Record<string, string | Record<string, string>>;
    bin?: Record<string, string>;
  } & Partial<Record<(typeof DEPENDENCY_FIELDS)[number], Record<string, string>>>;

  for (const file of files) {
    if (!coveredByFiles(file.path, manifest.files ?? [])) {
      problems.push(failure("outside-files", "not covered by `files`", { path: file.path }));
    }
    if (manifest.exports === undefined && file.path.endsWith(".d.ts")) {
      // A package without an export map is a command (an app): nothing imports it, so its
      // declarations are bytes every install downloads for no reader.
      problems.push(
        failure(
          "unimportable-declaration",
          "types in a package nothing imports: declaration false, and a clean dist",
          {
            path: file.path,
          },
        ),
      );
    }
    if (file.path.endsWith(".d.ts.map")) {
      problems.push(
        failure("declaration-map", "points at an unshipped src/; set declarationMap false", {
          path: file.path,
        }),
      );
    } else if (file.path.endsWith(".map")) {
      const map = JSON.parse(text(file.path)) as {
        sources?: unknown[];
        sourcesContent?: unknown[];
      };
      const complete =
        Array.isArray(map.sourcesContent) &&
        map.sourcesContent.length === (map.sources ?? []).length &&
        map.sourcesContent.every((source) => typeof source === "string");
      if (!complete) {
        problems.push(
          failure("map-without-sources", "a source map without sourcesContent", {
            path: file.path,
          }),
        );
      }
    }
  }
  for (const field of DEPENDENCY_FIELDS) {
    for (const [name, range] of Object.entries(manifest[field] ?? {})) {
      if (range.startsWith("workspace:")) {
        problems.push(
          failure("workspace-range", `${field}.${name} is "${range}"; publish with pnpm`, {
            path: "package.json",
          }),
        );
      }
    }
  }
  // Scripts may name it (a bench run from source); what resolves an import must not.
  const { scripts: _scripts, ...resolved } = JSON.parse(manifestText) as Record<string, unknown>;
  if (JSON.stringify(resolved).includes(PUBLISHING.sourceCondition)) {
    problems.push(
      failure("development-condition", `${PUBLISHING.sourceCondition} is in the packed manifest`, {
        path: "package.json",
      }),
    );
  }
  const present = new Set(files.map((file) => file.path));
  const targets = Object.values(manifest.exports ?? {}).flatMap((conditions) =>
    typeof conditions === "string" ? [conditions] : Object.values(conditions),
  );
  for (const target of [...targets, ...Object.values(manifest.bin ?? {})]) {
    const path = target.replace(/^\.\//, "");
    if (!present.has(path)) {
      problems.push(failure("missing-target", `${target} is named but not packed`, { path }));
    }
  }
  for (const target of Object.values(manifest.bin ?? {})) {
    const path = target.replace(/^\.\//, "");
    const file = files.find((candidate) => candidate.path === path);
    if (file && ((file.mode & 0o111) === 0 || !text(path).startsWith("#!/usr/bin/env node\n"))) {
      problems.push(
        failure("bin-not-executable", "a bin needs `#!/usr/bin/env node` and chmod +x", { path }),
      );
    }
  }
  if (!present.has("LICENSE") || text("LICENSE") !== licence) {
    problems.push(failure("no-licence", "the root LICENSE is not packed", { path: "LICENSE" }));
  }
  return problems;
}

/**
 * Built files whose sources are gone: a file renamed or moved in src/ leaves its old build in
 * dist/ (tsc never deletes), and a release from that checkout would publish it. A packed
 * file is stale when its source map names sources and none of them exists under
 * `packageDir`, the package's folder in the workspace (a bundle names many, and virtual ones).
 */
export function staleBuildFiles(
  unpacked: string,
  files: readonly PackedFile[],
  packageDir: string,
): TarballProblem[] {
  const problems: TarballProblem[] = [];
  for (const file of files) {
    if (!file.path.endsWith(".js.map") && !file.path.endsWith(".cjs.map")) continue;
    const map = JSON.parse(readFileSync(join(unpacked, file.path), "utf8")) as {
      sources?: unknown[];
    };
    const sources = (map.sources ?? []).filter((s): s is string => typeof s === "string");
    const from = join(packageDir, dirname(file.path));
    if (sources.length > 0 && !sources.some((source) => existsSync(join(from, source)))) {
      problems.push(
        failure(
          "stale-build",
          `built from ${sources[0]}, which is gone: rebuild from an empty dist (rm -rf dist; pnpm build)`,
          { path: file.path.replace(/\.map$/, "") },
        ),
      );
    }
  }
  return problems;
}
