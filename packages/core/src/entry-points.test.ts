import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// The light entry points exist so that a package needing units, equivalents or PUE profiles
// (`@wattprint/logs`, `wattprint --help`) does not load zod and the embedded tables: about 8 MB
// of RSS each time (packages/logs/README.md). This walks their static imports from source.
const SRC = dirname(fileURLToPath(import.meta.url));
const IMPORT = /^\s*(?:import|export)\s[^;]*?\sfrom\s+"([^"]+)";/gms;

interface Graph {
  readonly files: Set<string>;
  readonly packages: Set<string>;
}

function importGraph(entry: string): Graph {
  const graph: Graph = { files: new Set(), packages: new Set() };
  const visit = (file: string): void => {
    if (graph.files.has(file)) return;
    graph.files.add(file);
    for (const match of readFileSync(file, "utf8").matchAll(IMPORT)) {
      const specifier = match[1] ?? "";
      if (specifier.startsWith(".")) visit(resolve(dirname(file), specifier));
      else graph.packages.add(specifier);
    }
  };
  visit(join(SRC, entry));
  return graph;
}

const LIGHT_ENTRIES = {
  "./units": "units/index.ts",
  "./equivalents": "equivalents.ts",
  "./pue": "pue.ts",
} as const;

// The entries on `wattprint track`'s path write their schemas with `zod/mini`, through
// `./zod` (src/zod.ts): the classic `zod` costs about 20 ms more of CPU to load (issue 13).
// `estimate/source.ts` is the source schema the tracker's result embeds.
const MINI_ZOD_ENTRIES = {
  "./live": "live/index.ts",
  "./zod": "zod.ts",
  "(the source schema)": "estimate/source.ts",
} as const;

/** Entries published beside the main one, each in development and as published. */
const EXPORTED_ENTRIES = {
  ...LIGHT_ENTRIES,
  "./live": "live/index.ts",
  "./zod": "zod.ts",
} as const;

describe("light entry points", () => {
  it.each(Object.entries(LIGHT_ENTRIES))("%s loads neither zod nor a table", (_, entry) => {
    const graph = importGraph(entry);
    for (const name of graph.packages) expect(["@wattprint/result"]).toContain(name);
    for (const file of graph.files) expect(file).not.toMatch(/\/(data|hardware|intensity)\//);
  });

  it("the walk sees zod and the tables behind the main entry", () => {
    const graph = importGraph("index.ts");
    expect(graph.packages).toContain("zod");
    expect([...graph.files].some((file) => file.includes("/hardware/data/"))).toBe(true);
  });

  it.each(Object.entries(MINI_ZOD_ENTRIES))(
    "%s loads zod/mini, never the classic zod",
    (_, entry) => {
      const graph = importGraph(entry);
      expect(graph.packages).toContain("zod/mini");
      expect(graph.packages).not.toContain("zod");
    },
  );

  it("package.json exports each entry, in development and as published", () => {
    const manifest = JSON.parse(readFileSync(join(SRC, "..", "package.json"), "utf8")) as {
      exports: Record<string, Record<string, string>>;
      publishConfig: { exports: Record<string, Record<string, string>> };
    };
    for (const [subpath, entry] of Object.entries(EXPORTED_ENTRIES)) {
      const built = entry.replace(/\.ts$/, ".js");
      expect(manifest.exports[subpath]).toEqual({
        "@wattprint/source": `./src/${entry}`,
        types: `./dist/${built.replace(/\.js$/, ".d.ts")}`,
        default: `./dist/${built}`,
      });
      expect(manifest.publishConfig.exports[subpath]).toEqual({
        types: `./dist/${built.replace(/\.js$/, ".d.ts")}`,
        default: `./dist/${built}`,
      });
    }
  });
});
