#!/usr/bin/env node
import { runCli } from "./cli.ts";
import { processIo } from "./io.ts";

// A reader that stops early (`wattprint logs parse --json | head`) closes the pipe: that is
// the reader's choice, not an error to report with a stack trace.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw error;
});

process.exitCode = await runCli(process.argv.slice(2), processIo());
