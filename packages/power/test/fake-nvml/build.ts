import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { runCompiler, withBuildLock } from "@wattprint/testkit";

const HERE = fileURLToPath(new URL(".", import.meta.url));
const SOURCE = join(HERE, "fake-nvml.c");
const CACHE_DIR = fileURLToPath(new URL("../../.fake-nvml-build/", import.meta.url));
const COMPILER = "gcc";
const FLAGS = ["-shared", "-fPIC", "-O2", "-Wall", "-Wextra"];
const LIBS = ["-lpthread"];
const COMPILE_TIMEOUT_MS = 120_000;

let inFlight: Promise<string> | undefined;

/**
 * Compiles `fake-nvml.c` into a `libnvidia-ml.so.1` (cached by a hash of the source and the
 * command) and resolves to its absolute path. Test files run in parallel workers, so the build
 * takes a directory lock; a lock whose holder died is taken over.
 */
export function buildFakeNvml(): Promise<string> {
  inFlight ??= build();
  inFlight.catch(() => {
    inFlight = undefined;
  });
  return inFlight;
}

async function build(): Promise<string> {
  const source = await readFile(SOURCE);
  const hash = createHash("sha256")
    .update([COMPILER, ...FLAGS, ...LIBS].join(" "))
    .update(source)
    .digest("hex")
    .slice(0, 16);
  const dir = join(CACHE_DIR, hash);
  const library = join(dir, "libnvidia-ml.so.1");
  if (existsSync(library)) return library;
  await mkdir(CACHE_DIR, { recursive: true });
  // Parallel test files share one compile: testkit's lock (a dead holder is noticed at once).
  await withBuildLock(`${dir}.lock`, library, COMPILE_TIMEOUT_MS + 10_000, async () => {
    await mkdir(dir, { recursive: true });
    const temporary = `${library}.tmp-${process.pid}`;
    await compile(temporary);
    await rename(temporary, library);
    const entries = await readdir(CACHE_DIR);
    await Promise.all(
      entries
        .filter((entry) => entry !== hash && !entry.endsWith(".lock"))
        .map((entry) => rm(join(CACHE_DIR, entry), { recursive: true, force: true })),
    );
  });
  return library;
}

async function compile(output: string): Promise<void> {
  const args = [...FLAGS, "-o", output, SOURCE, ...LIBS];
  const outcome = await runCompiler(COMPILER, args, COMPILE_TIMEOUT_MS);
  if (outcome.kind === "not-started") {
    throw new Error(
      outcome.error.code === "ENOENT"
        ? `${COMPILER} not found: apt-get install -y --no-install-recommends g++ (it brings gcc)`
        : `cannot run ${COMPILER}: ${outcome.error.message}`,
    );
  }
  if (outcome.kind === "failed") {
    throw new Error(
      `${COMPILER} ${args.join(" ")} failed (${outcome.signal ?? outcome.code}):\n${outcome.output}`,
    );
  }
}
