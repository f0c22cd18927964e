/**
 * Bundles the two files `wattprint track -- true` loads, after `tsc`:
 * - dist/main.js, in place, with what it imports statically (cli.js, `@wattprint/node/options`,
 *   the core's unit parsers, `@wattprint/result`: 19 small modules) and the loader of the
 *   `track` bundle; every other command left outside as `./commands/<name>.js`, imported when
 *   it runs;
 * - dist/commands/track.cjs, from tsc's track.js (removed), with everything it imports: the
 *   tracker, power, logs, core, zod, CO2.js's Ember table; its five Electricity Maps years go
 *   beside it as JSON files (dist/commands/track-data/), read on first use. CommonJS, because
 *   on Node 20 only a script compiled through `vm` takes a V8 code cache, and beside it
 *   dist/commands/track.code-cache, that cache, taken after one run of the command
 *   (`src/load-command-bundle.ts` says how it is used).
 *
 * Why (issue 13: `wattprint track -- true` must add under 150 ms): Node 20 resolves, reads
 * and links each ES module on its own, and the command's ~270 module files cost more CPU
 * than everything the tracker then does. One file costs one read and one parse, and with its
 * code cache not even the parse.
 *
 * Both bundles and the unbundled commands hold their own copy of `@wattprint/node/options`;
 * its `UsageError` is recognised by `instanceof` across copies (a global-symbol brand), so
 * cli.js still catches every command's usage errors.
 *
 * What stays outside:
 * - the other commands: `measure` forks a runner found beside its own module, and none of
 *   them has a start-up budget;
 * - `koffi` (a native addon, and power's read thread resolves it by name) and
 *   `systeminformation` (CommonJS, only loaded off Linux): dependencies of the CLI too, so
 *   they resolve from dist/ in the workspace and in an installed package alike;
 * - zod's 63 locales: every zod 4 entry re-exports them all (`z.locales`), and nothing in
 *   wattprint uses any but English, which zod registers itself; the bundle's `z.locales`
 *   holds `en` alone.
 * Run by `pnpm build` (`node --import tsx scripts/bundle.ts`).
 */
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { isDeepStrictEqual, promisify } from "node:util";
import { type BuildOptions, build, type Plugin } from "esbuild";

const dist = fileURLToPath(new URL("../dist/", import.meta.url));

const englishOnly: Plugin = {
  name: "wattprint-zod-english-only",
  setup(b) {
    // zod/v4/core and zod/v4/classic import "../locales/index.js".
    b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /[\\/]zod[\\/]v4[\\/]/.test(args.importer)
        ? { path: join(dirname(args.importer), "..", "locales", "en.js"), namespace: "zod-en" }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: "zod-en" }, (args) => ({
      contents: `export { default as en } from ${JSON.stringify(args.path)};`,
      resolveDir: dirname(args.path),
    }));
  },
};

/**
 * CO2.js's data modules are object literals (five Electricity Maps years, 78 kB each): V8
 * parses a literal that size more slowly than `JSON.parse` reads the same text, so each
 * module is rewritten as one `JSON.parse` of its default export, its named exports read from
 * it (10-30 ms of CPU less at start on the development VM). Checked at build time: a module
 * whose exports do not survive JSON unchanged, or that imports others, is bundled as it is.
 *
 * The Electricity Maps years are read on first use, not at start: each is written to a JSON
 * file beside the bundle, and its objects are views (`lazyJson`) that read and parse the file
 * when a property is first read. A tracker reads at most the year of its zone, and one
 * without a zone none; the bundle is 340 kB smaller. Their string exports are written as
 * literals.
 */
const co2DataAsJson: Plugin = {
  name: "wattprint-co2-data-as-json",
  setup(b) {
    b.onLoad(
      { filter: /[\\/]@tgwf[\\/]co2[\\/]dist[\\/]esm[\\/]data[\\/].+\.js$/ },
      async (args) => {
        // Only the data files themselves: an index that imports them keeps its imports, or
        // the bundle would hold every year twice.
        if (/^\s*import\b/m.test(await readFile(args.path, "utf8"))) return undefined;
        const module: Record<string, unknown> = await import(pathToFileURL(args.path).href);
        const whole = module.default;
        const named = Object.keys(module).filter((name) => name !== "default");
        const fromWhole =
          typeof whole === "object" &&
          whole !== null &&
          named.every((name) => (whole as Record<string, unknown>)[name] === module[name]);
        if (!fromWhole || !isDeepStrictEqual(JSON.parse(JSON.stringify(whole)), whole)) {
          return undefined;
        }
        if (!/[\\/]electricity-maps[\\/]yearly_\d{4}\.js$/.test(args.path)) {
          const lines = [
            `const d = JSON.parse(${JSON.stringify(JSON.stringify(whole))});`,
            "export default d;",
            ...named.map((name) => `export const ${name} = d[${JSON.stringify(name)}];`),
          ];
          return { contents: lines.join("\n"), loader: "js" };
        }
        const value = (name: string) => (whole as Record<string, unknown>)[name];
        const file = `${basename(args.path, ".js")}.json`;
        await mkdir(join(dist, "commands", TRACK_DATA), { recursive: true });
        await writeFile(join(dist, "commands", TRACK_DATA, file), JSON.stringify(whole));
        const url = JSON.stringify(`./${TRACK_DATA}/${file}`);
        const lines = [
          'import { readFileSync } from "node:fs";',
          `import { lazyJson } from ${JSON.stringify(LAZY_JSON)};`,
          "let d;",
          "function read() {",
          "  if (d !== undefined) return d;",
          `  const url = new URL(${url}, import.meta.url);`,
          "  try {",
          '    d = JSON.parse(readFileSync(url, "utf8"));',
          "  } catch (error) {",
          // A missing or damaged file is a broken install, not a user error: say which file.
          '    throw new Error("cannot read CO2.js\'s Electricity Maps data from " + url.pathname + " (" + error.message + "); reinstall @wattprint/cli");',
          "  }",
          "  return d;",
          "}",
          "export default lazyJson(read);",
          ...named.map((name) =>
            typeof value(name) === "object" && value(name) !== null
              ? `export const ${name} = lazyJson(() => read()[${JSON.stringify(name)}]);`
              : `export const ${name} = ${JSON.stringify(value(name))};`,
          ),
        ];
        return { contents: lines.join("\n"), loader: "js" };
      },
    );
  },
};

/**
 * Where the Electricity Maps years go, beside the `track` bundle (dist/commands/track-data/):
 * JSON files read on first use, so V8 neither compiles nor keeps 340 kB of string literals.
 */
const TRACK_DATA = "track-data";

/** The module the lazy Electricity Maps years import: one copy of the view in the bundle. */
const LAZY_JSON = "wattprint:lazy-json";

/**
 * `lazyJson(read)`: an object that behaves as `read()`'s result (property reads, `in`, keys,
 * descriptors, writes) and calls `read` only when first touched. zod's checks of the core see
 * the parsed object through it.
 */
const lazyJsonModule: Plugin = {
  name: "wattprint-lazy-json",
  setup(b) {
    b.onResolve({ filter: /^wattprint:lazy-json$/ }, (args) => ({
      path: args.path,
      namespace: "wattprint-lazy-json",
    }));
    b.onLoad({ filter: /.*/, namespace: "wattprint-lazy-json" }, () => ({
      contents: [
        "export function lazyJson(read) {",
        "  return new Proxy({}, {",
        "    get: (_, key) => Reflect.get(read(), key),",
        "    has: (_, key) => Reflect.has(read(), key),",
        "    ownKeys: () => Reflect.ownKeys(read()),",
        "    getOwnPropertyDescriptor: (_, key) => Reflect.getOwnPropertyDescriptor(read(), key),",
        "    set: (_, key, value) => Reflect.set(read(), key, value),",
        "    deleteProperty: (_, key) => Reflect.deleteProperty(read(), key),",
        "  });",
        "}",
      ].join("\n"),
      loader: "js",
    }));
  },
};

/**
 * `./commands/track.js` in main.js becomes a module that loads track.cjs with its code cache
 * (`src/load-command-bundle.ts`), evaluated when `track` runs (esbuild wraps a module only
 * reached by `import()` in a function called then).
 */
const trackThroughLoader: Plugin = {
  name: "wattprint-track-through-loader",
  setup(b) {
    b.onResolve({ filter: /^\.\/commands\/track\.js$/ }, (args) => ({
      path: args.path,
      namespace: "wattprint-track-loader",
    }));
    b.onLoad({ filter: /.*/, namespace: "wattprint-track-loader" }, () => ({
      contents: [
        'import { fileURLToPath } from "node:url";',
        // Relative to resolveDir (dist): an absolute path put the builder's folder in the
        // published source map.
        'import { loadCommandBundle } from "./load-command-bundle.js";',
        "const loaded = loadCommandBundle(",
        `  fileURLToPath(new URL(${JSON.stringify(`./commands/${TRACK_BUNDLE}`)}, import.meta.url)),`,
        `  fileURLToPath(new URL(${JSON.stringify(`./commands/${TRACK_CODE_CACHE}`)}, import.meta.url)),`,
        ");",
        "export const runTrack = loaded.exports.runTrack;",
      ].join("\n"),
      resolveDir: dist,
      loader: "js",
    }));
  },
};

/** The commands main.js imports when they run: kept as files beside it. */
const commandsOutside: Plugin = {
  name: "wattprint-commands-outside",
  setup(b) {
    b.onResolve({ filter: /^\.\/commands\// }, (args) => ({ path: args.path, external: true }));
  },
};

const TRACK_BUNDLE = "track.cjs";
const TRACK_CODE_CACHE = "track.code-cache";

/**
 * The `track` bundle as CommonJS: `import.meta.url` is the file's own URL (a banner computes
 * it), `import()` of koffi and systeminformation becomes `require` (a script compiled through
 * `vm` has no loader for `import()`), and the banner's "use strict" keeps the ES modules'
 * strict mode.
 */
const TRACK_AS_COMMONJS: BuildOptions = {
  format: "cjs",
  supported: { "dynamic-import": false },
  define: { "import.meta.url": "__wattprintBundleUrl" },
  banner: {
    js: '"use strict";var __wattprintBundleUrl=require("node:url").pathToFileURL(__filename).href;',
  },
};

async function bundle(
  file: string,
  plugins: readonly Plugin[],
  outfile = file,
  options: BuildOptions = { format: "esm" },
): Promise<void> {
  const result = await build({
    ...options,
    entryPoints: [file],
    outfile,
    allowOverwrite: true,
    bundle: true,
    platform: "node",
    target: "node20",
    external: ["koffi", "systeminformation"],
    plugins: [...plugins],
    // Whitespace and syntax only: stack traces of an internal error keep their names.
    minifyWhitespace: true,
    minifySyntax: true,
    legalComments: "none",
    sourcemap: "linked",
    metafile: true,
    logLevel: "warning",
  });
  const output = Object.entries(result.metafile.outputs).find(([path]) => !path.endsWith(".map"));
  const kib = ((output?.[1].bytes ?? 0) / 1024).toFixed(0);
  console.log(`bundled ${outfile.slice(dist.length - "dist/".length)}: ${kib} KiB`);
}

/**
 * Runs `track` once through the loader, in a plain Node process (the V8 flags a user's run
 * has, none of wattprint's variables) in a scratch folder, and writes the code cache V8 then
 * gives: the bundle's top level and every function that run compiled. A run on another
 * machine compiles what it needs beyond that as usual. Under Node 22.1 and later the loader
 * leaves caching to Node, and no cache is written.
 *
 * A run that fails leaves the build without a cache, with a warning: the CLI works without
 * one (`test/track-code-cache.test.ts` fails where the building Node should have one).
 */
async function writeTrackCodeCache(): Promise<void> {
  const scratch = await mkdtemp(join(tmpdir(), "wattprint-code-cache-"));
  const program = [
    'import { readFileSync, writeFileSync } from "node:fs";',
    "const [loaderUrl, ioUrl, bundle, cache, logDir] = process.argv.slice(1);",
    "const { codeCacheFile, loadCommandBundle } = await import(loaderUrl);",
    "const { processIo } = await import(ioUrl);",
    'const loaded = loadCommandBundle(bundle, cache + ".none");',
    "if (loaded.script !== null) {",
    '  const code = await loaded.exports.runTrack(["--log-dir", logDir, "--", process.execPath, "-e", ""], processIo());',
    '  if (code !== 0) throw new Error("wattprint track exited " + code);',
    "  writeFileSync(cache, codeCacheFile(readFileSync(bundle), loaded.script.createCachedData()));",
    "}",
  ].join("\n");
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^(WATTPRINT_|CUDA_|NODE_OPTIONS$)/.test(name)),
  );
  const cache = join(dist, "commands", TRACK_CODE_CACHE);
  try {
    await promisify(execFile)(
      process.execPath,
      [
        "--input-type=module",
        "-e",
        program,
        pathToFileURL(join(dist, "load-command-bundle.js")).href,
        pathToFileURL(join(dist, "io.js")).href,
        join(dist, "commands", TRACK_BUNDLE),
        cache,
        join(scratch, "logs"),
      ],
      { cwd: scratch, env },
    );
    const written = await stat(cache).then(
      (file) => `wrote dist/commands/${TRACK_CODE_CACHE}: ${(file.size / 1024).toFixed(0)} KiB`,
      () => `no ${TRACK_CODE_CACHE}: Node ${process.version} keeps its own compile cache`,
    );
    console.log(written);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    console.warn(`warning: no ${TRACK_CODE_CACHE} (track starts slower on Node 20): ${why}`);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

const trackJs = join(dist, "commands", "track.js");
await rm(join(dist, "commands", TRACK_DATA), { recursive: true, force: true });
await rm(join(dist, "commands", TRACK_CODE_CACHE), { force: true });
await bundle(join(dist, "main.js"), [trackThroughLoader, commandsOutside]);
await bundle(
  trackJs,
  [englishOnly, co2DataAsJson, lazyJsonModule],
  join(dist, "commands", TRACK_BUNDLE),
  TRACK_AS_COMMONJS,
);
// tsc's unbundled track.js is replaced by the bundle; nothing imports it.
for (const leftover of ["track.js", "track.js.map", "track.d.ts"]) {
  await rm(join(dist, "commands", leftover), { force: true });
}
const bundled = await readFile(join(dist, "commands", TRACK_BUNDLE), "utf8");
if (/\bimport\(/.test(bundled)) {
  throw new Error(`dist/commands/${TRACK_BUNDLE} still calls import(), which a vm script cannot`);
}
await writeTrackCodeCache();
