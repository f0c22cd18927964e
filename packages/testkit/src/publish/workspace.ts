import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { err, ok, type Result } from "@wattprint/result";

/** A workspace package as found on disk: its folder (relative to the root) and its package.json. */
export interface WorkspacePackage {
  /** "packages/core", "apps/cli": forward slashes, relative to the workspace root. */
  readonly dir: string;
  readonly manifest: Readonly<Record<string, unknown>>;
}

export interface WorkspaceProblem {
  readonly kind: "workspace-unreadable";
  readonly message: string;
}

/**
 * The `packages:` globs of pnpm-workspace.yaml. Only `folder/*` patterns are understood (the
 * workspace uses no others); anything else is refused by name rather than half-matched, so a
 * new kind of pattern cannot silently hide packages from the publishing checks.
 */
export function workspaceGlobs(yaml: string): Result<string[], WorkspaceProblem> {
  const lines = yaml.split("\n");
  const start = lines.findIndex((line) => /^packages:\s*$/.test(line));
  if (start < 0) return err({ kind: "workspace-unreadable", message: "no `packages:` list" });
  const globs: string[] = [];
  for (const line of lines.slice(start + 1)) {
    const item = /^\s+-\s+["']?([^"'#]+?)["']?\s*$/.exec(line);
    if (!item?.[1]) break;
    if (!/^[\w.-]+\/\*$/.test(item[1])) {
      return err({
        kind: "workspace-unreadable",
        message: `pattern "${item[1]}" is not of the form folder/*; teach workspace.ts to read it`,
      });
    }
    globs.push(item[1]);
  }
  return globs.length > 0
    ? ok(globs)
    : err({ kind: "workspace-unreadable", message: "the `packages:` list is empty" });
}

/** Every package of the workspace rooted at `root`, sorted by folder. */
export function workspacePackages(root: string): Result<WorkspacePackage[], WorkspaceProblem> {
  const globs = workspaceGlobs(readFileSync(join(root, "pnpm-workspace.yaml"), "utf8"));
  if (!globs.ok) return globs;
  const found: WorkspacePackage[] = [];
  for (const glob of globs.value) {
    const parent = glob.slice(0, -2);
    if (!existsSync(join(root, parent))) continue;
    for (const entry of readdirSync(join(root, parent), { withFileTypes: true })) {
      const dir = `${parent}/${entry.name}`;
      const file = join(root, dir, "package.json");
      if (!entry.isDirectory() || !existsSync(file)) continue;
      let manifest: unknown;
      try {
        manifest = JSON.parse(readFileSync(file, "utf8"));
      } catch (error) {
        return err({ kind: "workspace-unreadable", message: `${dir}/package.json: ${error}` });
      }
      if (typeof manifest !== "object" || manifest === null || Array.isArray(manifest)) {
        return err({ kind: "workspace-unreadable", message: `${dir}/package.json: not an object` });
      }
      found.push({ dir, manifest: manifest as Record<string, unknown> });
    }
  }
  return ok(found.sort((a, b) => a.dir.localeCompare(b.dir)));
}

/** The packages that are published: every workspace package not marked `"private": true`. */
export function publishablePackages(packages: readonly WorkspacePackage[]): WorkspacePackage[] {
  return packages.filter((pkg) => pkg.manifest.private !== true);
}
