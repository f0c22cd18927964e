import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import { Script } from "node:vm";

/**
 * How a command bundle's code was compiled:
 * - `used`: from the V8 code cache built beside it (`scripts/bundle.ts`), nothing parsed;
 * - `rejected`: V8 refused that cache (another V8 version or other V8 flags than the build's):
 *   compiled from source, as without one;
 * - `stale`: the cache was made from another bundle (the bundle was edited, or one of the two
 *   replaced): not offered to V8, compiled from source;
 * - `absent`: no cache could be read: compiled from source;
 * - `node`: Node 22.1 or later, whose own compile cache (`main.js` turns it on) keeps the code
 *   of what `require` loads: loaded by `require`, the built cache left alone.
 */
export type CodeCacheUse = "used" | "rejected" | "stale" | "absent" | "node";

export interface LoadedBundle {
  /** The bundle's `module.exports`. */
  readonly exports: Readonly<Record<string, unknown>>;
  readonly codeCache: CodeCacheUse;
  /**
   * The compiled script, whose `createCachedData()` after a run holds the functions that run
   * compiled too (how the build writes the cache); null when Node's own cache loaded it.
   */
  readonly script: Script | null;
}

/**
 * The CommonJS wrapper, on a line of its own so that the bundle's line numbers (and its source
 * map's) stay those of the file: the script starts one line early (`lineOffset: -1`).
 */
const WRAPPER_HEAD = "(function (exports, require, module, __filename, __dirname) {";

type CommonJsBody = (
  exports: Record<string, unknown>,
  require: NodeJS.Require,
  module: { exports: Record<string, unknown> },
  filename: string,
  dirname: string,
) => void;

/**
 * Loads a CommonJS command bundle (`track.cjs`) with the V8 code cache built beside it.
 *
 * Why: `wattprint track -- true` has a start-up budget (issue 13), and on Node 20 compiling the
 * bundle and then each of its functions the first time it runs is the largest part of it that
 * is ours. Node 20 has no compile cache of its own; V8 takes `cachedData` only through `vm`.
 * The cache is written by the build (after one run, so it holds the functions a run compiles)
 * and ships in the package: nothing is written on the user's machine. V8 checks it against its
 * own version, its flags and the source's length, and refuses it otherwise; the file also
 * carries the bundle's CRC-32 (`codeCacheFile`), checked first. A refused, stale or unreadable
 * cache costs a file read and a CRC, and the bundle compiles as it would without one.
 *
 * The cache is only as trusted as the bundle beside it: both come from the same build, in the
 * same folder, so it adds nothing a writer of that folder could not already do.
 */
export function loadCommandBundle(file: string, cacheFile: string): LoadedBundle {
  const require = createRequire(file);
  if (nodeEnableCompileCache() !== undefined) {
    return { exports: require(file) as Record<string, unknown>, codeCache: "node", script: null };
  }
  const bytes = readFileSync(file);
  const cache = readCache(cacheFile, bytes);
  const script = new Script(`${WRAPPER_HEAD}\n${bytes.toString("utf8")}\n})`, {
    filename: file,
    lineOffset: -1,
    ...(cache.v8 === undefined ? {} : { cachedData: cache.v8 }),
  });
  const codeCache: CodeCacheUse =
    cache.v8 === undefined ? cache.use : script.cachedDataRejected === true ? "rejected" : "used";
  const module = { exports: {} as Record<string, unknown> };
  const body = script.runInThisContext() as CommonJsBody;
  body.call(module.exports, module.exports, require, module, file, dirname(file));
  return { exports: module.exports, codeCache, script };
}

/**
 * A cache file: `WPC1`, the CRC-32 of the bundle it was made from (uint32, little-endian), then
 * V8's bytes. V8 itself checks only the source's length, so a bundle edited in place (a patch
 * that keeps its length) would run the code of the old one: the CRC catches that.
 */
const MAGIC = "WPC1";
const HEADER_BYTES = 8;

/** The cache file for `bundle`'s bytes, holding V8's `cachedData` (the build writes it). */
export function codeCacheFile(bundle: Uint8Array, v8CachedData: Uint8Array): Buffer {
  const header = Buffer.alloc(HEADER_BYTES);
  header.write(MAGIC, 0, "latin1");
  header.writeUInt32LE(crc32(bundle), MAGIC.length);
  return Buffer.concat([header, v8CachedData]);
}

function readCache(
  cacheFile: string,
  bundle: Uint8Array,
): { v8: Buffer; use: "fresh" } | { v8: undefined; use: "absent" | "stale" } {
  let bytes: Buffer;
  try {
    bytes = readFileSync(cacheFile);
  } catch {
    // An optimisation only (missing, a folder, no permission): the bundle compiles from source.
    return { v8: undefined, use: "absent" };
  }
  const fresh =
    bytes.length > HEADER_BYTES &&
    bytes.toString("latin1", 0, MAGIC.length) === MAGIC &&
    bytes.readUInt32LE(MAGIC.length) === crc32(bundle);
  return fresh
    ? { v8: bytes.subarray(HEADER_BYTES), use: "fresh" }
    : { v8: undefined, use: "stale" };
}

/** zlib's CRC-32 (Node 20.15 and later); loaded here, as `node:crypto` would cost more at start. */
function crc32(bytes: Uint8Array): number {
  const zlib = createRequire(import.meta.url)("node:zlib") as {
    crc32(data: Uint8Array): number;
  };
  return zlib.crc32(bytes);
}

/**
 * Node's `module.enableCompileCache` (Node 22.1 and later), or undefined: `main.js` calls it,
 * and the loader leaves caching to Node when it exists. Read from the CommonJS object, where a
 * test's preload may set it.
 */
export function nodeEnableCompileCache(): (() => unknown) | undefined {
  const nodeModule = createRequire(import.meta.url)("node:module") as {
    enableCompileCache?: unknown;
  };
  const enable = nodeModule.enableCompileCache;
  return typeof enable === "function" ? () => enable() : undefined;
}
