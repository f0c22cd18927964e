import { execFile } from "node:child_process";
import { copyFile, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cleanEnv, SPAWN_TIMEOUT_MS } from "./helpers/spawned.ts";

/*
 * The `track` bundle and the V8 code cache the build writes beside it (scripts/bundle.ts,
 * src/load-command-bundle.ts). Each load runs in a Node process of its own, with no flags, as
 * a user's `wattprint track` does: V8 takes a cache only under the flags it was made with.
 */
const run = promisify(execFile);
const dist = fileURLToPath(new URL("../dist/", import.meta.url));
const BUNDLE = join(dist, "commands", "track.cjs");
const CACHE = join(dist, "commands", "track.code-cache");
const LOADER = pathToFileURL(join(dist, "load-command-bundle.js")).href;

/** Node 22.1 and later have their own compile cache, which the loader leaves the bundle to. */
const nodeHasCompileCache =
  typeof (createRequire(import.meta.url)("node:module") as { enableCompileCache?: unknown })
    .enableCompileCache === "function";

/** Loads `bundle` with `cache` in a fresh Node process: how it was compiled, and its exports. */
async function load(
  bundle: string,
  cache: string,
  nodeOptions = "",
): Promise<{ codeCache: string; exports: string[] }> {
  const program = [
    "const [loader, bundle, cache] = process.argv.slice(1);",
    "const { loadCommandBundle } = await import(loader);",
    "const loaded = loadCommandBundle(bundle, cache);",
    "console.log(JSON.stringify({ codeCache: loaded.codeCache, exports: Object.keys(loaded.exports).sort() }));",
  ].join("\n");
  const { stdout } = await run(
    process.execPath,
    ["--input-type=module", "-e", program, LOADER, bundle, cache],
    { env: { ...cleanEnv(), NODE_OPTIONS: nodeOptions }, timeout: SPAWN_TIMEOUT_MS },
  );
  return JSON.parse(stdout) as { codeCache: string; exports: string[] };
}

let scratch = "";
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), "wattprint-code-cache-test-"));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe.concurrent("the track bundle's code cache", () => {
  it("is taken by the Node that built it, or left to Node's own cache on Node 22.1+", async () => {
    const loaded = await load(BUNDLE, CACHE);
    expect(loaded).toEqual({
      codeCache: nodeHasCompileCache ? "node" : "used",
      exports: expect.arrayContaining(["runTrack", "TRACK_HELP"]),
    });
  });

  it.skipIf(nodeHasCompileCache)(
    "is refused when it is not V8's, and the bundle still loads",
    async () => {
      // The right header for this bundle, then bytes V8 cannot read.
      const garbage = join(scratch, "garbage.code-cache");
      const header = (await readFile(CACHE)).subarray(0, 8);
      await writeFile(garbage, Buffer.concat([header, Buffer.alloc(4096, 0x5a)]));
      expect(await load(BUNDLE, garbage)).toEqual({
        codeCache: "rejected",
        exports: expect.arrayContaining(["runTrack"]),
      });
    },
  );

  it.skipIf(nodeHasCompileCache)(
    "is refused under other V8 flags, and the bundle still loads",
    async () => {
      // A V8 flag in NODE_OPTIONS (common in ML setups) changes the flags V8 checks the cache
      // against; a Node-only one does not.
      expect(await load(BUNDLE, CACHE, "--max-old-space-size=4096")).toEqual({
        codeCache: "rejected",
        exports: expect.arrayContaining(["runTrack"]),
      });
      expect((await load(BUNDLE, CACHE, "--enable-source-maps")).codeCache).toBe("used");
    },
  );

  it.skipIf(nodeHasCompileCache)("is not offered for a bundle it was not made from", async () => {
    // V8 checks only the source's length: a bundle edited in place, its length kept, would run
    // the old bundle's code. The cache's CRC-32 of its bundle catches it.
    const text = await readFile(BUNDLE, "utf8");
    const at = text.indexOf("wattprint track");
    const edited = join(scratch, "edited.cjs");
    await writeFile(edited, `${text.slice(0, at)}WATTPRINT TRACK${text.slice(at + 15)}`);
    expect((await readFile(edited)).length).toBe((await readFile(BUNDLE)).length);
    expect(await load(edited, CACHE)).toEqual({
      codeCache: "stale",
      exports: expect.arrayContaining(["runTrack"]),
    });
  });

  it.skipIf(nodeHasCompileCache)(
    "is offered to V8 for its own bundle wherever it lies",
    async () => {
      // V8's flags decide the rest: with one a user may pass, the same cache is refused.
      const copy = join(scratch, "own.cjs");
      await copyFile(BUNDLE, copy);
      expect((await load(copy, CACHE)).codeCache).toBe("used");
    },
  );

  it.skipIf(nodeHasCompileCache)(
    "is not needed: without one the bundle compiles from source",
    async () => {
      const copy = join(scratch, "copy.cjs");
      await copyFile(BUNDLE, copy);
      expect(await load(copy, join(scratch, "no.code-cache"))).toEqual({
        codeCache: "absent",
        exports: expect.arrayContaining(["runTrack"]),
      });
      // A folder where the cache should be reads as none, too.
      expect((await load(copy, scratch)).codeCache).toBe("absent");
    },
  );
});
