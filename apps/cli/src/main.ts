#!/usr/bin/env node
import { runCli } from "./cli.ts";
import { abandonedWork, outputFailurePolicy, processIo } from "./io.ts";
import { nodeEnableCompileCache } from "./load-command-bundle.ts";
import { guardOutputStreams } from "./output-streams.ts";

// Node 22.1 and later keep V8's compiled code of the modules imported from here on (each
// command, `track`'s bundle above all) in a cache on disk, os.tmpdir() unless
// NODE_COMPILE_CACHE says otherwise, checked against each file's contents; npm and Vite do
// the same. `track -- true` starts 21 ms sooner on Node 22 (apps/cli/README.md). Node 20
// has no such cache: there `track` loads with the code cache the build ships beside it
// (load-command-bundle.ts). NODE_DISABLE_COMPILE_CACHE=1 turns Node's off.
nodeEnableCompileCache()?.();

guardOutputStreams({
  stdout: process.stdout,
  stderr: process.stderr,
  exit: (code) => process.exit(code),
  exitCode: () => (typeof process.exitCode === "number" ? process.exitCode : undefined),
  policy: outputFailurePolicy,
});

process.exitCode = await runCli(process.argv.slice(2), processIo());
// `track` gave up a report on a signal: its retries' timers and sockets would hold the process
// for up to a minute, so it exits once what it wrote has been flushed.
if (abandonedWork()) {
  const code = process.exitCode;
  process.stdout.write("", () => process.stderr.write("", () => process.exit(code)));
}
