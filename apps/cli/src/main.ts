#!/usr/bin/env node
import { createRequire } from "node:module";
import { runCli } from "./cli.ts";
import { processIo } from "./io.ts";

// Node 22.1 and later keep V8's compiled code of the modules imported from here on (each
// command, `track`'s 560 kB bundle above all) in a cache on disk, os.tmpdir() unless
// NODE_COMPILE_CACHE says otherwise, checked against each file's contents; npm and Vite do
// the same. `track -- true` starts 21 ms sooner on Node 22 (apps/cli/README.md). Node 20
// has no such cache: nothing happens there. NODE_DISABLE_COMPILE_CACHE=1 turns it off.
const { enableCompileCache } = createRequire(import.meta.url)("node:module") as {
  enableCompileCache?: () => unknown;
};
enableCompileCache?.();

// A reader that stops early (`wattprint logs parse --json | head`) closes the pipe: that is
// the reader's choice, not an error to report with a stack trace.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw error;
});

process.exitCode = await runCli(process.argv.slice(2), processIo());
