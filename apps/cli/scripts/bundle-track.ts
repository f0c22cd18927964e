/**
 * Bundles the built `track` command (dist/commands/track.js and everything it imports: the
 * tracker, power, logs, core, zod, CO2.js data) into that one file, in place, after `tsc`.
 *
 * Why (issue 13: `wattprint track -- true` must add under 150 ms): Node 20 resolves, reads
 * and links each ES module on its own, and the command's ~270 module files cost more CPU
 * than everything the tracker then does. One file costs one read and one parse.
 *
 * What stays outside the bundle, imported as before:
 * - `@wattprint/node/options`: it holds `UsageError`, which cli.js catches with `instanceof`;
 *   a second copy of the class in the bundle would turn every usage error of `track` into an
 *   internal error. cli.js has loaded it already (14 small modules, no zod).
 * - `koffi` (a native addon, and power's read thread resolves it by name) and
 *   `systeminformation` (CommonJS, only loaded off Linux): dependencies of the CLI too, so
 *   they resolve from dist/ in the workspace and in an installed package alike.
 * - zod's 63 locales: every zod 4 entry re-exports them all (`z.locales`), and nothing in
 *   wattprint uses any but English, which zod registers itself; the bundle's `z.locales`
 *   holds `en` alone.
 *
 * Other commands are not bundled: `measure` forks a runner found beside its own module, and
 * none of them has a start-up budget.
 * Run by `pnpm build` (`node --import tsx scripts/bundle-track.ts`).
 */
import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { isDeepStrictEqual } from "node:util";
import { build, type Plugin } from "esbuild";

const dist = fileURLToPath(new URL("../dist/", import.meta.url));
const entry = join(dist, "commands", "track.js");

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
        const lines = [
          `const d = JSON.parse(${JSON.stringify(JSON.stringify(whole))});`,
          "export default d;",
          ...named.map((name) => `export const ${name} = d[${JSON.stringify(name)}];`),
        ];
        return { contents: lines.join("\n"), loader: "js" };
      },
    );
  },
};

const result = await build({
  entryPoints: [entry],
  outfile: entry,
  allowOverwrite: true,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  external: ["@wattprint/node/options", "koffi", "systeminformation"],
  plugins: [englishOnly, co2DataAsJson],
  // Whitespace and syntax only: stack traces of an internal error keep their names.
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: "none",
  sourcemap: "linked",
  metafile: true,
  logLevel: "warning",
});
const bytes =
  result.metafile.outputs[Object.keys(result.metafile.outputs).find((p) => p.endsWith(".js")) ?? ""]
    ?.bytes ?? 0;
console.log(`bundled dist/commands/track.js: ${(bytes / 1024).toFixed(0)} KiB`);
