import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, rename, rm } from "node:fs/promises";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { withBuildLock } from "./build-lock.ts";
import { runCompiler } from "./run-compiler.ts";

const PACKAGE_ROOT = fileURLToPath(new URL("../", import.meta.url));
/** Where the C++ peer sources live: `peers/fastdds/<name>.cpp` plus shared headers. */
export const PEERS_SOURCE_DIR = join(PACKAGE_ROOT, "peers", "fastdds");
const CACHE_DIR = join(PACKAGE_ROOT, ".peers-build");

const COMPILER = "g++";
const FLAGS = ["-std=c++17", "-O2", "-Wall", "-Wextra"];
const LIBS = ["-lfastrtps", "-lfastcdr", "-lpthread"];
const COMPILE_TIMEOUT_MS = 300_000;

const inFlight = new Map<string, Promise<string>>();

async function headerFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map(async (entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return headerFiles(path);
      return entry.name.endsWith(".hpp") ? [path] : [];
    }),
  );
  return nested.flat();
}

// Any change to the peer, a shared header or the compile command gives a new cache entry.
async function sourcesHash(mainSource: string): Promise<string> {
  const files = [mainSource, ...(await headerFiles(PEERS_SOURCE_DIR))].sort();
  const hash = createHash("sha256");
  hash.update([COMPILER, ...FLAGS, ...LIBS].join(" "));
  for (const file of files) {
    hash.update(`\0${relative(PEERS_SOURCE_DIR, file)}\0`);
    hash.update(await readFile(file));
  }
  return hash.digest("hex").slice(0, 16);
}

function explainCompileFailure(output: string): string {
  if (/fastdds\/.*No such file|fastrtps\/.*No such file|fastcdr\/.*No such file/.test(output)) {
    return "Fast DDS 2.9 headers are missing: apt-get install -y --no-install-recommends libfastrtps-dev";
  }
  if (/cannot find -lfast(rtps|cdr)/.test(output)) {
    return "Fast DDS libraries are missing: apt-get install -y --no-install-recommends libfastrtps-dev";
  }
  return "compilation failed";
}

async function compile(source: string, output: string): Promise<void> {
  const args = [...FLAGS, `-I${PEERS_SOURCE_DIR}`, source, "-o", output, ...LIBS];
  const outcome = await runCompiler(COMPILER, args, COMPILE_TIMEOUT_MS);
  if (outcome.kind === "not-started") {
    const hint =
      outcome.error.code === "ENOENT"
        ? `${COMPILER} not found: apt-get install -y --no-install-recommends g++ libfastrtps-dev`
        : outcome.error.message;
    throw new Error(`cannot build peer ${source}: ${hint}`);
  }
  if (outcome.kind === "failed") {
    const why = outcome.signal
      ? `killed by ${outcome.signal}`
      : explainCompileFailure(outcome.output);
    throw new Error(
      `cannot build peer ${source}: ${why}\n${COMPILER} ${args.join(" ")}\n${outcome.output}`,
    );
  }
}

async function removeStaleBuilds(name: string, keep: string): Promise<void> {
  const entries = await readdir(CACHE_DIR).catch(() => []);
  await Promise.all(
    entries
      .filter((entry) => entry.startsWith(`${name}-`) && entry !== keep && !entry.endsWith(".lock"))
      .map((entry) => rm(join(CACHE_DIR, entry), { recursive: true, force: true })),
  );
}

async function build(name: string): Promise<string> {
  const source = join(PEERS_SOURCE_DIR, `${name}.cpp`);
  if (!existsSync(source)) throw new Error(`unknown peer "${name}": ${source} does not exist`);
  const entry = `${name}-${await sourcesHash(source)}`;
  const dir = join(CACHE_DIR, entry);
  const binary = join(dir, name);
  if (existsSync(binary)) return binary;
  await mkdir(CACHE_DIR, { recursive: true });
  await withBuildLock(`${dir}.lock`, binary, COMPILE_TIMEOUT_MS + 10_000, async () => {
    await mkdir(dir, { recursive: true });
    const temporary = `${binary}.tmp-${process.pid}`;
    await compile(source, temporary);
    await rename(temporary, binary);
    await removeStaleBuilds(name, entry);
  });
  return binary;
}

/**
 * Compiles `peers/fastdds/<name>.cpp` against Fast DDS 2.9 (cached by a hash of the sources)
 * and resolves to the binary's absolute path.
 */
export function buildPeer(name: string): Promise<string> {
  let pending = inFlight.get(name);
  if (pending === undefined) {
    pending = build(name);
    inFlight.set(name, pending);
    pending.catch(() => inFlight.delete(name));
  }
  return pending;
}
