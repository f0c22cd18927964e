import { type Failure, failure } from "@wattprint/result";
import { z } from "zod";

/**
 * What every published package.json holds, in one place: the manifest test checks each
 * publishable package against it, `pnpm align-packages` writes the fields that follow from the
 * package's folder and exports, and the consumer test checks the packed tarballs.
 */
export const PUBLISHING = {
  license: "Apache-2.0",
  /** The project's public repository (to be confirmed by whoever first publishes). */
  web: "https://github.com/wattprint/wattprint",
  nodeEngine: ">=20.19",
  /**
   * The lowest TypeScript the published .d.ts files compile with: `Uint8Array<ArrayBuffer>`
   * (generic typed arrays) arrived in 5.7. The consumer test type-checks with this version.
   */
  typescriptEngine: ">=5.7",
  /**
   * The packages that stay off npm, each for a reason: testkit is test-only (real DDS peers,
   * the namespace runner). Every other package is published, so one that lands with
   * `"private": true` copied from a template is caught instead of silently left out.
   */
  privatePackages: ["@wattprint/testkit"],
  /** The development-only export condition: points at src/, which is never published. */
  sourceCondition: "@wattprint/source",
} as const;

const stringRecord = z.record(z.string(), z.string());

/** Only the fields the rules read; everything else passes through untouched. */
const manifestSchema = z.looseObject({
  name: z.string().regex(/^@wattprint\/[a-z0-9-]+$/, "a name @wattprint/<folder-like name>"),
  version: z.string().regex(/^\d+\.\d+\.\d+(-[\w.]+)?$/, "a semver version"),
  private: z.boolean().optional(),
  type: z.literal("module", 'ESM only: `"type": "module"`').optional(),
  description: z.string().min(1).optional(),
  keywords: z.array(z.string().min(1)).optional(),
  sideEffects: z.union([z.boolean(), z.array(z.string())]).optional(),
  files: z.array(z.string()).optional(),
  /** Conditions by export path; `./package.json` maps to the file itself. */
  exports: z.record(z.string(), z.union([z.string(), stringRecord])).optional(),
  bin: stringRecord.optional(),
  dependencies: stringRecord.optional(),
  publishConfig: z.looseObject({}).optional(),
});

export type Manifest = z.infer<typeof manifestSchema>;

/** One thing wrong with a package.json, and what to write instead. */
export type ManifestProblem = Failure<"manifest-invalid"> & { readonly field: string };

/** An export map: conditions by path, or a path's one target (`./package.json`). */
export type ExportMap = Readonly<Record<string, string | Readonly<Record<string, string>>>>;

/**
 * The export that lets tools read a package's manifest (its version, for a bug report or a
 * compatibility check) through `require.resolve("<name>/package.json")` or an import: an
 * export map hides every path it does not name, this one included.
 */
export const MANIFEST_EXPORT = "./package.json";

/** The export map as published: the development condition removed from every entry. */
export function publishedExports(
  exports: ExportMap,
): Record<string, string | Record<string, string>> {
  return Object.fromEntries(
    Object.entries(exports).map(([path, conditions]) => [
      path,
      typeof conditions === "string"
        ? conditions
        : Object.fromEntries(
            Object.entries(conditions).filter(([name]) => name !== PUBLISHING.sourceCondition),
          ),
    ]),
  );
}

/**
 * The fields that follow from where a package lives and what it exports: every workspace
 * package gets the licence, repository, homepage and engines; a publishable one also its
 * publishConfig (public access, and the export map without the development condition, which
 * pnpm swaps in when it packs).
 */
export function derivedFields(dir: string, manifest: Manifest): Record<string, unknown> {
  const shared = {
    license: PUBLISHING.license,
    repository: { type: "git", url: `git+${PUBLISHING.web}.git`, directory: dir },
    homepage: `${PUBLISHING.web}/tree/main/${dir}#readme`,
    bugs: `${PUBLISHING.web}/issues`,
  };
  if (manifest.private === true) {
    return { ...shared, engines: { node: PUBLISHING.nodeEngine } };
  }
  const hasTypes = manifest.exports !== undefined;
  return {
    ...shared,
    engines: hasTypes
      ? { node: PUBLISHING.nodeEngine, typescript: PUBLISHING.typescriptEngine }
      : { node: PUBLISHING.nodeEngine },
    publishConfig: {
      access: "public",
      ...(manifest.exports ? { exports: publishedExports(manifest.exports) } : {}),
    },
  };
}

/** A dependency a consumer can share: `workspace:` (pnpm writes the version) or a range. */
const SHAREABLE_RANGE = /^(workspace:[*^~]|[\^~]\d|>=\d)/;

/**
 * Dependencies pinned on purpose, with why. `@tgwf/co2` carries the grid data the core's tables
 * are checked against and labelled with (its version is in every Ember and Electricity Maps
 * source id): a patch release with new figures would be served under the old label, or stop
 * every estimate at the year-table check.
 */
const PINNED_ON_PURPOSE: Readonly<Record<string, string>> = {
  "@tgwf/co2": "its data are the core's tables, labelled with its version",
};

/**
 * Every rule a package.json must meet; `hasLicense` says whether the package folder holds a
 * copy of the root LICENSE. Returns the problems, empty when the manifest is fit to publish
 * (or, for a private package, fit to live in the workspace).
 */
export function checkManifest(
  dir: string,
  raw: unknown,
  hasLicense: boolean,
): readonly ManifestProblem[] {
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) {
    return parsed.error.issues.map((issue) =>
      problem(issue.path.join(".") || "(root)", issue.message),
    );
  }
  const manifest = parsed.data;
  const problems: ManifestProblem[] = [];
  const meantPrivate = (PUBLISHING.privatePackages as readonly string[]).includes(manifest.name);
  if (manifest.private === true && !meantPrivate) {
    problems.push(
      problem("private", 'every package but testkit is published: remove "private": true'),
    );
  }
  const record = raw as Record<string, unknown>;
  for (const [field, expected] of Object.entries(derivedFields(dir, manifest))) {
    if (JSON.stringify(record[field]) !== JSON.stringify(expected)) {
      problems.push(
        problem(field, `expected ${JSON.stringify(expected)} (run \`pnpm align-packages\`)`),
      );
    }
  }
  if (!hasLicense) {
    problems.push(problem("LICENSE", `no LICENSE; copy the root one: cp LICENSE ${dir}/`));
  }
  if (manifest.private === true) return problems;

  if (manifest.type === undefined) problems.push(problem("type", 'expected "module"'));
  if (!manifest.description) problems.push(problem("description", "say what the package is for"));
  if (!manifest.keywords?.length) problems.push(problem("keywords", "a few words to find it by"));
  if (manifest.sideEffects === undefined) {
    problems.push(
      problem("sideEffects", "false when importing runs nothing, else the files that do"),
    );
  }
  if (!manifest.files?.includes("dist")) {
    problems.push(problem("files", 'expected ["dist"]: only the build is published'));
  }
  if (manifest.exports !== undefined && manifest.exports[MANIFEST_EXPORT] !== MANIFEST_EXPORT) {
    problems.push(
      problem(
        `exports["${MANIFEST_EXPORT}"]`,
        `expected "${MANIFEST_EXPORT}", so that tools can read the version through the export map`,
      ),
    );
  }
  for (const [path, conditions] of Object.entries(manifest.exports ?? {})) {
    if (path === MANIFEST_EXPORT) continue;
    const names = typeof conditions === "string" ? [] : Object.keys(conditions);
    if (names.at(-1) !== "default" || !names.includes("types")) {
      problems.push(
        problem(`exports["${path}"]`, 'needs "types", and "default" as its last condition'),
      );
    }
  }
  for (const [name, target] of Object.entries(manifest.bin ?? {})) {
    if (!target.startsWith("./dist/")) {
      problems.push(problem(`bin.${name}`, `"${target}" must be a built file under ./dist/`));
    }
  }
  for (const [name, range] of Object.entries(manifest.dependencies ?? {})) {
    if (!SHAREABLE_RANGE.test(range) && PINNED_ON_PURPOSE[name] === undefined) {
      problems.push(
        problem(
          `dependencies.${name}`,
          `"${range}" is an exact pin: use a range (^${range}) so a consumer gets one copy`,
        ),
      );
    }
  }
  return problems;
}

function problem(field: string, message: string): ManifestProblem {
  return failure("manifest-invalid", message, { field });
}
