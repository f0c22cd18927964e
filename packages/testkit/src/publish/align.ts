import { copyFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ok, type Result } from "@wattprint/result";
import { derivedFields, type Manifest } from "./manifest-rules.ts";
import { type WorkspaceProblem, workspacePackages } from "./workspace.ts";

/**
 * The manifest with its derived fields (licence, repository, homepage, engines,
 * publishConfig) set. Fields already there keep their place, so the diff is only the values
 * that changed; a missing one goes after `description` (publishConfig last), where a reader
 * of the package.json looks for it.
 */
export function alignManifest(
  dir: string,
  manifest: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const derived = derivedFields(dir, manifest as Manifest);
  const missing = Object.keys(derived).filter((key) => !(key in manifest));
  const early = missing.filter((key) => key !== "publishConfig");
  const aligned: Record<string, unknown> = {};
  const place = (keys: readonly string[]) => {
    for (const key of keys) aligned[key] = derived[key];
  };
  for (const [key, value] of Object.entries(manifest)) {
    aligned[key] = key in derived ? derived[key] : value;
    if (key === "description") place(early);
  }
  if (!("description" in manifest)) place(early);
  if (missing.includes("publishConfig")) place(["publishConfig"]);
  return aligned;
}

/**
 * Writes the derived fields into every workspace package.json and copies the root LICENSE
 * into every package that lacks it or holds another text. Returns the folders it changed.
 * Fields a person must choose (description, keywords, sideEffects, files) are left to the
 * manifest test to ask for.
 */
export function alignWorkspace(root: string): Result<string[], WorkspaceProblem> {
  const packages = workspacePackages(root);
  if (!packages.ok) return packages;
  const licence = readFileSync(join(root, "LICENSE"), "utf8");
  const changed: string[] = [];
  for (const { dir, manifest } of packages.value) {
    const before = `${JSON.stringify(manifest, null, 2)}\n`;
    const after = `${JSON.stringify(alignManifest(dir, manifest), null, 2)}\n`;
    const licenceFile = join(root, dir, "LICENSE");
    const licenceStale = !existsSync(licenceFile) || readFileSync(licenceFile, "utf8") !== licence;
    if (after !== before) writeFileSync(join(root, dir, "package.json"), after);
    if (licenceStale) copyFileSync(join(root, "LICENSE"), licenceFile);
    if (after !== before || licenceStale) changed.push(dir);
  }
  return ok(changed);
}
