import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MANIFEST_EXPORT } from "../../src/publish/manifest-rules.ts";
import { checkTarball, packedFiles, staleBuildFiles } from "../../src/publish/tarball-rules.ts";
import { publishablePackages, workspacePackages } from "../../src/publish/workspace.ts";

/**
 * The consumer test: what a user gets from npm, tried outside the workspace. Every publishable
 * package (discovered, never listed) is packed with pnpm, checked as a tarball, installed from
 * the tarballs alone into a fresh project in a temp folder (third-party packages from the
 * workspace's pnpm store, --offline), then imported from ESM and require(), type-checked
 * under node16 and bundler resolution with this workspace's TypeScript and the oldest one the
 * packages claim, and its bins run through npx.
 */
const ROOT = join(dirname(fileURLToPath(import.meta.url)), "../../../..");
const TESTKIT = join(ROOT, "packages/testkit");
const run = promisify(execFile);

interface Packed {
  readonly name: string;
  readonly version: string;
  readonly dir: string;
  readonly tarball: string;
  readonly unpacked: string;
  readonly exports: readonly string[];
  readonly bins: readonly string[];
}

const discovered = workspacePackages(ROOT);
if (!discovered.ok) throw new Error(discovered.error.message);
const publishable = publishablePackages(discovered.value);
const licence = readFileSync(join(ROOT, "LICENSE"), "utf8");
const packed = new Map<string, Packed>();
let work = "";
let project = "";

/** Runs a command, failing with its output (not just its status) when it fails. */
async function sh(file: string, args: readonly string[], cwd: string, timeout = 120_000) {
  try {
    return await run(file, [...args], { cwd, timeout, maxBuffer: 64 << 20 });
  } catch (error) {
    const { stdout = "", stderr = "" } = error as { stdout?: string; stderr?: string };
    throw new Error(`${file} ${args.join(" ")} failed in ${cwd}:\n${stdout}\n${stderr}`);
  }
}

const tarballName = (name: string, version: string) =>
  `${name.replace(/^@/, "").replace("/", "-")}-${version}.tgz`;

/** The code specifiers a user may import: "@wattprint/rtps", "@wattprint/rtps/udp", ... */
const specifiers = () =>
  [...packed.values()].flatMap((pkg) =>
    pkg.exports
      .filter((path) => path !== MANIFEST_EXPORT)
      .map((path) => (path === "." ? pkg.name : `${pkg.name}/${path.slice(2)}`)),
  );

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "wattprint-consumer-"));
  const tarballs = join(work, "tarballs");
  mkdirSync(tarballs);
  const filters = publishable.flatMap((pkg) => ["--filter", `./${pkg.dir}`]);
  await sh("pnpm", ["-r", ...filters, "pack", "--pack-destination", tarballs], ROOT, 300_000);
  for (const { dir, manifest } of publishable) {
    const name = String(manifest.name);
    const version = String(manifest.version);
    const tarball = join(tarballs, tarballName(name, version));
    const unpacked = join(work, "unpacked", dir);
    mkdirSync(unpacked, { recursive: true });
    await sh("tar", ["-xzf", tarball, "-C", unpacked, "--strip-components=1"], work);
    const exports = Object.keys((manifest.exports as Record<string, unknown> | undefined) ?? {});
    const bins = Object.keys((manifest.bin as Record<string, unknown> | undefined) ?? {});
    packed.set(name, { name, version, dir, tarball, unpacked, exports, bins });
  }

  // A fresh project outside the workspace: our packages only from the tarballs (overrides
  // reach the dependencies between them too), everything else from the workspace's store.
  project = join(work, "project");
  mkdirSync(project);
  const fromTarballs = Object.fromEntries(
    [...packed.values()].map((pkg) => [pkg.name, `file:${pkg.tarball}`]),
  );
  const typesNode = JSON.parse(
    readFileSync(join(ROOT, "node_modules/@types/node/package.json"), "utf8"),
  ).version;
  writeFileSync(
    join(project, "package.json"),
    JSON.stringify({
      name: "wattprint-consumer",
      private: true,
      type: "module",
      dependencies: { ...fromTarballs, "@types/node": typesNode },
      pnpm: { overrides: fromTarballs },
    }),
  );
  const store = (await sh("pnpm", ["store", "path"], ROOT)).stdout.trim();
  await sh(
    "pnpm",
    ["install", "--prefer-offline", "--store-dir", store, "--config.confirmModulesPurge=false"],
    project,
    300_000,
  );
}, 600_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe("the packed tarballs", () => {
  it("cover every publishable package, and testkit is not one", () => {
    expect(packed.size).toBe(publishable.length);
    expect(packed.has("@wattprint/core")).toBe(true);
    expect(packed.has("@wattprint/cli")).toBe(true);
    expect(packed.has("@wattprint/testkit")).toBe(false);
  });

  for (const { dir, manifest } of publishable) {
    it(`${dir}: only its files, real versions, no development condition, full maps, no stale builds`, () => {
      const pkg = packed.get(String(manifest.name));
      if (!pkg) throw new Error(`${dir} was not packed`);
      const files = packedFiles(pkg.unpacked);
      expect(checkTarball(pkg.unpacked, files, licence)).toEqual([]);
      expect(staleBuildFiles(pkg.unpacked, files, join(ROOT, dir))).toEqual([]);
      // The dependencies between our packages name the version published beside them.
      const packedManifest = JSON.parse(readFileSync(join(pkg.unpacked, "package.json"), "utf8"));
      for (const [dep, range] of Object.entries(packedManifest.dependencies ?? {})) {
        const sibling = packed.get(dep);
        if (sibling) expect(range).toBe(sibling.version);
      }
    });
  }
});

describe("installed in a fresh project", () => {
  it("every entry point imports from ESM", async () => {
    const script = `const specs = ${JSON.stringify(specifiers())};
for (const spec of specs) {
  const mod = await import(spec);
  if (Object.keys(mod).length === 0) throw new Error(spec + " exports nothing");
}
console.log(specs.length);`;
    writeFileSync(join(project, "import.mjs"), script);
    const { stdout } = await sh(process.execPath, ["import.mjs"], project);
    expect(Number(stdout.trim())).toBe(specifiers().length);
    expect(specifiers().length).toBeGreaterThanOrEqual(publishable.length - 2);
  });

  // Node 20.19+ loads an ES module from require() when its graph has no top-level await;
  // the packages are ESM only and rely on that rather than shipping a second CommonJS build.
  it("every entry point loads through require()", async () => {
    const script = `const specs = ${JSON.stringify(specifiers())};
for (const spec of specs) {
  const mod = require(spec);
  if (Object.keys(mod).length === 0) throw new Error(spec + " exports nothing");
}
console.log(specs.length);`;
    writeFileSync(join(project, "require.cjs"), script);
    const { stdout, stderr } = await sh(process.execPath, ["require.cjs"], project);
    expect(Number(stdout.trim())).toBe(specifiers().length);
    expect(stderr).not.toMatch(/ERR_REQUIRE|Error/);
  });

  const compilers = {
    workspace: join(ROOT, "node_modules/typescript/bin/tsc"),
    oldest: join(TESTKIT, "node_modules/typescript-oldest/bin/tsc"),
  };
  const resolutions = {
    node16: { module: "node16", moduleResolution: "node16" },
    bundler: { module: "esnext", moduleResolution: "bundler" },
  };

  it("the oldest TypeScript tried is the one the packages claim", () => {
    const oldest = JSON.parse(
      readFileSync(join(TESTKIT, "node_modules/typescript-oldest/package.json"), "utf8"),
    ).version as string;
    for (const { manifest } of publishable) {
      const engines = manifest.engines as { typescript?: string } | undefined;
      if (engines?.typescript)
        expect(oldest).toMatch(new RegExp(`^${engines.typescript.slice(2)}\\.`));
    }
  });

  for (const [compiler, tsc] of Object.entries(compilers)) {
    for (const [resolution, options] of Object.entries(resolutions)) {
      // Concurrent (two at a time, vitest.consumer.config.ts): CI has two cores.
      it.concurrent(`type-checks against the .d.ts with ${compiler} TypeScript, ${resolution} resolution`, async () => {
        const dir = join(project, `types-${compiler}-${resolution}`);
        mkdirSync(dir, { recursive: true });
        const imports = specifiers().map((spec, i) => `import * as m${i} from "${spec}";`);
        const uses = specifiers().map((_, i) => `m${i}`);
        writeFileSync(
          join(dir, "consumer.ts"),
          `${imports.join("\n")}\nexport const loaded: readonly object[] = [${uses.join(", ")}];\n`,
        );
        writeFileSync(
          join(dir, "tsconfig.json"),
          JSON.stringify({
            compilerOptions: {
              ...options,
              target: "es2022",
              strict: true,
              noEmit: true,
              skipLibCheck: false,
              types: ["node"],
              typeRoots: [join(project, "node_modules/@types")],
            },
            files: ["consumer.ts"],
          }),
        );
        // A hang detector only: on a loaded machine one compiler took over a minute.
        await sh(process.execPath, [tsc, "-p", dir], dir, 480_000);
      });
    }
  }

  it("npx wattprint estimate gives a footprint with its sources", async () => {
    const { stdout } = await sh(
      "npx",
      [
        "--no",
        "--",
        "wattprint",
        "estimate",
        "--watts",
        "300",
        "--duration",
        "2h",
        "--location",
        "FR",
        "--json",
      ],
      project,
    );
    const report = JSON.parse(stdout);
    expect(report.energy.value).toBeGreaterThan(0);
    expect(JSON.stringify(report)).toContain("Ember");
  });

  it("npx wattprint track runs a command through the bundled track command, which finds koffi", async () => {
    // dist/commands/track.cjs is one esbuild bundle (loaded with its code cache) with koffi
    // and systeminformation left outside: they must resolve from the installed package.
    const track = ["--no", "--", "wattprint", "track", "--no-logs", "--quiet"];
    const { stdout } = await sh("npx", [...track, "--json", "--", "node", "-e", ""], project);
    const result = JSON.parse(stdout.trim().split("\n").at(-1) ?? "");
    expect(result.schema).toBe("wattprint.tracker/v1");
    expect(result.status).toBe("complete");
    // A named NVML library makes the bundle import koffi, and a usage error must still be one.
    const env = { ...process.env, WATTPRINT_NVML_LIBRARY: "/nonexistent/libnvidia-ml.so.1" };
    const outcome = (args: readonly string[]) =>
      run("npx", [...track, ...args], { cwd: project, env, timeout: 120_000 }).then(
        () => ({ code: 0, stderr: "" }),
        (error: { code?: number; stderr?: string }) => ({ code: error.code, stderr: error.stderr }),
      );
    const noGpu = await outcome(["--components", "gpu", "--", "node", "-e", ""]);
    expect(noGpu.code).toBe(125);
    expect(noGpu.stderr).toMatch(/cannot load \/nonexistent\/libnvidia-ml\.so\.1/);
    const usage = await outcome(["--interval", "soon", "--", "node", "-e", ""]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/--interval/);
  });

  it("every package's manifest resolves by name, export map or not, with its packed version", async () => {
    const names = [...packed.keys()];
    const script = `for (const name of ${JSON.stringify(names)}) {
  console.log(name + " " + require(require.resolve(name + "/package.json")).version);
}`;
    writeFileSync(join(project, "manifests.cjs"), script);
    const { stdout } = await sh(process.execPath, ["manifests.cjs"], project);
    expect(stdout.trim().split("\n")).toEqual(
      [...packed.values()].map((pkg) => `${pkg.name} ${pkg.version}`),
    );
    expect([...packed.values()].filter((pkg) => pkg.exports.length > 0).length).toBeGreaterThan(5);
  });

  it("every bin answers --help and --version through npx", async () => {
    const bins = [...packed.values()].flatMap((pkg) => pkg.bins.map((bin) => ({ bin, pkg })));
    expect(bins.map(({ bin }) => bin)).toEqual(
      expect.arrayContaining(["wattprint", "wattprint-node"]),
    );
    for (const { bin, pkg } of bins) {
      const help = await sh("npx", ["--no", "--", bin, "--help"], project);
      expect(help.stdout).toMatch(/usage/i);
      const version = await sh("npx", ["--no", "--", bin, "--version"], project);
      expect(version.stdout.trim()).toBe(pkg.version);
    }
  });
});
