#!/usr/bin/env node
import { processIo } from "./io.ts";
import { serve } from "./serve.ts";

try {
  process.exitCode = await serve(process.argv.slice(2), processIo());
} catch (error) {
  // A bug, not a setting (those exit 2 in one line): the stack goes with the request to report.
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`wattprint-server: internal error, please report it:\n${detail}\n`);
  process.exitCode = 1;
}
